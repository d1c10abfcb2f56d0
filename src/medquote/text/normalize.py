"""Text normalisation, done once at ingest: every quote medquote shows is a slice of the result."""

from __future__ import annotations

import re
import unicodedata

# Line separators other than \n (str.splitlines honours them, so they must not survive as text).
_LINE_BREAKS = {ord(c): "\n" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028"} | {0x2029: "\n\n"}
# Invisible characters that would make an on-screen quote differ from the stored text.
_ZERO_WIDTH = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_REMOVE = re.compile(f"[{_ZERO_WIDTH}\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(r"[^\S\n]")  # any whitespace but \n: tab, NBSP, U+2000..U+200A, U+3000, ...
_MULTI_SPACE = re.compile(" {2,}")
_MULTI_NEWLINE = re.compile("\n{3,}")


def normalize_text(text: str) -> str:
    """NFC, \\n line ends, single spaces, stripped lines, at most one blank line in a row. Idempotent."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    text = _SPACES.sub(" ", _REMOVE.sub("", text))
    # Removing a zero-width character can bring a base letter next to a combining mark.
    text = unicodedata.normalize("NFC", text)
    lines = (_MULTI_SPACE.sub(" ", line).strip(" ") for line in text.split("\n"))
    return _MULTI_NEWLINE.sub("\n\n", "\n".join(lines)).strip("\n")


def one_line(text: str | None) -> str | None:
    """A title or heading as one normalised line, or None when blank."""
    if text is None:
        return None
    return " ".join(normalize_text(text).split()) or None


def error_text(exc: BaseException) -> str:
    """A library's error message on one line (our messages must stay one line)."""
    return " ".join(str(exc).split()) or type(exc).__name__
