"""Crisis triage: does a message signal danger, and how much? Checked before anything is retrieved.

Two layers. The rules (``data/triage.toml``) are a net: a match is never let through as "none". The
classifier (``medquote.safety.classifier``) generalises to wording the rules never saw; it scores the
whole message and each of its sentences, and the most alarming one decides (with a lower bar when a
rule matched too):

- ``emergency``: guidance and resources instead of quotes;
- ``check``: the message might signal danger: the same resources in a banner above the quotes;
- ``none``.

An animal in danger (a pet that ate pills) gets the vet / animal poison guidance, not the human banner.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

import numpy as np

from medquote.embed.base import Embedder
from medquote.models.files import fitted_on
from medquote.records import Emergency, Triage, TriageLevel
from medquote.safety.checks import sensitive_topic
from medquote.safety.classifier import ANIMAL, Thresholds, TriageModel
from medquote.safety.cues import CUE_NAMES, cue_vector, units
from medquote.safety.resources import DEFAULT_RESOURCES, EmergencyResources
from medquote.safety.rules import clauses, informational, load_rules

logger = logging.getLogger(__name__)

_ANIMAL_CUE = CUE_NAMES.index("animal")
# Rule categories an animal can be the victim of ("my dog ate my pills" is not a human overdose).
_ANIMAL_CAN_SUFFER = frozenset({"overdose", "poisoning", "child_ingestion", "breathing", "seizure", "anaphylaxis"})


def rule_category(message: str) -> str | None:
    """The category of the first rule that matches a clause describing an emergency, or None."""
    rules = load_rules()
    found = clauses(message)
    for category in rules.categories:
        for clause in found:
            if informational(clause, rules, markers=not category.ignore_informational):
                continue
            if any(pattern.search(clause) for pattern in category.patterns):
                return category.name
    return None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What triage found in one message; ``categories`` is None when only the rules ran."""

    rule: str | None  # the category of the first matching rule
    alarm: float  # the highest alarm probability among its sentences
    emergency: float  # the whole message's emergency probability
    sensitive: bool  # names suicide, self-harm or overdose, even in passing
    animal_named: bool
    categories: np.ndarray | None  # category probabilities of the most alarming sentence


def decide(found: Evidence, thresholds: Thresholds) -> TriageLevel:
    """The level: a rule match is at least a check (an emergency when the classifier agrees enough);
    otherwise the emergency classifier decides emergencies and the alarm classifier checks."""
    if found.rule is not None:
        return TriageLevel.EMERGENCY if found.emergency >= thresholds.rule_emergency else TriageLevel.CHECK
    if found.emergency >= thresholds.emergency:
        return TriageLevel.EMERGENCY
    if found.alarm >= thresholds.alarm or found.sensitive:
        return TriageLevel.CHECK
    return TriageLevel.NONE


class Triager:
    """Triage with the rules and, given an embedder of the model it was trained on, the classifier.

    ``assess(text, vector)`` takes the message's embedding when the caller has it already (the assistant
    embeds it in one batch with the query), else embeds it itself.
    """

    def __init__(
        self,
        embedder: Embedder | None,
        *,
        model: TriageModel | None = None,
        resources: EmergencyResources = DEFAULT_RESOURCES,
    ) -> None:
        self.resources = resources
        self.model = model if model is not None else TriageModel.load()
        self.embedder = embedder
        if embedder is not None and not same_model(embedder.name, self.model.model_name):
            logger.warning(
                "the triage classifier was trained on %s, not %s: triage falls back to its rules alone",
                self.model.model_name,
                embedder.name,
            )
            self.embedder = None

    def evidence(self, text: str, vector: np.ndarray | None = None) -> Evidence:
        """What the rules and the classifiers say about ``text`` (``vector``: its embedding, if known).

        Each sentence is read with the whole message's embedding and its own words and cues: measured
        on the dev set, sentence embeddings of their own caught nothing more, at one more encoding each.
        """
        parts = units(text)
        named = bool(any(cue_vector(part)[_ANIMAL_CUE] for part in parts))
        rule, sensitive = rule_category(text), sensitive_topic(text)
        if self.embedder is None:
            return Evidence(rule, 0.0, 1.0 if rule else 0.0, sensitive, named, None)
        if vector is None:
            vector = self.embedder.encode([text])[0]
        vectors = np.repeat(vector.reshape(1, -1), len(parts), axis=0)
        model = self.model
        alarm, emergency_of = model.binary(model.featurizer.full(vectors, parts))
        emergency = float(emergency_of[0])
        worst = int(np.argmax(alarm))  # the kind of danger is that of the most alarming sentence
        categories = model.category_probabilities(vectors[worst : worst + 1], parts[worst : worst + 1])[0]
        return Evidence(rule, float(alarm.max()), emergency, sensitive, named, categories)

    def assess(self, text: str, vector: np.ndarray | None = None) -> Triage:
        """The triage of ``text``: its level, category and guidance (``vector``: its embedding, if known)."""
        found = self.evidence(text, vector)
        return self.conclude(found, decide(found, self.model.thresholds))

    def conclude(self, found: Evidence, level: TriageLevel) -> Triage:
        if level == TriageLevel.NONE:
            return Triage()
        classes = self.model.classes
        if found.categories is None:  # the rules alone
            animal = found.rule in _ANIMAL_CAN_SUFFER
        else:
            animal = found.categories[classes.index(ANIMAL)] >= self.model.thresholds.animal
        if found.animal_named and animal:
            return self._triage(level, ANIMAL)
        if found.rule is not None or found.categories is None:
            return self._triage(level, found.rule or "")
        return self._triage(level, next(classes[i] for i in np.argsort(-found.categories) if classes[i] != ANIMAL))

    def _triage(self, level: TriageLevel, category: str) -> Triage:
        if level == TriageLevel.NONE:
            return Triage()
        resources = self.resources
        if category == ANIMAL:
            guidance = Emergency(resources.animal_message, resources.animal_resources, category)
        elif level == TriageLevel.EMERGENCY:
            guidance = Emergency(resources.message, resources.resources, category)
        else:
            guidance = Emergency(resources.check_message, resources.resources, category)
        logger.info("triage: %s (%s)", level, category or "unspecified")
        return Triage(level, category, guidance)


def same_model(embedder_name: str, trained_on: str) -> bool:
    """Whether vectors of ``embedder_name`` are those the classifier was fitted on (any runtime of one model)."""
    return fitted_on(trained_on, embedder_name, exact_vectors=False)


@cache
def _default_triager() -> Triager:
    from medquote.embed.sbert import SentenceTransformerEmbedder

    return Triager(SentenceTransformerEmbedder(threads=1))


def triage(text: str) -> Triage:
    """Triage one message with the packaged model: ``level`` (emergency / check / none), ``category``,
    and the ``guidance`` to show. Loads the embedding model on first use."""
    from medquote.safety.checks import clean_question

    cleaned, _ = clean_question(text)
    return _default_triager().assess(cleaned)
