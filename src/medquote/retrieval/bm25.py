"""BM25 over the index's stemmed passage terms (by the index's search engine: bm25s, or Milvus)."""

from __future__ import annotations

import numpy as np

from medquote.index.store import Index
from medquote.records import Hit
from medquote.retrieval.base import check_k, ranked_hits
from medquote.retrieval.query import Query, prepare_query


class BM25Retriever:
    name = "bm25"

    def __init__(self, index: Index) -> None:
        self.index = index

    def top(self, query: Query, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``depth`` best matching passages' rows and BM25 scores (on the engine's scale), best first."""
        return self.index.engine.bm25_top(query.terms, depth)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        k = check_k(k)
        rows, scores = self.top(prepare_query(query, self.index.topic, self.index.uses), k)
        return ranked_hits(self.index, rows, scores, k)
