"""HTML for the chat: one reply per Answer, a question, a notice, and the "searching" placeholder.

Everything that comes from a source or a user goes through ``html.escape``; only the fixed markup and
the fixed labels of ``medquote.safety.templates`` are written raw. Text is kept on one line (newlines
become ``<br>``) because Gradio's Chatbot runs ``inspect.cleandoc`` on message strings. Gradio's
sanitiser drops ``data-*`` and ``aria-*`` attributes, so replies are told apart by their ``id``.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from medquote.records import Answer, Emergency, Quote, Status, TriageLevel
from medquote.ui import provenance
from medquote.ui.provenance import safe_url
from medquote.ui.wording import (
    CHECK_TITLE,
    COPY_CITATION,
    EMERGENCY_TITLE,
    QUOTES_HEADING,
    REPHRASE_HINT,
    SEARCHED_AS_LABEL,
    SEARCHING_MESSAGE,
    VETTING_NOTE_LABEL,
    VIEW_IN_SOURCE,
)

__all__ = ["link", "render_answer", "render_notice", "render_pending", "render_question", "safe_url", "text"]

REPLY_ID_PREFIX = "mq-reply-"
PENDING_ID_PREFIX = "mq-pending-"
# The source viewer, relative to the chat's own URL (see medquote.ui.viewer).
VIEWER_PATH = "source"
QUOTE_ANCHOR = "mq-quote"
SEP = '<span class="mq-sep" aria-hidden="true"> \u00b7 </span>'


def text(value: str) -> str:
    """Escape text for HTML content or attributes, keeping line breaks visible."""
    return html.escape(value, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def link(url: str | None, label: str) -> str:
    """An external link that opens in a new tab, or just the label when the URL is not http(s)."""
    href = safe_url(url)
    if href is None:
        return text(label)
    return (
        f'<a class="mq-link" href="{html.escape(href, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{text(label)}</a>'
    )


def with_phone_links(value: str) -> str:
    """Escaped text with each phone number a ``tel:`` link; the text itself is unchanged."""
    parts, last = [], 0
    for start, end, tel in provenance.phone_numbers(value):
        parts.append(text(value[last:start]))
        parts.append(f'<a class="mq-tel" href="tel:{html.escape(tel)}">{text(value[start:end])}</a>')
        last = end
    parts.append(text(value[last:]))
    return "".join(parts)


def viewer_url(quote: Quote) -> str:
    """Where the source viewer shows this quote inside its whole source."""
    query = urlencode({"id": quote.source.id, "start": quote.passage.start, "end": quote.passage.end})
    return f"{VIEWER_PATH}?{query}#{QUOTE_ANCHOR}"


def _highlighted(quote: Quote) -> str:
    passage = quote.passage.text
    start = max(0, min(quote.highlight_start, len(passage)))
    end = max(start, min(quote.highlight_end, len(passage)))
    if start == end:
        return text(passage)
    return f"{text(passage[:start])}<mark>{text(passage[start:end])}</mark>{text(passage[end:])}"


def source_card(quote: Quote) -> str:
    """Title (linked when public), section, publisher, link, dates, and the vetting status and note in words."""
    source = quote.source
    parts = [f'<span class="mq-source-title">{link(source.url, source.title or source.id)}</span>']
    if quote.passage.section:
        parts.append(f'<span class="mq-section">{text(quote.passage.section)}</span>')
    missing = ' class="mq-missing"'
    parts.append(f"<span{'' if source.publisher else missing}>{text(provenance.publisher(source))}</span>")
    if safe_url(source.url) is None:
        parts.append(f"<span{missing}>{text(provenance.link(source))}</span>")
    parts.extend(f'<span class="mq-date">{text(label)}</span>' for label in provenance.dates(source))
    note = (
        f'<details class="mq-vetting-note"><summary>{text(VETTING_NOTE_LABEL)}</summary>'
        f"<p>{text(source.vetting_note)}</p></details>"
        if source.vetting_note
        else ""
    )
    return (
        f'<div class="mq-source"><span class="mq-source-label">Source:</span> {SEP.join(parts)}'
        f'<div class="mq-review">{text(provenance.review(source))}</div>{note}</div>'
    )


def _item(quote: Quote) -> str:
    return (
        '<div class="mq-item">'
        f'<blockquote class="mq-quote">{_highlighted(quote)}</blockquote>{source_card(quote)}'
        '<div class="mq-actions">'
        f'<a class="mq-view" href="{html.escape(viewer_url(quote), quote=True)}" target="_blank">'
        f"{text(VIEW_IN_SOURCE)}</a>"
        f'<button class="mq-copy" type="button">{text(COPY_CITATION)}</button>'
        # A character reference keeps the line break in the copied text and the message on one line.
        f'<span class="mq-citation">{html.escape(provenance.citation(quote)).replace(chr(10), "&#10;")}</span>'
        "</div></div>"
    )


def guidance(emergency: Emergency, title: str, css: str, role: str) -> str:
    """Fixed guidance with its resources, phone numbers tappable."""
    resources = "".join(f"<li>{with_phone_links(r)}</li>" for r in emergency.resources)
    return (
        f'<div class="{css}" role="{role}">'
        f'<p class="{css}-title">{text(title)}</p>'
        f'<p class="{css}-message">{with_phone_links(emergency.message)}</p>'
        + (f'<ul class="mq-resources">{resources}</ul>' if resources else "")
        + "</div>"
    )


def render_answer(answer: Answer, reply_id: str = "") -> str:
    """One chat reply, in reading order: emergency guidance, a triage check, how the question was read,
    notes, the quotes with their source cards, "not found", and the disclaimer."""
    element_id = f' id="{REPLY_ID_PREFIX}{text(reply_id)}"' if reply_id else ""
    blocks = [f'<div class="mq-answer mq-status-{text(answer.status)}"{element_id}>']
    # A "check" is guidance above the quotes; an emergency is guidance instead of them, and looks it.
    check = answer.triage.level == TriageLevel.CHECK and answer.status != Status.EMERGENCY
    if check and (answer.triage.guidance or answer.emergency):
        blocks.append(guidance(answer.triage.guidance or answer.emergency, CHECK_TITLE, "mq-check", "note"))
    elif answer.emergency or answer.triage.guidance:
        blocks.append(guidance(answer.emergency or answer.triage.guidance, EMERGENCY_TITLE, "mq-emergency", "alert"))
    if answer.searched_as:
        blocks.append(f'<p class="mq-searched-as">{text(SEARCHED_AS_LABEL)} \u201c{text(answer.searched_as)}\u201d</p>')
    blocks.extend(f'<p class="mq-note">{with_phone_links(note)}</p>' for note in answer.notes)
    if answer.quotes:
        blocks.append(f'<p class="mq-lead">{text(QUOTES_HEADING)}</p>')
    blocks.extend(_item(quote) for quote in answer.quotes)
    unavailable = answer.status == Status.UNAVAILABLE  # not "not found": rephrasing would not help
    if answer.status == Status.NO_MATCH or (not answer.quotes and answer.message and not unavailable):
        blocks.append(
            '<div class="mq-notfound">'
            f'<p class="mq-notfound-message">{text(answer.message or "")}</p>'
            f'<p class="mq-hint">{text(REPHRASE_HINT)}</p></div>'
        )
    elif answer.message:
        blocks.append(f'<p class="mq-message">{text(answer.message)}</p>')
    blocks.append(f'<div class="mq-disclaimer" role="note">{text(answer.disclaimer)}</div>')
    blocks.append("</div>")
    return "".join(blocks)


def render_question(question: str) -> str:
    """A user's question as chat HTML: shown literally, never interpreted."""
    return f'<span class="mq-question">{text(question)}</span>'


def render_pending(pending_id: str) -> str:
    """The placeholder shown while a question is being answered."""
    return (
        f'<p class="mq-pending" id="{PENDING_ID_PREFIX}{text(pending_id)}" role="status">{text(SEARCHING_MESSAGE)}</p>'
    )


def render_notice(message: str) -> str:
    """A one-line notice in the chat (e.g. an input error), escaped."""
    return f'<p class="mq-notice" role="status">{text(message)}</p>'
