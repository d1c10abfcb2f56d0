"""BM25 over the index's stemmed passage terms (bm25s)."""

from __future__ import annotations

import numpy as np

from medquote.index.store import Index
from medquote.records import Hit
from medquote.retrieval.base import ranked_hits
from medquote.retrieval.query import Query, prepare_query


class BM25Retriever:
    name = "bm25"

    def __init__(self, index: Index) -> None:
        self.index = index

    def scores(self, query: Query) -> np.ndarray:
        """BM25 score of every passage (zeros when no query term is in the vocabulary)."""
        ids = self.index.bm25.get_tokens_ids(list(query.terms))
        if not ids:
            return np.zeros(len(self.index.passages), dtype=np.float32)
        return self.index.bm25.get_scores_from_ids(ids)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        scores = self.scores(prepare_query(query, self.index.topic, self.index.uses))
        rows = np.flatnonzero(scores > 0)
        return ranked_hits(self.index, rows, scores[rows], k)
