"""HTML pages: the main text, found by trafilatura, without the page's chrome.

trafilatura drops navigation, cookie banners, sidebars, footers, comments and scripts, and reads the
title and publication date from the page's metadata. Its output tree is written out here as text with
the block structure kept: paragraphs and headings (as Markdown ``#`` lines, which the chunker turns
into sections) are separated by blank lines, list items and table rows by line breaks. A page too short
for trafilatura's main-text detection falls back to all of its visible text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from medquote.errors import SourceError
from medquote.ingest.document import Document, ReadResult, decode_text, quiet, read_bytes, require_text
from medquote.text.normalize import normalize_text, one_line

_SPACE = re.compile(r"\s+")
_HEADING_LEVEL = re.compile(r"h([1-6])")


def read_html(path: Path, *, progress: bool = False) -> ReadResult:
    import trafilatura

    html = decode_text(path, read_bytes(path), "html")
    require_text(path, normalize_text(html))
    with quiet("trafilatura"):
        extracted = trafilatura.bare_extraction(
            html, include_tables=True, include_formatting=False, include_comments=False, with_metadata=True
        )
    body = extracted.body if extracted is not None else None
    text = normalize_text(_blocks(body)) if body is not None else ""
    if not text:
        text = normalize_text(_visible_text(html))
    if not text:
        raise SourceError(
            f"{path}: no readable text in the HTML (only markup, scripts or navigation); "
            "give a page with the article text"
        )
    title = one_line(extracted.title) if extracted is not None and extracted.title else _page_title(html)
    published = extracted.date if extracted is not None and extracted.date else None
    return ReadResult((Document(key="", text=text, title=title, published=published),))


def _inline(element: Any, keep_lines: bool = False) -> str:
    """An element's text on one line, but for its line breaks (``<lb/>``, or every newline in a quote)."""
    for line_break in element.iter("lb"):
        line_break.tail = "\ue000" + (line_break.tail or "")
    text = "".join(element.itertext())
    if keep_lines:
        text = text.replace("\n", "\ue000")
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\ue000")).strip()


def _blocks(body: Any) -> str:
    """trafilatura's output tree (head, p, list/item, table/row/cell, quote, code) as text."""
    blocks: list[str] = []
    for element in body:
        tag = element.tag
        if tag == "head":
            level = _HEADING_LEVEL.fullmatch(element.get("rend") or "")
            blocks.append("#" * int(level.group(1) if level else 2) + " " + _inline(element))
        elif tag == "list":
            blocks.append("\n".join(_inline(item) for item in element.iter("item")))
        elif tag == "table":
            blocks.append(
                "\n".join(" ".join(_inline(cell) for cell in row.iter("cell")) for row in element.iter("row"))
            )
        elif tag in ("quote", "code"):
            blocks.append(_inline(element, keep_lines=True))
        else:
            blocks.append(_inline(element))
    return "\n\n".join(block for block in blocks if block.strip(" #\n"))


def _visible_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "noscript", "template", "nav", "header", "footer", "aside"]):
        element.decompose()
    root = soup.body or soup
    return "\n\n".join(_SPACE.sub(" ", line).strip() for line in root.get_text("\n").split("\n") if line.strip())


def _page_title(html: str) -> str | None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    if soup.title is not None:
        return one_line(soup.title.get_text())
    heading = soup.find("h1")
    return one_line(heading.get_text()) if heading is not None else None
