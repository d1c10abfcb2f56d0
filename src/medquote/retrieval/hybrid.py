"""The default retriever: dense and BM25 candidates, scored by a weighted sum of named features.

Plain reciprocal-rank fusion throws away how far apart scores are, and lost to dense alone on consumer
wording in our measurements; a weighted sum keeps it. The weights live in one table (``Weights``),
checked when the retriever is built; ``score`` returns each feature's contribution, so anyone can see
why a passage ranked where it did (``medquote ask --debug``, ``medquote eval --report``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from medquote.embed.base import Embedder
from medquote.index.store import Index
from medquote.models.reader import Reader
from medquote.records import Hit, context_text
from medquote.retrieval.base import ranked_hits
from medquote.retrieval.bm25 import BM25Retriever
from medquote.retrieval.dense import DenseRetriever
from medquote.retrieval.features import FEATURES, Candidates, Signals
from medquote.retrieval.query import prepare_query
from medquote.retrieval.rerank import candidate_features, packaged
from medquote.text.qtypes import question_type


@dataclass(frozen=True, slots=True)
class Weights:
    """One weight per feature of ``medquote.retrieval.features.FEATURES``; unnamed features weigh 0."""

    values: Mapping[str, float]

    def __post_init__(self) -> None:
        unknown = sorted(set(self.values) - set(FEATURES))
        if unknown:
            raise ValueError(f"unknown feature(s) {', '.join(unknown)}; features are {', '.join(FEATURES)}")
        bad = [name for name, weight in self.values.items() if not math.isfinite(weight)]
        if bad:
            raise ValueError(f"weights of {', '.join(bad)} must be finite numbers")

    def __getitem__(self, name: str) -> float:
        return float(self.values.get(name, 0.0))

    def replace(self, **changes: float) -> Weights:
        return Weights({**self.values, **changes})

    def active(self) -> list[str]:
        """The features with a non-zero weight, in adding order."""
        return [name for name in FEATURES if self[name]]


# Chosen on a MedQuAD dev split disjoint from the benchmark's test sample (benchmarks/README.md).
DEFAULT_WEIGHTS = Weights(
    {
        "cosine": 0.85,
        "bm25": 0.15,
        "type_prototype": 0.3,
        "answer_cue": 0.05,
        "lead_cue": 0.05,
        "stated_type": 0.1,
        "opening": 0.05,
        "title_match": 1.3,
    }
)
# How many of the first candidates the reader reads (benchmarks/README.md: chosen on the dev sets by
# recall of an answering passage against answer() latency).
READ_DEPTH = 8
# Dense and BM25 alone: the "hybrid" baseline of `medquote eval`.
PLAIN_WEIGHTS = Weights({"cosine": 0.7, "bm25": 0.3})


@dataclass(frozen=True, slots=True)
class Scored:
    """A question's candidates: ``fused[i]`` is the score of passage row ``rows[i]``, the sum of
    ``contributions[name][i]`` (weight × feature value) over the active features."""

    rows: np.ndarray
    fused: np.ndarray
    cosine: np.ndarray
    contributions: dict[str, np.ndarray]
    # The reranker's chance that the candidate answers, for the first candidates of a single-topic corpus
    # (NaN for the others); None when the fused order stands (medquote.retrieval.rerank).
    answers: np.ndarray | None = None
    # P(answers) for the first candidates (NaN for the others): the reader's score combined with the
    # reranker's (medquote.models.reader.Combination); None without a reader. Where it is given, it
    # decides the order of the candidates it read.
    read: np.ndarray | None = None

    def order(self) -> np.ndarray:
        """Candidate positions, best first: those the reader read by its probability, then the reranked ones
        by their chance of answering, then the rest by fused score (ties keep row order)."""
        return self._order(use_reader=True)

    def retrieved_order(self) -> np.ndarray:
        """The order before the reader: what it reads the first candidates of."""
        return self._order(use_reader=False)

    def _order(self, *, use_reader: bool) -> np.ndarray:
        order = np.argsort(-self.fused, kind="stable")
        if self.answers is not None:
            reranked = ~np.isnan(self.answers[order])
            top = order[reranked]
            order = np.concatenate([top[np.argsort(-self.answers[top], kind="stable")], order[~reranked]])
        if use_reader and self.read is not None:
            read = ~np.isnan(self.read[order])
            top = order[read]
            order = np.concatenate([top[np.argsort(-self.read[top], kind="stable")], order[~read]])
        return order

    def best_read(self) -> float:
        """The reader's highest probability among the candidates it read (0 when nothing was read)."""
        if self.read is None or np.all(np.isnan(self.read)):
            return 0.0
        return float(np.nanmax(self.read))

    def ranking(self) -> np.ndarray:
        """A score per candidate that sorts as ``order`` does (the fused score when nothing was reranked)."""
        if self.answers is None and self.read is None:
            return self.fused
        ranking = np.empty(len(self.rows), dtype=np.float32)
        ranking[self.order()] = np.arange(len(self.rows), 0, -1, dtype=np.float32)
        return ranking

    def explain(self, position: int) -> dict[str, float]:
        """Each feature's contribution to the candidate at ``position``."""
        return {name: float(values[position]) for name, values in self.contributions.items()}


