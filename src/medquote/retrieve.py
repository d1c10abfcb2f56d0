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
from medquote.lexical import jaccard, synonyms_in, tokenize, trigrams, words
from medquote.qtype import TEMPLATE_WORDS, TYPE_NAMES, TypePrototypes, question_type
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
    return [Hit(index.passages[int(rows[i])], float(scores[i]), rank) for rank, i in enumerate(order, start=1)]


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


@dataclass(frozen=True, slots=True)
class Weights:
    """How the hybrid score is made. The defaults were chosen on a MedQuAD dev split (benchmarks/README.md).

    ``dense`` weighs the cosine against max-normalised BM25 (``1 - dense``); the rest are added:
    ``prototype``, the passage's affinity to the question type's prototype; ``cue`` and ``lead_cue``, the
    passage (or its first 25 words) having the wording of that type of answer; ``stated``, +1/-1 when
    the passage's heading or opening question is of the same / another type; ``title``, the character
    trigram overlap of the question's subject words with the source title; ``opening``, the passage
    being the first of its source.
    """

    dense: float = 0.85
    prototype: float = 0.3
    cue: float = 0.05
    lead_cue: float = 0.05
    stated: float = 0.1
    title: float = 1.3
    # A source's opening passage usually says what it is about.
    opening: float = 0.05


PLAIN = Weights(dense=0.7, prototype=0.0, cue=0.0, lead_cue=0.0, stated=0.0, title=0.0, opening=0.0)


class HybridRetriever:
    """Dense and BM25 candidates, scored by a weighted sum of cosine and max-normalised BM25, plus what
    the question's type and subject say about each passage (see ``Weights``).

    Plain reciprocal-rank fusion throws away how far apart scores are, and lost to dense alone on
    consumer wording in our measurements; a weighted sum keeps it.
    """

    name = "hybrid"

    def __init__(self, index: Index, embedder: Embedder, *, weights: Weights = Weights(), depth: int = 200) -> None:
        self.index = index
        self.dense = DenseRetriever(index, embedder)
        self.bm25 = BM25Retriever(index)
        self.weights = weights
        self.depth = depth
        self._prototypes: TypePrototypes | None = None
        self._titles: dict[str, frozenset[str]] = {}
        self._opening = np.array([p.start == 0 for p in index.passages], dtype=np.float32)

    def prototypes(self) -> TypePrototypes:
        if self._prototypes is None:
            self._prototypes = TypePrototypes.embed(self.dense.embedder)
        return self._prototypes

    def _title_grams(self, source_id: str) -> frozenset[str]:
        grams = self._titles.get(source_id)
        if grams is None:
            grams = self._titles[source_id] = trigrams(words(self.index.sources[source_id].title))
        return grams

    def score(self, query: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidate rows, their fused scores, and their cosine similarities."""
        w = self.weights
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
        fused = w.dense * cosine + (1.0 - w.dense) * normalised
        qtype = question_type(query)
        if qtype is not None and (w.prototype or w.cue or w.lead_cue or w.stated):
            bit = TYPE_NAMES.index(qtype)
            features = self.index.features
            fused += w.prototype * self.prototypes().affinity(vectors, qtype)
            fused += w.cue * ((features["cues"][rows] >> bit) & 1).astype(np.float32)
            fused += w.lead_cue * ((features["lead_cues"][rows] >> bit) & 1).astype(np.float32)
            stated = features["stated"][rows]
            fused += w.stated * np.where(stated < 0, 0.0, np.where(stated == bit, 1.0, -1.0)).astype(np.float32)
        fused += w.opening * self._opening[rows]
        if w.title:
            # The subject beyond the corpus topic: in a corpus all about Klonopin, every title saying
            # "Klonopin" tells the sources apart no better than none does.
            ignored = TEMPLATE_WORDS | set(words(self.index.topic))
            subject = trigrams([word for word in words(query) if word not in ignored])
            titles = [self._title_grams(self.index.passages[int(row)].source_id) for row in rows]
            fused += w.title * np.array([jaccard(subject, t) for t in titles], dtype=np.float32)
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
    if name == "hybrid":
        return HybridRetriever(index, embedder, weights=PLAIN)
    if name == "default":
        retriever = HybridRetriever(index, embedder)
        retriever.name = "default"
        return retriever
    raise ValueError(f"unknown retriever {name!r}; use one of {', '.join(RETRIEVERS)}")
