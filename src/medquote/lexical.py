"""Words for BM25 and query expansion: tokenising, stemming, and brand/generic and lay synonyms."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from bm25s.stopwords import STOPWORDS_EN

# Bump when tokenising changes, so that `medquote build` knows an index's BM25 is stale.
TOKENIZER_VERSION = 2
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Question words shape a question but say nothing about its topic; headings are full of them. The rest
# are function words bm25s's short list lacks ("i", "while", "much", "over").
_STOPWORDS = frozenset(STOPWORDS_EN) | frozenset(
    """what what's whats how why when where who whom which whose can could does do did should would
    i me my mine myself you your yours we our us he him his she her they them their it its im i'm ive
    am been being have has had having get gets got getting go goes going gone make makes made
    while much many more most less few some any all each every other such own same so than too very
    just also only even still yet ever up down out off over under again further once here there
    about above after before between into through during without within along across around
    may might must shall will one two""".split()
)


@cache
def _stemmer():  # noqa: ANN202 - PyStemmer has no type stubs
    import Stemmer

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes folded ("Alzheimer’s" → "alzheimer's")."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def tokenize(text: str) -> list[str]:
    """Stemmed BM25 terms with English stop words removed."""
    kept = [w.removesuffix("'s") for w in words(text) if w not in _STOPWORDS]
    return _stemmer().stemWords([w for w in kept if w])


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


def trigrams(words_: list[str]) -> frozenset[str]:
    """Character trigrams of a set of words: overlap survives typos ("leukmia" ~ "leukemia")."""
    text = f" {' '.join(sorted(set(words_)))} "
    return frozenset(text[i : i + 3] for i in range(len(text) - 2))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
