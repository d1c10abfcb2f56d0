"""Checks on a question besides triage: its cleaning, and whether it touches a sensitive topic or asks for a
personal dose (both add a fixed note to the answer)."""

from __future__ import annotations

import unicodedata

from medquote.errors import InputError
from medquote.safety.rules import clauses, load_rules
from medquote.safety.templates import EMPTY_QUESTION_MESSAGE, MAX_QUESTION_CHARS, TRUNCATION_NOTE


def sensitive_topic(message: str) -> bool:
    """True if the message mentions suicide, self-harm or overdose, even as a general question."""
    rules = load_rules()
    return any(pattern.search(clause) for clause in clauses(message) for pattern in rules.sensitive)


def is_personal_dosing_question(question: str) -> bool:
    """True if the question asks how much the asker (or someone they care for) should take."""
    rules = load_rules()
    return any(pattern.search(clause) for clause in clauses(question) for pattern in rules.dosing)


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
