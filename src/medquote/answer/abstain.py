"""When to say "not found" instead of quoting, and which further quotes to add: every rule lives here.

Answerability is a calibrated decision, not one cosine cut: a logistic regression per kind of corpus
(``models/abstain/model.json``, trained by ``python -m medquote.training.abstain`` on labelled answerable and
unanswerable questions) reads what the retrieval found:

- ``best_cosine``: the best candidate's cosine with the question;
- ``topic_margin``: how much closer that passage is to the question than to the corpus topic alone (a
  passage that merely "mentions Klonopin" is as close to "Klonopin" as to the question);
- ``coverage_best`` / ``coverage_top``: the share of the question's content words (not its question
  words, the topic's names or everyday words like take, drug, cause, dose, work) found — as written, by
  stem prefix, or by a synonym — in the best passage / the best three;
- ``unknown``: the share of content words the whole corpus never uses;
- ``no_content``: the question is only about the topic ("what is Klonopin?");
- ``answer_type``: when the question's wording asks for a kind of answer (a duration for "how long", an
  amount for "how much", a cause for "why"), whether the best three passages contain one (1 otherwise).

Calibrated with all-MiniLM-L6-v2; another embedding model has another cosine scale, so the assistant
warns when it runs with one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from medquote.answer.highlight import expected_answers
from medquote.index.store import Index
from medquote.models.files import ROOT, SAME_VECTORS, fitted_on, model_file
from medquote.models.reader import Reader
from medquote.records import context_text
from medquote.retrieval.hybrid import Scored
from medquote.retrieval.query import synonyms_in, topic_names
from medquote.text.tokens import jaccard, tokenize, trigrams, words

FOLDER = ROOT / "abstain"
MODEL_FILE = "model.json"
RETRAIN = "python -m medquote.training.abstain"
FEATURES = ("best_cosine", "topic_margin", "coverage_best", "coverage_top", "unknown", "no_content", "answer_type")
# Words that say what kind of question it is or fill it out, not what it is about.
EVERYDAY = frozenset(
    tokenize(
        # what a question does rather than what it is about
        "take taking took takes make makes made cause causes caused get gets give gives use using used work "
        "works working help helps happen happens feel feeling felt need want know mean go going come safe bad "
        "good ok okay normal long much many really like thing things stuff people someone anyone everyone day "
        "days week weeks month months year years time times first last dose doses drug drugs medicine "
        "medication med meds pill pills tablet tablets effect effects side actually also even ever still will "
        "would kind kinda sort true false weird wrong right issue issues problem problems deal way ways "
        "exactly anymore again lot lots little bit start started starting stop stopped "
        # chat spelling and contractions
        "isnt dont doesnt didnt cant wont wouldnt shouldnt arent wasnt im ive id u ur w bc tho pls plz lol "
        # who is asking
        "son daughter kid kids child friend friends husband wife partner mom dad mother father doctor dr "
        "job read heard told say says said think"
    )
)
# A further quote that shares this much of its wording with an earlier one says the same thing.
DUPLICATE = 0.6


# The backends whose vectors are the calibration's: torch, torch-bf16 and onnx (cosine ≥ 0.9999 with
# torch's, tests/index/test_onnx.py and test_bf16.py). Not onnx-int8: its cosines are ~0.6 % off torch's.
CALIBRATED_BACKENDS = SAME_VECTORS


def calibrated_for(model_name: str) -> bool:
    """Whether the answerability model was fitted on vectors of this embedding model (on a backend that
    gives the same vectors)."""
    return fitted_on(AnswerabilityModel.load().model_name, model_name, exact_vectors=True)


# The six-letter prefixes of a vocabulary, by its identity: an index's is computed once, not per question.
_PREFIXES: dict[int, frozenset[str]] = {}


def _prefixes(vocabulary: set[str] | dict[str, int]) -> frozenset[str]:
    key = id(vocabulary)
    found = _PREFIXES.get(key)
    if found is None:
        if len(_PREFIXES) > 8:
            _PREFIXES.clear()
        found = _PREFIXES[key] = frozenset(word[:6] for word in vocabulary if len(word) >= 6)
    return found


def _stem_match(term: str, vocabulary: set[str] | dict[str, int]) -> bool:
    """``term`` is in ``vocabulary``, or a word there shares its first six letters (paranoia ~ paranoid)."""
    if term in vocabulary:
        return True
    if len(term) < 6:
        return False
    if isinstance(vocabulary, dict):  # an index's vocabulary: large, and the same for every question
        return term[:6] in _prefixes(vocabulary)
    return any(len(word) >= 6 and word[:6] == term[:6] for word in vocabulary)


def content_words(index: Index, question: str) -> dict[str, str]:
    """The question's content words (word → its BM25 term), beyond question words, everyday words and the
    names of the corpus topic."""
    names = topic_names(index.topic) if index.topic else frozenset()
    found: dict[str, str] = {}
    for word in words(question):
        terms = tokenize(word)
        if len(terms) == 1 and terms[0] not in EVERYDAY and terms[0] not in names and terms[0] not in found.values():
            found[word] = terms[0]
    return found


def answerability(index: Index, question: str, scored: Scored, baseline: np.ndarray) -> dict[str, float]:
    """The features of the answerability model for one question and its scored candidates."""
    order = scored.order()
    content = content_words(index, question)
    # Each content word as written, and the terms of its synonyms that the corpus uses.
    alternatives = {word: set(tokenize(" ".join(synonyms_in(word, index.uses)))) for word in content}

    def tokens(rows: np.ndarray) -> set[str]:
        found: set[str] = set()
        for row in rows:
            passage = index.passages[int(row)]
            found.update(tokenize(context_text(passage, index.source_of(passage))))
        return found

    def found_in(vocabulary: set[str] | dict[str, int]) -> list[bool]:
        return [_stem_match(term, vocabulary) or any(a in vocabulary for a in alternatives[word])
                for word, term in content.items()]  # fmt: skip

    best = int(scored.rows[order[0]])
    best_cosine = float(scored.cosine[order[0]])
    known = found_in(index.bm25.vocab_dict)
    top = [index.passages[int(row)].text for row in scored.rows[order[:3]]]
    expected = expected_answers(question)
    return {
        "best_cosine": best_cosine,
        "topic_margin": best_cosine - float(index.engine.vectors(np.array([best]))[0] @ baseline),
        "coverage_best": float(np.mean(found_in(tokens(scored.rows[order[:1]])))) if content else 1.0,
        "coverage_top": float(np.mean(found_in(tokens(scored.rows[order[:3]])))) if content else 1.0,
        "unknown": 1.0 - float(np.mean(known)) if content else 0.0,
        "no_content": float(not content),
        "answer_type": float(all(any(p.search(text) for text in top) for p in expected)),
    }


@dataclass(frozen=True, slots=True)
class Regime:
    """One logistic regression: P(answerable) = sigmoid(coef · features + intercept); quotes from
    ``threshold``. Without coefficients, the rule calibrated on MedQuAD before the regressions: answerable
    (P = 1) when the best cosine reaches ``min_cosine`` and the best three passages contain a content
    word of the question (or it has none), else P = 0."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    min_cosine: float = 0.0

    def probability(self, x: np.ndarray, features: tuple[str, ...]) -> float:
        if not self.coef:
            values = dict(zip(features, x, strict=True))
            covered = values["coverage_top"] > 0 or values["no_content"] > 0
            return float(values["best_cosine"] >= self.min_cosine and covered)
        return float(1.0 / (1.0 + np.exp(-(x @ np.array(self.coef) + self.intercept))))


