"""What a source card says about where a quote comes from, as plain text: exactly what the manifest
records, each item labelled, and a missing item said to be missing (never left out, never guessed).

Shared by the chat, the terminal, the source viewer and "copy quote with citation".
"""

from __future__ import annotations

import re

from medquote.records import Quote, Source, safe_url
from medquote.ui import wording

__all__ = ["card", "citation", "dates", "link", "phone_numbers", "publisher", "review", "safe_url"]

# A phone number in fixed guidance: 3+ digits, optionally grouped by "-", "." or a space ("1-800-222-1222").
# Not part of a longer number or word, and not a figure like "2,000".
PHONE = re.compile(r"(?<![\w,.+-])\+?\d+(?:[-. ]\d+)*(?![\w,-])")


def phone_numbers(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, tel)`` of each phone number in ``text``; ``tel`` holds only digits and a leading +."""
    found = []
    for match in PHONE.finditer(text):
        digits = re.sub(r"[^\d+]", "", match.group())
        if len(digits.lstrip("+")) >= 3:
            found.append((match.start(), match.end(), digits))
    return found


def publisher(source: Source) -> str:
    return source.publisher or wording.PUBLISHER_MISSING


def link(source: Source) -> str:
    """The source's public http(s) link, or "No public link"."""
    return safe_url(source.url) or wording.LINK_MISSING


def dates(source: Source) -> tuple[str, ...]:
    """ "published …" (or that it is not recorded) and "added …" when the manifest has it."""
    published = (
        wording.PUBLISHED_ON.format(date=source.published_on) if source.published_on else wording.PUBLISHED_MISSING
    )
    added = (wording.ADDED_ON.format(date=source.date),) if source.date else ()
    return (published, *added)


def review(source: Source) -> str:
    """The vetting status in words: who reviewed it and when, or that the maintainers only listed it."""
    if source.reviewed_by:
        if source.reviewed_on:
            return wording.REVIEWED.format(who=source.reviewed_by, when=source.reviewed_on)
        return wording.REVIEWED_UNDATED.format(who=source.reviewed_by)
    if source.vetting == "vetted":
        return wording.NOT_REVIEWED
    return source.vetting or wording.VETTING_MISSING


def card(source: Source) -> str:
    """The whole card on one line: title, publisher, link, dates, review."""
    return " \u00b7 ".join([source.title or source.id, publisher(source), link(source), *dates(source), review(source)])


def citation(quote: Quote) -> str:
    """The quote and its source as plain text to paste elsewhere."""
    source = quote.source
    return (
        f"\u201c{quote.text}\u201d\n"
        f"Source: {source.title or source.id}. Publisher: {source.publisher or 'not recorded'}. "
        f"Link: {safe_url(source.url) or 'none'}. "
        f"Date: {'; '.join(dates(source))}. Review: {review(source)}."
    )
