"""HTML for the chat: one reply per Answer, and the "About the sources" panel.

Everything that comes from a source or a user goes through ``html.escape``; only the fixed markup
and the fixed labels below are written raw. Text is kept on one line (newlines become ``<br>``)
because Gradio's Chatbot runs ``inspect.cleandoc`` on message strings.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from medquote.records import Answer, Quote, Source, Status
from medquote.safety.templates import (
    DATE_MISSING,
    EMERGENCY_TITLE,
    LICENSE_MISSING,
    LINK_MISSING,
    PUBLISHER_MISSING,
    QUOTES_HEADING,
    REPHRASE_HINT,
)

# Above this many sources the panel shows one row per corpus entry instead of one per source.
MAX_SOURCE_ROWS = 60


def _text(value: str) -> str:
    """Escape text for HTML content or attributes, keeping line breaks visible."""
    return html.escape(value, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (no javascript:, data:, relative, …)."""
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


def _link(url: str | None, label: str) -> str:
    href = safe_url(url)
    if href is None:
        return _text(label)
    return (
        f'<a class="mq-link" href="{html.escape(href, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{_text(label)}</a>'
    )


def _highlighted(quote: Quote) -> str:
    text = quote.passage.text
    start = max(0, min(quote.highlight_start, len(text)))
    end = max(start, min(quote.highlight_end, len(text)))
    if start == end:
        return _text(text)
    return f"{_text(text[:start])}<mark>{_text(text[start:end])}</mark>{_text(text[end:])}"


def _source_card(quote: Quote) -> str:
    source = quote.source
    parts = [f'<span class="mq-source-title">{_link(source.url, source.title or source.id)}</span>']
    if quote.passage.section:
        parts.append(f'<span class="mq-section">{_text(quote.passage.section)}</span>')
    parts.append(f'<span class="mq-publisher">{_text(source.publisher or PUBLISHER_MISSING)}</span>')
    if source.date:
        parts.append(f'<span class="mq-date">{_text(source.date)}</span>')
    sep = '<span class="mq-sep" aria-hidden="true"> \u00b7 </span>'
    return f'<div class="mq-source"><span class="mq-source-label">Source:</span> {sep.join(parts)}</div>'


def _emergency(answer: Answer) -> str:
    if answer.emergency is None:
        return ""
    resources = "".join(f"<li>{_text(r)}</li>" for r in answer.emergency.resources)
    return (
        '<div class="mq-emergency" role="alert">'
        f'<p class="mq-emergency-title">{_text(EMERGENCY_TITLE)}</p>'
        f'<p class="mq-emergency-message">{_text(answer.emergency.message)}</p>'
        + (f'<ul class="mq-resources">{resources}</ul>' if resources else "")
        + "</div>"
    )


def render_answer(answer: Answer) -> str:
    """The HTML of one chat reply: emergency banner, quotes with source cards, notes, disclaimer."""
    blocks = [f'<div class="mq-answer mq-status-{_text(answer.status)}">']
    if answer.status == Status.EMERGENCY or answer.emergency is not None:
        blocks.append(_emergency(answer))
    if answer.quotes:
        blocks.append(f'<p class="mq-lead">{_text(QUOTES_HEADING)}</p>')
    for quote in answer.quotes:
        blocks.append(
            '<div class="mq-item">'
            f'<blockquote class="mq-quote">{_highlighted(quote)}</blockquote>'
            f"{_source_card(quote)}</div>"
        )
    if answer.status == Status.NO_MATCH or (not answer.quotes and answer.message):
        message = answer.message or ""
        blocks.append(
            '<div class="mq-notfound">'
            f'<p class="mq-notfound-message">{_text(message)}</p>'
            f'<p class="mq-hint">{_text(REPHRASE_HINT)}</p></div>'
        )
    elif answer.message:
        blocks.append(f'<p class="mq-message">{_text(answer.message)}</p>')
    for note in answer.notes:
        blocks.append(f'<p class="mq-note">{_text(note)}</p>')
    blocks.append(f'<div class="mq-disclaimer" role="note">{_text(answer.disclaimer)}</div>')
    blocks.append("</div>")
    return "".join(blocks)


