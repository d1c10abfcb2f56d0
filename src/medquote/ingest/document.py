"""What a reader returns, and the checks every file reader shares (readable, not empty, UTF-8 text)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medquote.errors import SourceError


@dataclass(frozen=True, slots=True)
class Document:
    """One readable document of a source file (the whole file, one MedQuAD pair, or one BEIR line)."""

    key: str
    text: str
    title: str | None = None
    url: str | None = None
    section: str | None = None
    meta: tuple[tuple[str, str], ...] = ()
    # A publication date the file states about itself (an HTML page's metadata), as YYYY-MM-DD.
    published: str | None = None


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The documents read from a path, and how many entries were skipped for having no text."""

    documents: tuple[Document, ...]
    skipped: int = 0


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an unreadable or empty file is a ``SourceError``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file ({exc.strerror}); check its permissions") from exc
    if not raw:
        raise SourceError(f"{path}: the file is empty (0 bytes); add content or remove it from the sources")
    return raw


def decode_text(path: Path, raw: bytes, fmt: str) -> str:
    """UTF-8 text of a text-format file, without a leading BOM."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{path}: the file is UTF-16 encoded; re-save it as UTF-8")
    if b"\x00" in raw:
        raise SourceError(
            f"{path}: looks like a binary file (it contains NUL bytes), not {fmt} text; "
            "give a UTF-8 text file or convert it first"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); re-save the file as UTF-8"
        ) from exc


def require_text(path: Path, text: str, what: str = "the file is empty (only whitespace)") -> str:
    """``text`` unless it is empty, in which case a ``SourceError`` saying ``what``."""
    if not text:
        raise SourceError(f"{path}: {what}; add text to it or remove it from the sources")
    return text


@contextlib.contextmanager
def quiet(library: str) -> Iterator[None]:
    """Silence a parsing library's warnings (pypdf's "EOF marker not found", trafilatura's "discarding
    data") while it reads: our one-line error says what matters, and a log line would make it two."""
    logger = logging.getLogger(library)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
