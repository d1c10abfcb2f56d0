"""Dense retrieval: the question's embedding against the passages' (inner product of unit vectors, by the
index's search engine: FAISS, or Milvus)."""

from __future__ import annotations

import numpy as np

from medquote.embed.base import Embedder
from medquote.index.store import Index
from medquote.records import Hit
from medquote.retrieval.base import check_k, ranked_hits
from medquote.retrieval.query import Query, prepare_query


class DenseRetriever:
    name = "dense"

    def __init__(self, index: Index, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def embed(self, query: Query) -> np.ndarray:
        return self.embedder.encode([query.dense_text])[0]

    def top(self, vector: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``depth`` nearest passages' rows and cosines."""
        return self.index.engine.dense_top(vector, depth)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        k = check_k(k)
        rows, scores = self.top(self.embed(prepare_query(query, self.index.topic, self.index.uses)), k)
        return ranked_hits(self.index, rows, scores, k)
