"""The torch backends: a sentence-transformers model from a local folder, loaded on first use, run in fp32
(``torch``) or under bfloat16 autocast (``torch-bf16``: the weights stay fp32; matrix products run in bf16
on the CPU's AMX / AVX-512 BF16 units, layer norms, softmax and the pooling in fp32)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from medquote.embed.base import default_model_path, model_dimension, model_fingerprint
from medquote.errors import IndexMismatchError

log = logging.getLogger(__name__)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder, loaded on first use."""

    def __init__(
        self,
        model_path: Path | str | None = None,
        *,
        batch_size: int = 64,
        threads: int | None = None,
        bf16: bool = False,
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
        self.bf16 = bf16
        # 32 measured fastest under bf16 (193 vs 169 passages/s at 64), 64 in fp32.
        if bf16 and batch_size == 64:
            self.batch_size = 32
        self._name = model_fingerprint(self.path) + ("+torch-bf16" if bf16 else "")

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        # From the folder's config, without loading the model: a rebuild that finds every passage in the
        # embedding cache never needs torch (measured: 6.3 s → 2.0 s, whole command, 5,697 cached passages).
        return model_dimension(self.path) if self._model is None else int(self._model.get_embedding_dimension())

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
        model = self.model
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.asarray(vectors, dtype=np.float32)
