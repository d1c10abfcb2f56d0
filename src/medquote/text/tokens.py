"""Words for BM25, shared by the build and the query: tokenising, stop words, stemming, character trigrams."""

from __future__ import annotations

import re
from functools import cache

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
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes folded ("Alzheimer’s" → "alzheimer's")."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def tokenize(text: str) -> list[str]:
    """Stemmed BM25 terms with English stop words removed."""
    kept = [w.removesuffix("'s") for w in words(text) if w not in _STOPWORDS]
    return _stemmer().stemWords([w for w in kept if w])


def trigrams(words_: list[str]) -> frozenset[str]:
    """Character trigrams of a set of words: overlap survives typos ("leukmia" ~ "leukemia")."""
    text = f" {' '.join(sorted(set(words_)))} "
    return frozenset(text[i : i + 3] for i in range(len(text) - 2))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the two sets' union that both hold, in [0, 1]; 0 when either is empty."""
    return len(a & b) / len(a | b) if a and b else 0.0