@dataclass(frozen=True, slots=True)
class AnswerabilityModel:
    """The answerability regressions, one per kind of corpus: ``topic`` (all about one subject, like the
    default corpus: the topic's names say nothing, every passage is near every question) and ``open``
    (many subjects, like MedQuAD: most words of any question occur somewhere)."""

    regimes: dict[str, Regime]
    model_name: str
    features: tuple[str, ...] = FEATURES
    meta: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def regime_of(index: Index) -> str:
        return "topic" if index.topic else "open"

    def probability(self, values: dict[str, float], regime: str) -> float:
        x = np.array([values[name] for name in self.features], dtype=np.float64)
        return self.regimes[regime].probability(x, self.features)

    def save(self, path: Path) -> None:
        data = {
            "features": list(self.features),
            "model_name": self.model_name,
            "regimes": {
                name: {
                    "coef": [round(c, 6) for c in r.coef],
                    "intercept": round(r.intercept, 6),
                    "threshold": r.threshold,
                    "min_cosine": r.min_cosine,
                }
                for name, r in self.regimes.items()
            },
            "meta": self.meta,
        }
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | None = None) -> AnswerabilityModel:
        """The packaged model (or a copy of its folder, or the model file at ``path``), checked by its hash."""
        data = json.loads(
            model_file(path, FOLDER, MODEL_FILE, "answerability model", RETRAIN).read_text(encoding="utf-8")
        )
        regimes = {
            name: Regime(
                tuple(float(c) for c in r["coef"]), float(r["intercept"]), float(r["threshold"]), float(r["min_cosine"])
            )
            for name, r in data["regimes"].items()
        }
        return cls(regimes, str(data["model_name"]), tuple(data["features"]), dict(data.get("meta", {})))


