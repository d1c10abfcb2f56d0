"""Safety checks and the fixed template text: the only words medquote writes itself.

Triage is rules, not a model: normalise, correct misspelt key words, then match patterns from
``data/triage.toml`` clause by clause, skipping clauses that ask for general information.
"""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from medquote.errors import InputError
from medquote.records import Emergency

__all__ = [
    "DEFAULT_RESOURCES",
    "DISCLAIMER",
    "DOSING_NOTE",
    "EMPTY_QUESTION_MESSAGE",
    "MAX_QUESTION_CHARS",
    "NOT_FOUND_MESSAGE",
    "SENSITIVE_NOTE",
    "TRUNCATION_NOTE",
    "EmergencyResources",
    "clean_question",
    "is_personal_dosing_question",
    "load_resources",
    "sensitive_topic",
    "triage",
]

logger = logging.getLogger(__name__)

DISCLAIMER = (
    "This is general information, quoted word for word from vetted sources. It is not medical advice "
    "and not a substitute for a doctor, pharmacist or other health professional. "
    "In an emergency, call your local emergency number."
)
NOT_FOUND_MESSAGE = (
    "I could not find this in the vetted sources, so I have nothing to quote. "
    "Try rephrasing the question, or ask a doctor, pharmacist or other health professional."
)
DOSING_NOTE = (
    "For how much to take, ask your prescriber or pharmacist. "
    "The quotes below are general information, not a dose for you."
)
EMPTY_QUESTION_MESSAGE = (
    "The question is empty. Type a health question, for example: What is Klonopin used for?"
)
MAX_QUESTION_CHARS = 2000
TRUNCATION_NOTE = f"Your question was shortened to its first {MAX_QUESTION_CHARS:,} characters."
_SENSITIVE_LEAD = (
    "If you or someone you know is thinking about suicide or self-harm, or may have taken too much of a "
    "medicine, help is available now: "
)
SENSITIVE_NOTE = (
    "If you or someone you know is thinking about suicide or self-harm, or may have taken too much of a "
    "medicine, help is available now: call or text 988 (Suicide & Crisis Lifeline, US), call Poison "
    "Control at 1-800-222-1222 (US), or call your local emergency number."
)


@dataclass(frozen=True, slots=True)
class EmergencyResources:
    """The fixed emergency message and the numbers to call, configurable per country."""

    message: str
    resources: tuple[str, ...]


DEFAULT_RESOURCES = EmergencyResources(
    message=(
        "This may be an emergency. Call your local emergency number now (911 in the US), "
        "or go to the nearest emergency department. Do not wait for an answer here."
    ),
    resources=(
        "Emergency services: 911 (US) or your local emergency number",
        "988 Suicide & Crisis Lifeline: call or text 988 (US)",
        "Poison Control: 1-800-222-1222 (US)",
    ),
)


def sensitive_note(resources: EmergencyResources = DEFAULT_RESOURCES) -> str:
    """The crisis-resources note for informational questions, with the configured resources."""
    return _SENSITIVE_LEAD + "; ".join(resources.resources) + "."


def load_resources(path: Path) -> EmergencyResources:
    """Read emergency resources from a TOML file with ``message = "..."`` and ``resources = [...]``."""
    path = Path(path)
    expected = 'expected message = "..." and resources = ["...", ...]'
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InputError(f"Cannot read emergency resources file {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"Emergency resources file {path} is not UTF-8 text; save it as UTF-8.") from exc
    except tomllib.TOMLDecodeError as exc:
        detail = " ".join(str(exc).split())
        raise InputError(
            f"Emergency resources file {path} is not valid TOML ({detail}); {expected}."
        ) from exc
    unknown = sorted(set(data) - {"message", "resources"})
    if unknown:
        raise InputError(f"Emergency resources file {path} has unknown keys {unknown}; {expected}.")
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        raise InputError(f"Emergency resources file {path} needs a non-empty text 'message'; {expected}.")
    items = data.get("resources")
    if (
        not isinstance(items, list)
        or not items
        or not all(isinstance(item, str) and item.strip() for item in items)
    ):
        raise InputError(
            f"Emergency resources file {path} needs 'resources' as a non-empty list of texts; {expected}."
        )
    return EmergencyResources(message=message.strip(), resources=tuple(item.strip() for item in items))


@dataclass(frozen=True, slots=True)
class _Category:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    ignore_informational: bool


@dataclass(frozen=True, slots=True)
class _Rules:
    categories: tuple[_Category, ...]
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
def _rules() -> _Rules:
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

    return _Rules(
        categories=tuple(
            _Category(c["name"], compile_all(c["patterns"]), bool(c.get("ignore_informational", False)))
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


def _correct(token: str, rules: _Rules) -> str:
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


def _clauses(message: str) -> list[str]:
    rules = _rules()
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
    return clauses


def _informational(clause: str, rules: _Rules, *, markers: bool = True) -> bool:
    if markers and any(pattern.search(clause) for pattern in rules.informational):
        return True
    return bool(rules.question_start.search(clause)) and not rules.person.search(clause)


def triage(message: str, resources: EmergencyResources = DEFAULT_RESOURCES) -> Emergency | None:
    """Emergency guidance if the message describes an emergency happening now, else None."""
    rules = _rules()
    clauses = _clauses(message)
    for category in rules.categories:
        for clause in clauses:
            if _informational(clause, rules, markers=not category.ignore_informational):
                continue
            if any(pattern.search(clause) for pattern in category.patterns):
                logger.info("Emergency triage matched category %s", category.name)
                return Emergency(resources.message, resources.resources, category=category.name)
    return None


def sensitive_topic(message: str) -> bool:
    """True if the message mentions suicide, self-harm or overdose, even as a general question."""
    rules = _rules()
    return any(pattern.search(clause) for clause in _clauses(message) for pattern in rules.sensitive)


def is_personal_dosing_question(question: str) -> bool:
    """True if the question asks how much the asker (or someone they care for) should take."""
    rules = _rules()
    return any(pattern.search(clause) for clause in _clauses(question) for pattern in rules.dosing)


# Zero-width joiners hold emoji sequences together; every other format or control character goes.
_KEEP_FORMAT = {"\u200c", "\u200d"}


def clean_question(raw: str) -> tuple[str, tuple[str, ...]]:
    """The question as plain text on one line, at most MAX_QUESTION_CHARS long, and any notes about it.

    HTML is kept as typed: escaping belongs to whatever renders the text.
    """
    if not isinstance(raw, str):
        raise InputError(f"The question must be text, not {type(raw).__name__}.")
    chars = []
    for char in raw:
        if char.isspace():
            chars.append(" ")
        elif unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"} and char not in _KEEP_FORMAT:
            continue
        else:
            chars.append(char)
    question = " ".join("".join(chars).split())
    if not question:
        raise InputError(EMPTY_QUESTION_MESSAGE)
    if len(question) <= MAX_QUESTION_CHARS:
        return question, ()
    cut = question[:MAX_QUESTION_CHARS]
    if question[MAX_QUESTION_CHARS] != " ":
        # Back up to the last space unless that would throw away most of the text (one huge "word").
        space = cut.rfind(" ")
        if space > MAX_QUESTION_CHARS // 2:
            cut = cut[:space]
    return cut.rstrip(), (TRUNCATION_NOTE,)
