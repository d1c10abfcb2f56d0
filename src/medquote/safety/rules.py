"""The triage rules (``data/triage.toml``) and the message normalisation they match against.

A message is normalised (NFKC, case-folded, "OD'd" → "overdosed"), split into clauses, misspelt key
words are corrected (one edit away), and phrase rewrites applied; rules then match clause by clause.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources as importlib_resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    ignore_informational: bool


@dataclass(frozen=True, slots=True)
class Rules:
    categories: tuple[Category, ...]
    informational: tuple[re.Pattern[str], ...]
    question_start: re.Pattern[str]
    person: re.Pattern[str]
    sensitive: tuple[re.Pattern[str], ...]
    dosing: tuple[re.Pattern[str], ...]
    keywords: tuple[str, ...]
    swap_keywords: frozenset[str]
    never_correct: frozenset[str]
    rewrites: tuple[tuple[re.Pattern[str], str], ...]


@cache
def load_rules() -> Rules:
    # Loaded on first use, so importing medquote stays cheap.
    text = importlib_resources.files("medquote").joinpath("data/triage.toml").read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    macros: dict[str, str] = data["macros"]

    def compile_all(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for pattern in patterns:
            for name, value in macros.items():
                pattern = pattern.replace("{" + name + "}", value)
            compiled.append(re.compile(pattern))
        return tuple(compiled)

    return Rules(
        categories=tuple(
            Category(c["name"], compile_all(c["patterns"]), bool(c.get("ignore_informational", False)))
            for c in data["category"]
        ),
        informational=compile_all(data["informational"]),
        question_start=re.compile(data["question_start"]),
        person=re.compile(data["person"]),
        sensitive=compile_all(data["sensitive"]["patterns"]),
        dosing=compile_all(data["dosing"]["patterns"]),
        # Longest first: when a typo is one edit from two key words ("overdosd": overdose, overdosed),
        # the longer one assumes a dropped letter, the commonest slip.
        keywords=tuple(sorted(set(data["keywords"]), key=lambda word: (-len(word), word))),
        swap_keywords=frozenset(data["swap_keywords"]),
        never_correct=frozenset(data["never_correct"]),
        rewrites=tuple((re.compile(rf"\b{re.escape(old)}\b"), new) for old, new in data["rewrite"].items()),
    )


def _one_edit_apart(a: str, b: str) -> bool:
    """True if one insertion, deletion, substitution or swap of neighbours turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or _swapped(a, b, i)


def _swapped(a: str, b: str, i: int) -> bool:
    return len(a) == len(b) and a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]


def _correct(token: str, rules: Rules) -> str:
    if token in rules.keywords or token in rules.never_correct or not token.isalpha() or len(token) < 4:
        return token
    for keyword in rules.keywords:
        if _one_edit_apart(token, keyword):
            return keyword
    for keyword in rules.swap_keywords:
        if len(token) == len(keyword) and token != keyword:
            first_difference = next(i for i, (x, y) in enumerate(zip(token, keyword, strict=True)) if x != y)
            if _swapped(token, keyword, first_difference):
                return keyword
    return token


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
# "OD'd", "o.d.", "ODing" name an overdose; handled before punctuation is dropped. A lone "odd" is not one.
_OD = re.compile(r"\bo\.?d\.?(?:('?e?d)|('?ing))?(?![a-z'])")
_CLAUSE_BREAK = re.compile(r"[.!?;,\n\r]+|\bbut\b")


def _od(match: re.Match[str]) -> str:
    past, ing = match.group(1), match.group(2)
    if past == "d":  # "od" + "d" without an apostrophe is the word "odd"
        return match.group(0)
    return "overdosed" if past else "overdosing" if ing else "overdose"


@lru_cache(maxsize=256)
def clauses(message: str) -> tuple[str, ...]:
    rules = load_rules()
    text = unicodedata.normalize("NFKC", message).casefold().translate(_QUOTES)
    text = _OD.sub(_od, text)
    clauses = []
    for part in _CLAUSE_BREAK.split(text):
        words = re.sub(r"[\W_]+", " ", part.replace("'", "")).split()
        clause = " ".join(_correct(word, rules) for word in words)
        for pattern, replacement in rules.rewrites:
            clause = pattern.sub(replacement, clause)
        if clause:
            clauses.append(clause)
    return tuple(clauses)


def informational(clause: str, rules: Rules, *, markers: bool = True) -> bool:
    if markers and any(pattern.search(clause) for pattern in rules.informational):
        return True
    return bool(rules.question_start.search(clause)) and not rules.person.search(clause)