def render_question(question: str) -> str:
    """A user's question as chat HTML: shown literally, never interpreted."""
    return f'<span class="mq-question">{_text(question)}</span>'


def render_notice(message: str) -> str:
    """A one-line notice in the chat (e.g. an input error), escaped."""
    return f'<p class="mq-notice" role="status">{_text(message)}</p>'


def _distinct(values: Iterable[str | None], limit: int = 3) -> str:
    seen = sorted({v for v in values if v})
    if not seen:
        return ""
    shown = ", ".join(seen[:limit])
    return shown + (f" and {len(seen) - limit} more" if len(seen) > limit else "")


def _date_range(dates: Iterable[str | None]) -> str:
    known = sorted(d for d in dates if d)
    if not known:
        return ""
    return known[0] if known[0] == known[-1] else f"{known[0]} \u2013 {known[-1]}"


def _cell(value: str, missing: str) -> str:
    return f"<td>{_text(value)}</td>" if value else f'<td class="mq-missing">{_text(missing)}</td>'


def _source_rows(sources: Sequence[Source]) -> str:
    head = "<tr><th>Title</th><th>Publisher</th><th>Link</th><th>License</th><th>Date</th></tr>"
    rows = []
    for s in sources:
        href = safe_url(s.url)
        link = f"<td>{_link(href, urlsplit(href).netloc)}</td>" if href else _cell(s.url or "", LINK_MISSING)
        rows.append(
            f"<tr><td>{_text(s.title or s.id)}</td>{_cell(s.publisher or '', PUBLISHER_MISSING)}"
            f"{link}{_cell(s.license or '', LICENSE_MISSING)}"
            f"{_cell(s.date or '', DATE_MISSING)}</tr>"
        )
    return f'<table class="mq-sources-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _entry_rows(sources: Sequence[Source]) -> str:
    by_entry: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        by_entry[s.entry_id].append(s)
    head = (
        "<tr><th>Entry</th><th>Documents</th><th>Publisher</th><th>Example link</th><th>License</th><th>Dates</th></tr>"
    )
    rows = []
    for entry_id in sorted(by_entry):
        group = by_entry[entry_id]
        href = next((u for u in (safe_url(s.url) for s in group) if u), None)
        link = _link(href, urlsplit(href).netloc) if href else ""
        rows.append(
            f'<tr><td>{_text(entry_id)}</td><td class="mq-count">{len(group):,}</td>'
            f"{_cell(_distinct(s.publisher for s in group), PUBLISHER_MISSING)}<td>{link}</td>"
            f"{_cell(_distinct(s.license for s in group), LICENSE_MISSING)}"
            f"{_cell(_date_range(s.date for s in group), DATE_MISSING)}</tr>"
        )
    return f'<table class="mq-sources-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def render_sources(sources: Sequence[Source], built_at: str, index_version: str) -> str:
    """The "About the sources" panel: counts, then one row per source or, when many, per entry."""
    entries = len({s.entry_id for s in sources})
    summary = (
        f'<p class="mq-sources-summary">{len(sources):,} document{"s" if len(sources) != 1 else ""} '
        f"from {entries:,} source entr{'ies' if entries != 1 else 'y'}. "
        f"Index version <code>{_text(index_version or 'unknown')}</code>, "
        f"built {_text(built_at or 'at an unrecorded time')}.</p>"
    )
    if not sources:
        return f'<div class="mq-sources">{summary}</div>'
    table = _source_rows(sources) if len(sources) <= MAX_SOURCE_ROWS else _entry_rows(sources)
    return f'<div class="mq-sources">{summary}{table}</div>'
