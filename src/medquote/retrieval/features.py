"""Scoring ideas, one small function each: what they measure and in what range.

Every feature maps the candidate passages of one question (``Candidates``) to one float32 value per
passage; ``medquote.retrieval.hybrid`` multiplies each by its weight and adds them up. Features that
need per-index or per-model state (type prototypes, title trigrams) get it from ``Signals``, built once
per retriever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from medquote.embed.base import Embedder
from medquote.index.store import Index
from medquote.retrieval.query import Query
from medquote.text.qtypes import TEMPLATE_WORDS, TYPE_NAMES, prototype_texts
from medquote.text.tokens import jaccard, trigrams, words


@dataclass(frozen=True, slots=True)
class Candidates:
    """A question and its candidate passages: what every feature sees."""

    query: Query
    qtype: str | None  # the question's type (medquote.text.qtypes.question_type), None if unsaid
    rows: np.ndarray  # candidate passage rows in the index
    vectors: np.ndarray  # their unit vectors
    cosine: np.ndarray  # question · passage
    bm25: np.ndarray  # BM25 divided by the best BM25 score of the engine's top-k (= of all passages, embedded)


@dataclass(slots=True)
class Signals:
    """Per-index and per-model state some features need, computed on first use."""

    index: Index
    embedder: Embedder
    _prototypes: np.ndarray | None = None
    _titles: dict[str, frozenset[str]] = field(default_factory=dict)
    _opening: np.ndarray | None = None
    _baseline: np.ndarray | None = None

    def prototypes(self) -> np.ndarray:
        """The type prototypes' unit vectors (types × dimension), in TYPE_NAMES order."""
        if self._prototypes is None:
            self._prototypes = self.embedder.encode(list(prototype_texts()))
        return self._prototypes

    def title_grams(self, source_id: str) -> frozenset[str]:
        grams = self._titles.get(source_id)
        if grams is None:
            grams = self._titles[source_id] = trigrams(words(self.index.sources[source_id].title))
        return grams

    def baseline(self) -> np.ndarray:
        """What a passage close to everything is close to: the embedding of the corpus topic's name, or,
        without a topic, the unit mean of (a sample of) the passage vectors."""
        if self._baseline is None:
            topic = self.index.topic.split()
            if topic:
                self._baseline = self.embedder.encode([topic[0]])[0]
            else:
                total = len(self.index.passages)
                rows = np.arange(0, total, max(1, total // 20_000), dtype=np.int64)
                mean = self.index.engine.vectors(rows).mean(axis=0)
                self._baseline = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
        return self._baseline

    def opening(self) -> np.ndarray:
        if self._opening is None:
            self._opening = np.array([p.start == 0 for p in self.index.passages], dtype=np.float32)
        return self._opening


def _none(c: Candidates) -> np.ndarray:
    return np.zeros(len(c.rows), dtype=np.float32)


def cosine(c: Candidates, s: Signals) -> np.ndarray:
    """[-1, 1]: the question's embedding · the passage's (title and section included)."""
    return c.cosine


def bm25(c: Candidates, s: Signals) -> np.ndarray:
    """[0, 1]: the passage's BM25 score over the best one for this question (the engine's own scale divides out)."""
    return c.bm25


def type_prototype(c: Candidates, s: Signals) -> np.ndarray:
    """[-2, 2], in practice ±0.3: how much more the passage resembles a typical answer of the question's
    type (symptoms, causes, …) than it resembles the average type; 0 when the question's type is unsaid."""
    if c.qtype is None:
        return _none(c)
    similarity = c.vectors @ s.prototypes().T
    return similarity[:, TYPE_NAMES.index(c.qtype)] - similarity.mean(axis=1)


def answer_cue(c: Candidates, s: Signals) -> np.ndarray:
    """{0, 1}: the passage has the wording of the question type's answers ("caused by" for causes)."""
    if c.qtype is None:
        return _none(c)
    return s.index.features["cues"][c.rows, TYPE_NAMES.index(c.qtype)].astype(np.float32)


def lead_cue(c: Candidates, s: Signals) -> np.ndarray:
    """{0, 1}: that wording comes in the passage's first 25 words."""
    if c.qtype is None:
        return _none(c)
    return s.index.features["lead_cues"][c.rows, TYPE_NAMES.index(c.qtype)].astype(np.float32)


def stated_type(c: Candidates, s: Signals) -> np.ndarray:
    """{-1, 0, 1}: the passage's heading or opening question declares the question's type (1), another
    type (-1), or none (0)."""
    if c.qtype is None:
        return _none(c)
    stated = s.index.features["stated"][c.rows]
    wanted = TYPE_NAMES.index(c.qtype)
    return np.where(stated < 0, 0.0, np.where(stated == wanted, 1.0, -1.0)).astype(np.float32)


def opening(c: Candidates, s: Signals) -> np.ndarray:
    """{0, 1}: the passage is its source's first (a source's opening usually says what it is about)."""
    return s.opening()[c.rows]


def title_match(c: Candidates, s: Signals) -> np.ndarray:
    """[0, 1]: character-trigram Jaccard overlap of the question's subject words with the source title.

    Words that phrase a question's type and the corpus topic are left out: in a corpus all about
    Klonopin, every title saying "Klonopin" tells the sources apart no better than none does.
    """
    ignored = TEMPLATE_WORDS | set(words(s.index.topic))
    subject = trigrams([word for word in words(c.query.text) if word not in ignored])
    by_source: dict[str, float] = {}  # candidates often share a source: one overlap each
    values = []
    for row in c.rows:
        source_id = s.index.passages[int(row)].source_id
        if source_id not in by_source:
            by_source[source_id] = jaccard(subject, s.title_grams(source_id))
        values.append(by_source[source_id])
    return np.array(values, dtype=np.float32)


Feature = Callable[[Candidates, Signals], np.ndarray]

# Every feature by name, in the order their weighted values are added.
FEATURES: dict[str, Feature] = {
    "cosine": cosine,
    "bm25": bm25,
    "type_prototype": type_prototype,
    "answer_cue": answer_cue,
    "lead_cue": lead_cue,
    "stated_type": stated_type,
    "opening": opening,
    "title_match": title_match,
}
