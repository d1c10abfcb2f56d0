"""A small, deterministic stand-in for the embedding model, for logic tests."""

from __future__ import annotations

import time
import zlib
from collections.abc import Sequence

import numpy as np

from medquote.index.terms import tokenize


class FakeEmbedder:
    """Keyword one-hot vectors: each stemmed word sets one of ``dimension`` slots (by a stable hash).

    Texts that share words get a positive cosine, texts that share none get zero, which is enough to
    test retrieval logic without the real model. ``calls`` counts encoded texts.
    """

    def __init__(self, dimension: int = 8192, *, name: str = "fake-keywords-8192", delay: float = 0.0) -> None:
        self._dimension = dimension
        self._name = name
        self.delay = delay
        self.calls = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.calls += len(texts)
        if self.delay:
            time.sleep(self.delay * len(texts))
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in tokenize(text):
                vectors[row, _slot(term, self._dimension)] = 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


def _slot(term: str, dimension: int) -> int:
    # Python's hash() is salted per process; this must agree across processes (the SIGKILL test).
    return zlib.crc32(term.encode()) % dimension
