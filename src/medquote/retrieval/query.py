"""The question as the retrievers search for it: brand ↔ generic and lay synonyms added, and the corpus
topic when it only says "this medicine"."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from medquote.index.terms import tokenize

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


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Groups of interchangeable terms (brand ↔ generic names, lay ↔ clinical words)."""
    raw = resources.files("medquote").joinpath("data/synonyms.toml").read_text(encoding="utf-8")
    groups = tomllib.loads(raw)["groups"]
    return tuple(tuple(term.lower() for term in group) for group in groups)


@cache
def _synonym_patterns() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    patterns = []
    for group in synonym_groups():
        for term in group:
            others = tuple(t for t in group if t != term)
            patterns.append((re.compile(rf"\b{re.escape(term)}\b"), others))
    return tuple(patterns)


def synonyms_in(text: str) -> list[str]:
    """Terms from the synonym list that mean the same as something in ``text`` but are not in it."""
    lowered = text.lower().replace("’", "'")
    found: list[str] = []
    for pattern, others in _synonym_patterns():
        if pattern.search(lowered):
            found.extend(o for o in others if o not in lowered and o not in found)
    return found


def prepare_query(text: str, topic: str = "") -> Query:
    """Expand the question with synonyms, and with the corpus topic when it only says "this medicine"."""
    extra = synonyms_in(text)
    if topic and _DEICTIC.search(text) and not any(w in text.lower() for w in topic.lower().split()):
        extra.append(topic)
    expanded = f"{text} ({', '.join(extra)})" if extra else text
    return Query(text, expanded, tuple(tokenize(expanded)))
