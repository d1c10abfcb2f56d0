"""The source viewer: one page with the whole stored text of a source, the quoted passage highlighted
and scrolled into view, its provenance, and "copy quote with citation".

The text shown is ``Source.text``, the verified text every quote is a slice of; the highlighted range
is ``text[start:end]``. Everything from the source is escaped.
"""

from __future__ import annotations

import html
from importlib import resources

from medquote.records import Passage, Quote, Source
from medquote.safety.templates import DISCLAIMER
from medquote.ui import provenance
from medquote.ui.html import QUOTE_ANCHOR, link, text
from medquote.ui.wording import COPY_CITATION, VETTING_NOTE_LABEL


def _static(name: str) -> str:
    return resources.files("medquote.ui").joinpath(f"static/{name}").read_text(encoding="utf-8")


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)} \u2014 medquote</title><style>{_static('viewer.css')}</style></head>"
        f'<body><main class="mq-viewer">{body}</main><script>({_static("medquote.js")})();'
        f'document.getElementById("{QUOTE_ANCHOR}")?.scrollIntoView({{block: "center"}});</script></body></html>'
    )


def not_found_page(message: str) -> str:
    """A page saying what went wrong and where to go back to."""
    return _page(
        "Source not found", f'<p class="mq-viewer-error">{text(message)}</p><p><a href="./">Back to the chat</a></p>'
    )


def quote_range(source: Source, start: str | None, end: str | None) -> tuple[int, int] | None:
    """``(start, end)`` when both are whole numbers with ``0 <= start < end <= len(source.text)``."""
    try:
        first, last = int(start or ""), int(end or "")
    except ValueError:
        return None
    return (first, last) if 0 <= first < last <= len(source.text) else None


def viewer_page(source: Source, start: int, end: int) -> str:
    """The whole source with ``source.text[start:end]`` marked, scrolled to, and ready to copy with its citation."""
    passage = Passage(id="", source_id=source.id, text=source.text[start:end], start=start, end=end)
    quote = Quote(passage, source, 0.0, 0, 0)
    facts = [
        ("Publisher", provenance.publisher(source), bool(source.publisher)),
        ("Link", provenance.link(source), provenance.safe_url(source.url) is not None),
        ("Dates", "; ".join(provenance.dates(source)), True),
        ("Review", provenance.review(source), True),
    ]
    missing = ' class="mq-missing"'
    rows = "".join(
        f"<dt>{key}</dt><dd{'' if known else missing}>"
        + (link(value, value) if key == "Link" and known else text(value))
        + "</dd>"
        for key, value, known in facts
    )
    if source.vetting_note:
        rows += f"<dt>{text(VETTING_NOTE_LABEL)}</dt><dd>{text(source.vetting_note)}</dd>"
    body_text = (
        html.escape(source.text[:start])
        + f'<mark id="{QUOTE_ANCHOR}" class="mq-viewer-quote">{html.escape(source.text[start:end])}</mark>'
        + html.escape(source.text[end:])
    )
    return _page(
        source.title or source.id,
        '<p class="mq-viewer-back"><a href="./">\u2190 Back to the chat</a></p>'
        f"<h1>{text(source.title or source.id)}</h1>"
        f'<dl class="mq-viewer-facts">{rows}</dl>'
        '<section class="mq-viewer-cite" aria-labelledby="mq-cite-title">'
        '<h2 id="mq-cite-title">The quote with its citation</h2>'
        f'<pre class="mq-citation">{html.escape(provenance.citation(quote))}</pre>'
        f'<button class="mq-copy" type="button">{text(COPY_CITATION)}</button></section>'
        '<h2 class="mq-viewer-text-title">The whole source, as stored (the quote is highlighted)</h2>'
        f'<article class="mq-viewer-text">{body_text}</article>'
        f'<p class="mq-viewer-disclaimer">{text(DISCLAIMER)}</p>',
    )
