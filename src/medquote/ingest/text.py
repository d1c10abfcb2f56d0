"""Plain text and Markdown files: the whole file is one document (Markdown's first ``# heading`` is its title)."""

from __future__ import annotations

import re
from pathlib import Path

from medquote.ingest.document import Document, ReadResult, decode_text, read_bytes, require_text
from medquote.text.normalize import normalize_text, one_line

_ATX_H1 = re.compile(r"# +(.+?)(?: +#+)?")
_FENCE = re.compile(r"(```|~~~)")


def read_txt(path: Path, *, progress: bool = False) -> ReadResult:
    body = require_text(path, normalize_text(decode_text(path, read_bytes(path), "txt")))
    return ReadResult((Document(key="", text=body),))


def read_markdown(path: Path, *, progress: bool = False) -> ReadResult:
    body = require_text(path, normalize_text(decode_text(path, read_bytes(path), "md")))
    return ReadResult((Document(key="", text=body, title=markdown_title(body)),))


def markdown_title(text: str) -> str | None:
    """The first level-1 ATX heading outside code fences (a ``# comment`` in a code block is not one)."""
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _ATX_H1.fullmatch(line)):
            return one_line(match.group(1))
    return None
