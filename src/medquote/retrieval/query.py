"""The question as the retrievers search for it: brand ↔ generic and lay synonyms added, and the corpus
topic when it only says "this medicine"."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from medquote.text.tokens import tokenize

_DEICTIC = re.compile(
    r"\b(this|that|the|my|these|those)\s+(medicine|medication|drug|pill|pills|tablet|tablets|meds?)\b"
    r"|\b(it|its)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Query:
    """The typed question and what each retriever searches with: ``dense_text`` is embedded, ``terms``
    are the BM25 terms."""

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
def _group_patterns() -> tuple[tuple[tuple[str, re.Pattern[str]], ...], ...]:
    return tuple(tuple((term, re.compile(rf"\b{re.escape(term)}\b")) for term in group) for group in synonym_groups())


def synonyms_in(text: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """Terms that mean the same as something in ``text`` but are not in it.

    With ``known`` (does the corpus use this term?), a group adds its other terms only when none of the
    terms the text uses is known: expansion adds recall where a name is missing, not weight where it is
    already found (in a corpus that says "Klonopin" throughout, adding "clonazepam" to every question
    would only pull up the few passages that also say "clonazepam").
    """
    lowered = text.lower().replace("’", "'")
    found: list[str] = []
    for group in _group_patterns():
        # The substring test first: most groups share no text with the question (this runs per question).
        used = [term for term, pattern in group if term in lowered and pattern.search(lowered)]
        if not used or (known is not None and any(known(term) for term in used)):
            continue
        others = [term for term, _ in group if term not in used and term not in lowered]
        if known is not None:
            others = [term for term in others if known(term)]
        found.extend(term for term in others if term not in found)
    return found


def prepare_query(text: str, topic: str = "", known: Callable[[str], bool] | None = None) -> Query:
    """Expand the question with synonyms the corpus uses for names it does not (see ``synonyms_in``),
    and name the corpus topic where it only says "this medicine" or "it"."""
    original = text
    extra = synonyms_in(text, known)
    if topic and not any(w in text.lower() for w in topic.lower().split()):
        # "this medicine" / "it" in a single-topic corpus is the topic: say so, as the question would.
        text = _DEICTIC.sub(topic.split()[0], text, count=1)
    expanded = f"{text} ({', '.join(extra)})" if extra else text
    terms = tuple(tokenize(expanded))
    dense = expanded
    if topic:
        # In a corpus all about one topic, its names say nothing about which passage answers: the aspect
        # asked about must decide. BM25 leaves them out (a question that is only the topic keeps them),
        # and the dense side calls the topic by one name, so a passage that happens to use a rarer one
        # ("clonazepam" in a corpus that says "Klonopin") is not pulled up by the name alone.
        names = topic_names(topic)
        terms = tuple(t for t in terms if t not in names) or terms
        main = topic.split()[0]
        for name in sorted({*topic.lower().split()[1:], *synonyms_in(topic)}, key=len, reverse=True):
            dense = re.sub(rf"\b{re.escape(name)}\b", main, dense, flags=re.IGNORECASE)
    return Query(original, dense, terms)


@cache
def topic_names(topic: str) -> frozenset[str]:
    """The BM25 terms of every name of the topic (its words and their synonyms)."""
    return frozenset(tokenize(f"{topic} {' '.join(synonyms_in(topic))}"))
