"""The learned part of triage, three logistic regressions stored as plain arrays in ``models/triage/model.npz``:

- ``alarm``: does a sentence touch danger at all (an emergency, or a look-alike: a denial, a past event,
  a question about overdoses)? Scored on every sentence, the highest wins: high recall, few ordinary
  questions. Decides ``check``.
- ``emergency``: is someone in danger now? Scored on the whole message, where denials and time words
  sit beside the alarming ones: high precision. Decides ``emergency``.
- ``category``: which kind of emergency (or an animal).

Each reads the MiniLM sentence embedding, the explicit cues (``medquote.safety.cues``) and hashed word
and character n-grams (scikit-learn's stateless ``HashingVectorizer``, so slang and misspellings
the embedding blurs still count). Trained by ``python -m medquote.training.triage``; applied with NumPy.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from medquote.errors import IndexMismatchError
from medquote.models.files import ROOT, model_file
from medquote.safety.cues import CUE_NAMES, cue_vector, normalise

NONE, ANIMAL = "none", "animal"
FOLDER = ROOT / "triage"
MODEL_FILE = "model.npz"
RETRAIN = "python -m medquote.training.triage"
# Hashed n-gram features: the same settings at training and at use.
NGRAM_FEATURES = 2**14


@dataclass(frozen=True, slots=True)
class Thresholds:
    """``alarm``: alarm probability from which the crisis resources go above the quotes (check);
    ``emergency``: emergency probability from which guidance replaces the quotes; ``rule_emergency``: the
    lower emergency probability that makes a rule match an emergency rather than a check; ``animal``:
    animal probability from which a message naming an animal gets the vet guidance."""

    alarm: float
    emergency: float
    rule_emergency: float
    animal: float


def _vectorizers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": NGRAM_FEATURES, "alternate_sign": False, "norm": "l2", "preprocessor": normalise}
    return (
        HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common),
        HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", **common),
    )


@dataclass(frozen=True)
class Featurizer:
    """Texts (and their embeddings) → the classifiers' feature rows."""

    cue_scale: float

    @cached_property
    def vectorizers(self) -> tuple[Any, Any]:
        return _vectorizers()

    def dense(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        cues = np.stack([cue_vector(text) for text in texts])
        return np.hstack([vectors, self.cue_scale * cues]).astype(np.float32)

    def full(self, vectors: np.ndarray, texts: list[str]) -> Any:
        """Embedding, cues and hashed n-grams, as one sparse matrix."""
        from scipy.sparse import csr_matrix, hstack
        from sklearn import config_context

        chars, words = self.vectorizers
        # The vectorizers are fixed and stateless: scikit-learn's per-call checks only cost time per message.
        with config_context(skip_parameter_validation=True, assume_finite=True):
            hashed = [chars.transform(texts), words.transform(texts)]
        return hstack([csr_matrix(self.dense(vectors, texts)), *hashed]).tocsr()


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class TriageModel:
    """The three classifiers and their thresholds."""

    alarm: tuple[np.ndarray, float]  # (coef over full features, intercept)
    emergency: tuple[np.ndarray, float]
    category: tuple[np.ndarray, np.ndarray]  # (classes × dense features, intercepts)
    classes: tuple[str, ...]  # of the category model: "animal" and the emergency categories
    featurizer: Featurizer
    model_name: str  # the embedder the coefficients were fitted on
    thresholds: Thresholds
    meta: dict[str, Any]

    def binary(self, features: Any) -> tuple[np.ndarray, np.ndarray]:
        """(alarm, emergency) probabilities of rows of ``Featurizer.full``."""
        (alarm, alarm_b), (emergency, emergency_b) = self.alarm, self.emergency
        return _sigmoid(features @ alarm + alarm_b), _sigmoid(features @ emergency + emergency_b)

    def category_probabilities(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """(rows, classes) softmax probabilities of the categories."""
        coef, intercept = self.category
        logits = self.featurizer.dense(vectors, texts) @ coef.T + intercept
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        header = {
            "classes": list(self.classes),
            "cue_names": list(CUE_NAMES),
            "cue_scale": self.featurizer.cue_scale,
            "ngram_features": NGRAM_FEATURES,
            "model_name": self.model_name,
            "thresholds": asdict(self.thresholds),
            "meta": self.meta,
        }
        np.savez_compressed(
            path,
            header=np.array(json.dumps(header)),
            alarm_coef=self.alarm[0].astype(np.float32),
            alarm_intercept=np.float32(self.alarm[1]),
            emergency_coef=self.emergency[0].astype(np.float32),
            emergency_intercept=np.float32(self.emergency[1]),
            category_coef=self.category[0].astype(np.float32),
            category_intercept=self.category[1].astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> TriageModel:
        """The packaged model (or a copy of its folder, or the model file at ``path``), checked by its hash."""
        source = model_file(path, FOLDER, MODEL_FILE, "triage model", RETRAIN)
        with source.open("rb") as handle, np.load(handle) as arrays:
            header = json.loads(str(arrays["header"]))
            if tuple(header["cue_names"]) != CUE_NAMES or header["ngram_features"] != NGRAM_FEATURES:
                raise IndexMismatchError(
                    "the triage model was trained with other features than medquote.safety defines; "
                    f"retrain it with {RETRAIN}"
                )
            return cls(
                alarm=(arrays["alarm_coef"], float(arrays["alarm_intercept"])),
                emergency=(arrays["emergency_coef"], float(arrays["emergency_intercept"])),
                category=(arrays["category_coef"], arrays["category_intercept"]),
                classes=tuple(header["classes"]),
                featurizer=Featurizer(float(header["cue_scale"])),
                model_name=str(header["model_name"]),
                thresholds=Thresholds(**header["thresholds"]),
                meta=dict(header["meta"]),
            )
