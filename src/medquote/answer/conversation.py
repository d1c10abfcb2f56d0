"""Conversations: a follow-up is searched as the question it stands for, its own aspect kept.

A chat's state is what its turns were about (``Turn``: the medicine the turn named or inherited, and the
aspect it asked about). A message is a follow-up only when it lacks a subject of its own: it names none of
the corpus's names (the topic and its synonyms) and either points back ("is that permanent?", "does it go
away?"), continues ("and with alcohol?", "what about when I stop?") or is a fragment of a few words. A
full question, one naming the medicine or long enough to carry its subject, is never rewritten.

The rewrite fills in only the missing subject. A short follow-up's pointing word is replaced by the
previous turn's aspect ("how long does that last?" after "what are the withdrawal symptoms of klonopin?"
→ "how long does withdrawal symptoms of klonopin last?"); "it" stands for the medicine unless the
follow-up asks whether something passes or lasts; anything else is searched after the medicine's name
("klonopin: and with alcohol?"), so the new aspect, not the old one, decides what answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z0-9']+")
# A message of more words than this carries its own subject: it is rewritten only by naming the medicine.
SHORT_WORDS = 9
# A message of at most this many words without a name and without a pointing word is a fragment
# ("side effects in the elderly?") and inherits the medicine.
FRAGMENT_WORDS = 5
_CONTINUATION = re.compile(r"^\W*(?:and|also|plus|so|then|or|but|what about|how about|same (?:for|with)|what if)\b",
                           re.IGNORECASE)  # fmt: skip
# Words that point back at what was asked before.
_POINTER = re.compile(r"\b(?:that|this|these|those|they|them|their|it|its)\b", re.IGNORECASE)
_ASPECT_POINTER = re.compile(r"\b(?:that|this|these|those|they|them)\b", re.IGNORECASE)
# "it" that stands for nothing ("is it safe to …", "is it true that …"): the subject is missing, not pointed at.
_DUMMY_IT = re.compile(
    r"\bis it (?:safe|ok|okay|alright|possible|normal|common|bad|dangerous|true|likely|better|wise|fine|risky)\b"
    r"(?= (?:to|that|if|for)\b)",
    re.IGNORECASE,
)
# A follow-up asking whether something passes, lasts or is to be expected is about the previous aspect,
# also when it says "it" ("does it go away?" after a question about side effects).
_STATE = re.compile(
    r"\b(?:go(?:es)? away|last|lasts|permanent|temporary|stop|stops|happen|happens|normal|common|"
    r"mean|serious|dangerous|get better|wear off|improve|forever)\b",
    re.IGNORECASE,
)
# Leading words of a question that shape it but are not its aspect.
_LEAD = re.compile(
    r"^\W*(?:(?:what|which|how|why|when|where|who|can|could|does|do|did|is|are|was|were|will|would|should|"
    r"may|might|must|has|have|the|a|an|of|long|much|many|often|i|you|we|my|it|there|tell|me|about|please|"
    r"exactly|really|usually|typically|common|main|most|some|any|kind|kinds|type|types|sort|sorts|"
    r"and|also|plus|so|then|or|but|with|if|if i|if you|happens|happen|like)\b\W*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Turn:
    """What one turn of a chat was about: the question as it was searched, the name of the medicine it
    named or inherited (``""`` if none), and the aspect it asked about ("withdrawal symptoms of klonopin")."""

    searched: str
    subject: str
    aspect: str


@dataclass(frozen=True, slots=True)
class Conversation:
    """A chat's state: its turns so far, the last one last. Built from the previous questions alone, so a
    chat's state needs nothing stored beyond the questions the chat already shows."""

    turns: tuple[Turn, ...] = ()

    @classmethod
    def of(cls, previous: Sequence[str], names: Sequence[str], topic: str = "") -> Conversation:
        """The state after ``previous`` (earlier questions, oldest first), each read as a follow-up of the
        ones before it where it is one."""
        conversation = cls()
        for question in previous:
            conversation = conversation.after(question, names, topic)
        return conversation

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def rewrite(self, question: str, names: Sequence[str], topic: str = "") -> str | None:
        """``question`` as searched when it is a follow-up of this chat's last turn; None when it is not
        (a first question, or one with a subject of its own)."""
        return self._rewrite(question, names, topic)[0]

    def _rewrite(self, question: str, names: Sequence[str], topic: str) -> tuple[str | None, bool]:
        """The rewrite, and whether it put the last turn's aspect in place of a pointing word (then the
        turn is still about that aspect)."""
        last = self.last
        if last is None or not is_follow_up(question, names):
            return None, False
        subject = last.subject or topic
        words = _WORD.findall(question)
        stripped = question.strip()
        if len(words) <= SHORT_WORDS and not _CONTINUATION.search(stripped) and not _DUMMY_IT.search(stripped):
            target = _ASPECT_POINTER.search(stripped)
            if target is None and _STATE.search(stripped):
                target = re.search(r"\bit\b", stripped, re.IGNORECASE)
            if target is not None and last.aspect:
                filled = f"{stripped[: target.start()]}{last.aspect}{stripped[target.end() :]}"
                return (filled if _names_one(filled, names) or not subject else f"{subject}: {filled}"), True
            it = re.search(r"\b(?:it|its)\b", stripped, re.IGNORECASE)
            if it is not None and subject:
                own = subject + ("'s" if it.group(0).lower() == "its" else "")
                return f"{stripped[: it.start()]}{own}{stripped[it.end() :]}", False
        if subject:
            return f"{subject}: {stripped}", False
        return (f"{last.aspect}: {stripped}" if last.aspect else None), False

    def after(self, question: str, names: Sequence[str], topic: str = "") -> Conversation:
        """The state once ``question`` has been asked (as its rewrite when it is a follow-up)."""
        rewritten, same_aspect = self._rewrite(question, names, topic)
        searched = rewritten or question.strip()
        inherited = self.last.subject if self.last else ""
        subject = _first_name(searched, names) or inherited
        aspect = self.last.aspect if same_aspect and self.last else aspect_of(searched)
        return Conversation((*self.turns, Turn(searched, subject, aspect)))


def is_follow_up(question: str, names: Sequence[str]) -> bool:
    """Whether ``question`` lacks a subject of its own: it names none of ``names`` and points back,
    continues what was asked, or is a fragment of a few words."""
    words = _WORD.findall(question)
    if not words or _names_one(question, names):
        return False
    if len(words) <= FRAGMENT_WORDS or _CONTINUATION.search(question):
        return True
    pointing = _POINTER.search(_DUMMY_IT.sub("", question))
    return pointing is not None or (_DUMMY_IT.search(question) is not None and len(words) <= SHORT_WORDS)


def aspect_of(question: str) -> str:
    """What a question asks about, as the words it was asked in: its question words and the ones around
    them left off ("What are the withdrawal symptoms of klonopin?" → "withdrawal symptoms of klonopin")."""
    text = question.strip().rstrip("?.! ")
    text = text.split(":", 1)[1].strip() if ":" in text and len(text.split(":", 1)[1].split()) > 1 else text
    return _LEAD.sub("", text).strip() or text


def _names_one(text: str, names: Sequence[str]) -> bool:
    return _first_name(text, names) != ""


def _first_name(text: str, names: Sequence[str]) -> str:
    """The first of ``names`` ``text`` mentions, as it is written there; ``""`` if none."""
    found = [m for name in names if name for m in [re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE)] if m]
    return min(found, key=lambda m: m.start()).group(0) if found else ""
