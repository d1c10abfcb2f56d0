"""Follow-ups: a short question without a subject of its own ("and with alcohol?", "are they permanent?",
"which part of the brain") is read together with the previous question of the same chat, and the reply
says so."""

from __future__ import annotations

import re

# Starts like a continuation of what was just asked.
_CONTINUATION = re.compile(
    r"^\W*(?:and|also|plus|so|then|what about|how about|same (?:for|with)|what if|even)\b"
    r"|^\W*(?:is|are|was|were|does|do|did|can|could|will|would|should|how long|how much|why)\s+"
    r"(?:it|that|this|they|them|those|these)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9']+")
# At most this many words: longer questions carry their own subject.
MAX_WORDS = 7


def is_follow_up(question: str, names: tuple[str, ...] = ()) -> bool:
    """Whether ``question`` reads as a follow-up: short and naming none of ``names`` (the medicines and
    topics the corpus is about), or continuing or pointing back at what was asked before."""
    words = _WORD.findall(question)
    if not words or len(words) > MAX_WORDS:
        return False
    lowered = question.lower()
    if any(re.search(rf"\b{re.escape(name)}\b", lowered) for name in names):
        return bool(_CONTINUATION.search(question))
    return True


def with_subject(question: str, previous: str) -> str:
    """The follow-up as searched: the previous question, then this one."""
    return f"{previous.strip().rstrip('?.! ')}: {question.strip()}"
