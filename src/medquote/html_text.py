"""The visible text of an HTML page: block structure kept as line and paragraph breaks.

Scripts, styles, navigation, headers, footers, forms and hidden elements are dropped (``DROP``).
The result is not yet normalised; ``medquote.ingest`` does that.
"""

from __future__ import annotations

import re
from typing import Any

DROP = frozenset(
    {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "template", "iframe"}
)
_PARAGRAPH = frozenset(
    {"p", "div", "section", "article", "main", "body", "blockquote", "pre", "table", "ul", "ol", "dl"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "figure", "hr", "address", "details", "fieldset"}
    | {"dialog", "center"}
)
_LINE = frozenset({"li", "tr", "dt", "dd", "summary", "figcaption", "caption", "legend", "option"})
_CELL = frozenset({"td", "th"})
_HTML_SPACE = re.compile(r"\s+")


class _TextSink:
    """Collects text and block breaks; a break is written only before the next real text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0  # newlines owed before the next text: 1 = line break, 2 = paragraph break
        self.space = False

    def text(self, text: str, pre: bool) -> None:
        if not pre:
            text = _HTML_SPACE.sub(" ", text)
        if not text.strip():
            if pre and self.parts and not self.pending:
                self.parts.append(text)  # newlines in <pre> are content
            else:
                # Whitespace between blocks would otherwise turn a line break into a blank line.
                self.space = self.space or bool(self.parts and not self.pending)
            return
        if self.pending:
            self.parts.append("\n" * self.pending)
        elif self.space:
            self.parts.append(" ")
        self.parts.append(text)
        self.pending, self.space = 0, False

    def brk(self, newlines: int) -> None:
        if self.parts:
            self.pending = max(self.pending, newlines)

    def br(self) -> None:
        # Two <br> in a row are how many pages mark a paragraph.
        if self.parts:
            self.pending = min(self.pending + 1, 2)


def visible_text(root: Any, drop: frozenset[str] = DROP) -> str:
    """The visible text under ``root`` with block structure as line and paragraph breaks."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    sink = _TextSink()
    in_pre = 0
    stack: list[tuple[Any, bool]] = [(root, False)]  # iterative: deeply nested pages must not recurse
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Tag):
            name = node.name.lower()
            if not leaving and (name in drop or node.has_attr("hidden")):
                continue
            if name == "br":
                if not leaving:
                    sink.br()
            elif name in _PARAGRAPH:
                sink.brk(2)
            elif name in _LINE:
                sink.brk(1)
            elif name in _CELL:
                sink.space = bool(sink.parts)
            if name == "pre":
                in_pre += -1 if leaving else 1
            if not leaving:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            sink.text(str(node), pre=in_pre > 0)  # comments, doctypes, CDATA are PreformattedString
    return "".join(sink.parts)
