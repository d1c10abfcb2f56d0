"""Retrievers over a loaded index: BM25, dense (FAISS), and their fusion.

Every retriever takes the question as typed; ``prepare_query`` adds what consumer wording leaves out
(brand ↔ generic names, lay synonyms, and the corpus topic for "this medicine").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from medquote.embed import Embedder
from medquote.index import Index
from medquote.lexical import synonyms_in, tokenize
from medquote.qtype import TypePrototypes, question_type
from medquote.records import Hit

RETRIEVERS = ("bm25", "dense", "hybrid", "default")
_DEICTIC = re.compile(
    r"\b(this|that|the|my|these|those)\s+(medicine|medication|drug|pill|pills|tablet|tablets|meds?)\b"
    r"|\b(it|its)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Query:
    """The typed question and what each retriever searches with."""

    text: str
    dense_text: str
    terms: tuple[str, ...]


def prepare_query(text: str, topic: str = "") -> Query:
    """Expand the question with synonyms, and with the corpus topic when it only says "this medicine"."""
    extra = synonyms_in(text)
    if topic and _DEICTIC.search(text) and not any(w in text.lower() for w in topic.lower().split()):
        extra.append(topic)
    expanded = f"{text} ({', '.join(extra)})" if extra else text
    return Query(text, expanded, tuple(tokenize(expanded)))


class Retriever(Protocol):
    name: str

    def search(self, query: str, k: int = 10) -> list[Hit]: ...


def _hits(index: Index, rows: np.ndarray, scores: np.ndarray, k: int) -> list[Hit]:
    order = np.argsort(-scores, kind="stable")[:k]
    return [
        Hit(index.passages[int(rows[i])], float(scores[i]), rank) for rank, i in enumerate(order, start=1)
    ]


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
        scores = self.scores(prepare_query(query, self.index.topic))
        rows = np.flatnonzero(scores > 0)
        return _hits(self.index, rows, scores[rows], k)


class DenseRetriever:
    name = "dense"

    def __init__(self, index: Index, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def embed(self, query: Query) -> np.ndarray:
        return self.embedder.encode([query.dense_text])[0]

    def top(self, vector: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        depth = min(depth, self.index.dense.ntotal)
        scores, rows = self.index.dense.search(vector.reshape(1, -1), depth)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep]

    def search(self, query: str, k: int = 10) -> list[Hit]:
        rows, scores = self.top(self.embed(prepare_query(query, self.index.topic)), k)
        return _hits(self.index, rows, scores, k)


class HybridRetriever:
    """Dense and BM25 candidates, scored by a weighted sum of cosine and max-normalised BM25, plus (with
    ``type_weight``) how well each passage fits the kind of answer the question asks for.

    Plain reciprocal-rank fusion throws away how far apart scores are, and lost to dense alone on
    consumer wording in our measurements; a weighted sum keeps it (see benchmarks/README).
    """

    name = "hybrid"

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        *,
        dense_weight: float = 0.7,
        type_weight: float = 0.0,
        depth: int = 100,
    ) -> None:
        self.index = index
        self.dense = DenseRetriever(index, embedder)
        self.bm25 = BM25Retriever(index)
        self.dense_weight = dense_weight
        self.type_weight = type_weight
        self.depth = depth
        self._prototypes: TypePrototypes | None = None

    def prototypes(self) -> TypePrototypes:
        if self._prototypes is None:
            self._prototypes = TypePrototypes.embed(self.dense.embedder)
        return self._prototypes

    def score(self, query: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidate rows, their fused scores, and their cosine similarities."""
        prepared = prepare_query(query, self.index.topic)
        vector = self.dense.embed(prepared)
        dense_rows, _ = self.dense.top(vector, self.depth)
        lexical = self.bm25.scores(prepared)
        lexical_rows = np.argpartition(-lexical, min(self.depth, len(lexical) - 1))[: self.depth]
        lexical_rows = lexical_rows[lexical[lexical_rows] > 0]
        rows = np.unique(np.concatenate([dense_rows, lexical_rows]).astype(np.int64))
        vectors = self.index.dense.reconstruct_batch(rows)
        cosine = vectors @ vector
        top_lexical = float(lexical.max()) if lexical.size else 0.0
        normalised = lexical[rows] / top_lexical if top_lexical > 0 else np.zeros(len(rows), dtype=np.float32)
        fused = self.dense_weight * cosine + (1.0 - self.dense_weight) * normalised
        qtype = question_type(query) if self.type_weight else None
        if qtype is not None:
            fused = fused + self.type_weight * self.prototypes().affinity(vectors, qtype)
        return rows, fused.astype(np.float32), cosine.astype(np.float32)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        rows, fused, _ = self.score(query)
        return _hits(self.index, rows, fused, k)


def make_retriever(name: str, index: Index, embedder: Embedder | None) -> Retriever:
    """``bm25``, ``dense``, ``hybrid`` or ``default`` (what `medquote ask` uses)."""
    if name == "bm25":
        return BM25Retriever(index)
    if embedder is None:
        raise ValueError(f"the {name} retriever needs an embedder")
    if name == "dense":
        return DenseRetriever(index, embedder)
    if name in ("hybrid", "default"):
        retriever = HybridRetriever(index, embedder)
        if name == "default":
            retriever.name = "default"
        return retriever
    raise ValueError(f"unknown retriever {name!r}; use one of {', '.join(RETRIEVERS)}")