class HybridRetriever:
    """Dense and BM25 candidates (``depth`` of each) scored by ``weights``."""

    name = "hybrid"

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        *,
        weights: Weights = DEFAULT_WEIGHTS,
        depth: int = 200,
        rerank: bool = True,
        reader: Reader | None = None,
        read_depth: int = READ_DEPTH,
    ) -> None:
        self.index = index
        self.reader = reader
        self.read_depth = read_depth
        self.embedder = embedder
        self.weights = weights
        self.depth = depth
        self.rerank = rerank
        self.dense = DenseRetriever(index, embedder)
        self.bm25 = BM25Retriever(index)
        self.signals = Signals(index, embedder)

    def clone(self, *, index: Index | None = None, embedder: Embedder | None = None) -> HybridRetriever:
        """The same retriever over another index (a rebuilt one) or with another embedder."""
        twin = HybridRetriever(
            index or self.index, embedder or self.embedder, weights=self.weights, depth=self.depth, rerank=self.rerank,
            reader=self.reader, read_depth=self.read_depth,
        )  # fmt: skip
        twin.name = self.name
        return twin

    def query_text(self, question: str) -> str:
        """What the dense side embeds for ``question`` (for callers that embed it in a batch of their own)."""
        return prepare_query(question, self.index.topic, self.index.uses).dense_text

    def score(self, question: str, *, vector: np.ndarray | None = None) -> Scored:
        """The candidates of ``question`` with their fused scores and each feature's contribution.

        ``vector``: the embedding of ``query_text(question)``, when the caller has it already.
        """
        prepared = prepare_query(question, self.index.topic, self.index.uses)
        if vector is None:
            vector = self.dense.embed(prepared)
        # The engine only proposes candidates; every score below is computed here (medquote.engines.base).
        engine = self.index.engine
        dense_rows, _ = engine.dense_top(vector, self.depth)
        lexical_rows, lexical_top = engine.bm25_top(prepared.terms, self.depth)
        rows = np.unique(np.concatenate([dense_rows, lexical_rows]).astype(np.int64))
        vectors = engine.vectors(rows)
        top_lexical = float(lexical_top.max()) if lexical_top.size else 0.0
        candidates = Candidates(
            query=prepared,
            qtype=question_type(question),
            rows=rows,
            vectors=vectors,
            cosine=(vectors @ vector).astype(np.float32),
            bm25=engine.bm25_of(prepared.terms, rows) / top_lexical
            if top_lexical > 0
            else np.zeros(len(rows), dtype=np.float32),
        )
        fused = np.zeros(len(rows), dtype=np.float32)
        contributions = {}
        for name in self.weights.active():
            contribution = self.weights[name] * FEATURES[name](candidates, self.signals)
            contributions[name] = contribution.astype(np.float32)
            fused += contributions[name]
        answers = self._answers(rows, fused, candidates, contributions)
        scored = Scored(rows, fused, candidates.cosine, contributions, answers)
        return self._read(question, scored) if self.reader is not None else scored

    def _read(self, question: str, scored: Scored) -> Scored:
        """The reader's probabilities for the first ``read_depth`` candidates of the retrieved order."""
        top = scored.retrieved_order()[: self.read_depth]
        if not top.size:
            return scored
        passages = [self.index.passages[int(scored.rows[p])] for p in top]
        texts = [context_text(p, self.index.source_of(p)) for p in passages]
        read = np.full(len(scored.rows), np.nan)
        rerank = scored.answers[top] if scored.answers is not None else None
        regime = "topic" if self.index.topic else "open"
        read[top] = self.reader.candidates(question, texts, regime, rerank)  # type: ignore[union-attr]
        return replace(scored, read=read)

    def _answers(
        self, rows: np.ndarray, fused: np.ndarray, candidates: Candidates, contributions: dict[str, np.ndarray]
    ) -> np.ndarray | None:
        """The reranker's chances for the first candidates, where it applies (a topic, its weights)."""
        if not (self.rerank and self.index.topic and rows.size):
            return None
        reranker = packaged()
        if not reranker.fits(dict(self.weights.values)):
            return None
        top = np.argsort(-fused, kind="stable")[: reranker.depth]
        x = candidate_features(self.index, rows, fused, candidates.cosine, contributions, top)
        answers = np.full(len(rows), np.nan)
        answers[top] = reranker.probabilities(x)
        return answers

    def search(self, query: str, k: int = 10) -> list[Hit]:
        scored = self.score(query)
        return ranked_hits(self.index, scored.rows, scored.ranking(), k)