@dataclass(frozen=True, slots=True)
class Abstention:
    """``threshold``: answerability probability below which the answer is "not found" (None: the model's
    own, chosen at training). ``relative_floor``: a further passage is quoted only if its fused score is
    at least this share of the best one's, it contains one of the question's content words, and it does
    not repeat an earlier quote."""

    model: AnswerabilityModel = field(default_factory=AnswerabilityModel.load)
    threshold: float | None = None
    relative_floor: float = 0.85
    # The reader whose probabilities decide, when the retriever read the candidates (its thresholds).
    reader: Reader | None = None

    def cut_for(self, index: Index) -> float:
        """The answerability probability from which quotes are shown, for this kind of corpus."""
        if self.threshold is not None:
            return self.threshold
        return self.model.regimes[self.model.regime_of(index)].threshold

    def probability(self, index: Index, question: str, scored: Scored, baseline: np.ndarray) -> float:
        if scored.rows.size == 0:
            return 0.0
        return self.model.probability(answerability(index, question, scored, baseline), self.model.regime_of(index))

    def threshold_for(self, index: Index) -> float:
        """The threshold ``confidence`` is compared with on ``index``."""
        if self.reader is not None:
            return self.reader.spec.threshold(self.model.regime_of(index))
        return self.cut_for(index)

    def confidence(self, index: Index, question: str, scored: Scored, baseline: np.ndarray) -> float:
        """The probability the "not found" threshold is applied to: the reader's best, when it read the
        candidates, else the answerability model's."""
        if scored.read is not None and self.reader is not None:
            return scored.best_read()
        return self.probability(index, question, scored, baseline)

    def quotable(self, index: Index, question: str, scored: Scored, baseline: np.ndarray) -> Iterator[int]:
        """Candidate positions worth quoting, best first, as the caller takes them; none when the question
        should get "not found"."""
        if scored.read is not None and self.reader is not None:
            yield from self._read_quotable(index, scored)
            return
        if self.probability(index, question, scored, baseline) < self.cut_for(index):
            return
        order = scored.order()
        best = float(scored.fused[order[0]])
        content = list(content_words(index, question).values())
        yield int(order[0])
        shown = [trigrams(words(index.passages[int(scored.rows[order[0]])].text))]
        for position in order[1:]:
            if scored.fused[position] < best * self.relative_floor:
                return
            passage = index.passages[int(scored.rows[position])]
            grams = trigrams(words(passage.text))
            if any(jaccard(grams, other) >= DUPLICATE for other in shown):
                continue
            terms = set(tokenize(context_text(passage, index.source_of(passage))))
            if content and not any(_stem_match(t, terms) for t in content):
                continue
            yield int(position)
            shown.append(grams)

    def _read_quotable(self, index: Index, scored: Scored) -> Iterator[int]:
        """With the reader: answered when its best probability reaches the corpus kind's threshold; further
        quotes only those it judges to answer too, never one that repeats an earlier quote."""
        spec = self.reader.spec  # type: ignore[union-attr]
        if scored.best_read() < spec.threshold(self.model.regime_of(index)):
            return
        order = scored.order()
        shown: list[set[str]] = []
        for position in order:
            probability = scored.read[position]  # type: ignore[index]
            if np.isnan(probability) or (shown and probability < spec.further):
                return
            grams = trigrams(words(index.passages[int(scored.rows[position])].text))
            if any(jaccard(grams, other) >= DUPLICATE for other in shown):
                continue
            yield int(position)
            shown.append(grams)
