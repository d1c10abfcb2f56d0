"""The embedded engine, the default: the build folder's FAISS (dense) and bm25s (BM25) files, in this process."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medquote.engines.base import EngineSpec, SearchEngine
from medquote.index.manifest import current_build

if TYPE_CHECKING:
    import numpy as np


class EmbeddedEngine:
    """FAISS (dense) and bm25s (BM25) files of the build folder, in this process."""

    name = "embedded"

    def __init__(self, dense: Any, bm25: Any) -> None:
        self.dense = dense
        self.bm25 = bm25
        # The BM25 top-k and the scores of the dense candidates come from one pass over all passages.
        self._all_scores = lru_cache(maxsize=8)(self._score_all)

    def _score_all(self, terms: tuple[str, ...]) -> np.ndarray:
        import numpy as np

        ids = self.bm25.get_tokens_ids(list(terms))
        if not ids:
            return np.zeros(self.dense.ntotal, dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)

    def dense_top(self, vector: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        depth = min(depth, self.dense.ntotal)
        scores, rows = self.dense.search(vector.reshape(1, -1), depth)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep]

    def bm25_top(self, terms: Sequence[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        scores = self._all_scores(tuple(terms))
        rows = np.argpartition(-scores, min(depth, len(scores) - 1))[:depth]
        rows = rows[scores[rows] > 0]
        rows = rows[np.lexsort((rows, -scores[rows]))]  # best first, ties by row
        return rows.astype(np.int64), scores[rows]

    def bm25_of(self, terms: Sequence[str], rows: np.ndarray) -> np.ndarray:
        return self._all_scores(tuple(terms))[rows]

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        return self.dense.reconstruct_batch(rows)


class EmbeddedKind:
    """The live build is the one ``CURRENT`` names; its own FAISS and bm25s files search it."""

    reads_faiss = True

    def live_build(self, index_dir: Path, spec: EngineSpec) -> Path | None:
        return current_build(index_dir)

    def open(self, spec: EngineSpec, build: Path, manifest: dict[str, Any], dense: Any, bm25: Any) -> SearchEngine:
        return EmbeddedEngine(dense, bm25)
