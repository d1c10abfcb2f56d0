"""The records carried end to end: a Source with its provenance, a Passage quoted from it, a Hit, a Quote
and the Answer. Frozen dataclasses whose invariants are in their docstrings; this module imports nothing
of medquote."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (no javascript:, data:, relative, …).

    The one filter every output applies to a source's link: the JSON of ``medquote ask --json`` and of the
    chat's ``/ask`` API, the terminal text and the HTML. ``Source.url`` itself keeps what the manifest says.
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


@dataclass(frozen=True, slots=True)
class Source:
    """One indexed document with its provenance.

    A manifest entry usually yields one Source; a MedQuAD folder or a BEIR ``corpus.jsonl`` yields one
    per question-answer pair or line, each with its own ``key`` (the pair's qid, the line's ``_id``).
    ``text`` is the normalised text every passage of this source is a slice of. ``date`` is the day the
    source was added to the corpus, not a publication date (that is ``published_on``, when known).
    ``vetting`` and ``vetting_note`` are the manifest's; a clinical review is recorded only as
    ``reviewed_by`` / ``reviewed_on``. None means "not recorded", never a guess.
    """

    id: str
    entry_id: str
    key: str
    title: str
    text: str
    publisher: str | None = None
    url: str | None = None
    license: str | None = None
    date: str | None = None
    # A heading for the whole document (a MedQuAD answer's question); headings in the text override it.
    section: str | None = None
    published_on: str | None = None
    reviewed_by: str | None = None
    reviewed_on: str | None = None
    vetting: str | None = None
    vetting_note: str | None = None

    def provenance(self) -> dict[str, Any]:
        """The source card, without the text."""
        card = asdict(self)
        del card["text"]
        return card


@dataclass(frozen=True, slots=True)
class Passage:
    """A verbatim slice of a source: ``text == source.text[start:end]``."""

    id: str
    source_id: str
    text: str
    start: int
    end: int
    section: str | None = None


def context_text(passage: Passage, source: Source) -> str:
    """A passage with its source title and section in front (the quote itself stays verbatim)."""
    context = [part for part in (source.title, passage.section) if part]
    return ". ".join([*context, passage.text]) if context else passage.text


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage found for a query, with its retriever score and 1-based rank."""

    passage: Passage
    score: float
    rank: int


class Status(StrEnum):
    """The outcomes of a question (their values are what ``medquote ask --json`` prints); ``unavailable``:
    the search engine could not be reached, so nothing was searched."""

    ANSWERED = "answered"
    NO_MATCH = "no_match"
    EMERGENCY = "emergency"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Emergency:
    """Fixed guidance with the resources to call: shown instead of quotes (an emergency) or above them (a check)."""

    message: str
    resources: tuple[str, ...]
    category: str = ""


class TriageLevel(StrEnum):
    """How much a message may signal danger: ``emergency`` (guidance instead of quotes), ``check``
    (guidance above the quotes), ``none``."""

    NONE = "none"
    CHECK = "check"
    EMERGENCY = "emergency"


@dataclass(frozen=True, slots=True)
class Triage:
    """The triage of one message: its level, the category of danger, and the guidance to show."""

    level: TriageLevel = TriageLevel.NONE
    category: str = ""
    guidance: Emergency | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A passage as shown to a person: the verbatim text, the sentence(s) to highlight, and its source.

    ``highlight == passage.text[highlight_start:highlight_end]``.
    """

    passage: Passage
    source: Source
    score: float
    highlight_start: int
    highlight_end: int

    @property
    def text(self) -> str:
        return self.passage.text

    @property
    def highlight(self) -> str:
        return self.passage.text[self.highlight_start : self.highlight_end]

    def to_dict(self) -> dict[str, Any]:
        """The JSON of one quote; a source link that is not http(s) is null."""
        source = self.source
        return {
            "id": self.passage.id,
            "text": self.passage.text,
            "highlight": self.highlight,
            "score": round(float(self.score), 6),
            "section": self.passage.section,
            "source": {
                "id": source.id,
                "title": source.title,
                "publisher": source.publisher,
                "url": safe_url(source.url),
                "date": source.date,
                "license": source.license,
                "published_on": source.published_on,
                "reviewed_by": source.reviewed_by,
                "reviewed_on": source.reviewed_on,
                "vetting": source.vetting,
                "vetting_note": source.vetting_note,
            },
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """Everything the product says in reply to one question (built by keyword only).

    Apart from the quotes, every string here is fixed template text (see ``medquote.safety.templates``).
    """

    question: str
    status: str
    quotes: tuple[Quote, ...]
    disclaimer: str
    emergency: Emergency | None = None
    message: str | None = None
    notes: tuple[str, ...] = ()
    index_version: str = ""
    triage: Triage = Triage()
    # The question as it was searched when a follow-up inherited the previous question's subject
    # ("and with alcohol?" → "Klonopin: and with alcohol?"); None when searched as typed.
    searched_as: str | None = None
    # How sure the assistant is that its best passage answers: the probability its "not found" threshold is
    # applied to (None when nothing was searched: an emergency, or the sources were unavailable).
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``medquote ask --json`` and of the chat's API endpoint."""
        return {
            "question": self.question,
            "status": self.status,
            "passages": [quote.to_dict() for quote in self.quotes],
            "disclaimer": self.disclaimer,
            "emergency": None
            if self.emergency is None
            else {"message": self.emergency.message, "resources": list(self.emergency.resources)},
            "message": self.message,
            "notes": list(self.notes),
            "index_version": self.index_version,
            "triage": {
                "level": str(self.triage.level),
                "category": self.triage.category,
                "guidance": None
                if self.triage.guidance is None
                else {"message": self.triage.guidance.message, "resources": list(self.triage.guidance.resources)},
            },
            "searched_as": self.searched_as,
            "confidence": None if self.confidence is None else round(float(self.confidence), 4),
        }
