"""A learned order for the best candidates of a single-topic corpus.

In a corpus all about one medicine, the fused score's weights (chosen on MedQuAD, where a title match
decides most questions) put the passage that answers first for about three questions in four. A logistic
regression over each candidate's feature contributions, its fused score, its gap to the best one, its
rank, its cosine and its length, trained on consumer questions with graded answer spans
(``python -m medquote.training.rerank``), estimates the chance that a candidate answers; the first ``depth``
candidates are put in that order, the rest keep theirs. It is used only with the weights it was trained
on, and only where the index has a topic: an open corpus (MedQuAD) keeps the fused order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from medquote.index.store import Index
from medquote.models.files import ROOT, model_file
from medquote.retrieval.features import FEATURES

FOLDER = ROOT / "rerank"
MODEL_FILE = "model.json"
RETRAIN = "python -m medquote.training.rerank"
# What the regression reads of each candidate, after one column per feature of FEATURES.
EXTRA = ("fused", "gap", "rank", "cosine", "words")
COLUMNS = (*FEATURES, *EXTRA)


def candidate_features(
    index: Index,
    rows: np.ndarray,
    fused: np.ndarray,
    cosine: np.ndarray,
    contributions: dict[str, np.ndarray],
    positions: np.ndarray,
) -> np.ndarray:
    """One row of ``COLUMNS`` per candidate position in ``positions`` (given best first by fused score)."""
    best = float(fused[positions[0]]) if positions.size else 0.0
    columns = [
        contributions[name][positions] if name in contributions else np.zeros(len(positions)) for name in FEATURES
    ]
    columns += [
        fused[positions],
        fused[positions] - best,
        np.arange(len(positions), dtype=np.float64),
        cosine[positions],
        np.array([len(index.passages[int(rows[p])].text.split()) for p in positions], dtype=np.float64),
    ]
    return np.column_stack(columns).astype(np.float64)


@dataclass(frozen=True, slots=True)
class Reranker:
    """P(answers) = sigmoid(coef · (x - mean) / scale + intercept) over ``COLUMNS``, for the first ``depth``
    candidates, with the fusion ``weights`` it was trained on."""

    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    depth: int
    weights: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def fits(self, weights: dict[str, float]) -> bool:
        """Whether candidates fused with ``weights`` are what this model learnt from."""
        return {k: v for k, v in weights.items() if v} == {k: v for k, v in self.weights.items() if v}

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = ((x - np.array(self.mean)) / np.array(self.scale)) @ np.array(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path) -> None:
        data = {
            "columns": list(COLUMNS),
            "coef": [round(c, 6) for c in self.coef],
            "intercept": round(self.intercept, 6),
            "mean": [round(m, 6) for m in self.mean],
            "scale": [round(s, 6) for s in self.scale],
            "depth": self.depth,
            "weights": self.weights,
            "meta": self.meta,
        }
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | None = None) -> Reranker:
        """The packaged model (or a copy of its folder, or the model file at ``path``), checked by its hash."""
        data = json.loads(model_file(path, FOLDER, MODEL_FILE, "rerank model", RETRAIN).read_text(encoding="utf-8"))
        if tuple(data["columns"]) != COLUMNS:
            raise ValueError(f"{path or FOLDER / MODEL_FILE}: trained on other columns; retrain it ({RETRAIN})")
        return cls(
            tuple(data["coef"]),
            float(data["intercept"]),
            tuple(data["mean"]),
            tuple(data["scale"]),
            int(data["depth"]),
            dict(data["weights"]),
            dict(data.get("meta", {})),
        )


@cache
def packaged() -> Reranker:
    """The reranker that ships with medquote (loaded once)."""
    return Reranker.load()
