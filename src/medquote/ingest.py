"""Read source files (text, Markdown, HTML, PDF, MedQuAD XML, BEIR corpus.jsonl) into normalised documents.

Every quote medquote shows is a slice of ``Document.text``, so the text is normalised once, here, and
never changed afterwards.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from medquote.errors import SourceError
from medquote.html_text import DROP, visible_text

__all__ = ["FORMATS", "Document", "ReadResult", "detect_format", "normalize_text", "read_documents"]

log = logging.getLogger(__name__)

FORMATS = ("txt", "md", "html", "pdf", "medquad", "beir")

_SUFFIXES = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".jsonl": "beir",
    ".xml": "medquad",
}


@dataclass(frozen=True, slots=True)
class Document:
    """One readable document of a source file (the whole file, one MedQuAD pair, or one BEIR line)."""

    key: str
    text: str
    title: str | None = None
    url: str | None = None
    section: str | None = None
    meta: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The documents read from a path, and how many entries were skipped for having no text."""

    documents: tuple[Document, ...]
    skipped: int = 0


# --- normalisation -------------------------------------------------------------------------------

# Line separators other than \n (str.splitlines honours them, so they must not survive as text).
_LINE_BREAKS = {ord(c): "\n" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028"} | {0x2029: "\n\n"}
# Invisible characters that would make an on-screen quote differ from the stored text.
_ZERO_WIDTH = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_REMOVE = re.compile(f"[{_ZERO_WIDTH}\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(r"[^\S\n]")  # any whitespace but \n: tab, NBSP, U+2000..U+200A, U+3000, ...
_MULTI_SPACE = re.compile(" {2,}")
_MULTI_NEWLINE = re.compile("\n{3,}")


def jsonl_record(line: str, where: str, error: type[Exception]) -> tuple[dict, str | None]:
    """One BEIR-style JSONL line as (object, its ``_id`` as text or None); malformed → ``error`` at ``where``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise error(f"{where}: not valid JSON ({exc.msg}); fix or remove the line") from exc
    if not isinstance(record, dict):
        raise error(f'{where}: expected a JSON object with "_id" and "text"; fix the line')
    record_id = record.get("_id")
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        record_id = str(record_id)
    return record, record_id if isinstance(record_id, str) else None


def normalize_text(text: str) -> str:
    """NFC, \\n line ends, single spaces, stripped lines, at most one blank line in a row. Idempotent."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    text = _SPACES.sub(" ", _REMOVE.sub("", text))
    # Removing a zero-width character can bring a base letter next to a combining mark.
    text = unicodedata.normalize("NFC", text)
    lines = (_MULTI_SPACE.sub(" ", line).strip(" ") for line in text.split("\n"))
    return _MULTI_NEWLINE.sub("\n\n", "\n".join(lines)).strip("\n")


def _one_line(text: str | None) -> str | None:
    """A title or heading as one line, or None when blank."""
    if text is None:
        return None
    return " ".join(normalize_text(text).split()) or None


# --- dispatch ------------------------------------------------------------------------------------


def detect_format(path: Path) -> str:
    """The format of ``path`` from its suffix; a folder is a MedQuAD tree."""
    if path.is_dir():
        return "medquad"
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(_SUFFIXES)
        raise SourceError(
            f"{path}: unknown format (suffix '{path.suffix}'); use one of {known}, "
            "a MedQuAD folder, or name the format explicitly"
        )
    return fmt


def read_documents(path: Path, fmt: str | None = None, *, progress: bool = False) -> ReadResult:
    """Read ``path`` as ``fmt`` (detected from the suffix when None) into normalised documents."""
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise SourceError(f"{path}: unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder; check the path")
    fmt = fmt or detect_format(path)
    if path.is_dir() and fmt != "medquad":
        raise SourceError(
            f"{path}: is a folder, but format '{fmt}' reads a single file; "
            "give a file, or use format 'medquad' for a folder of MedQuAD XML"
        )
    if fmt == "medquad":
        # Imported here because medquad imports Document from this module.
        from medquote.medquad import read_medquad

        return read_medquad(path, progress=progress)
    if fmt == "pdf":
        return ReadResult((_read_pdf(path),))
    text = _decode(path, _read_bytes(path), fmt)
    if fmt == "beir":
        return _read_beir(path, text)
    if fmt == "html":
        return ReadResult((_read_html(path, text),))
    body = _require_text(path, normalize_text(text))
    title = _markdown_title(body) if fmt == "md" else None
    return ReadResult((Document(key="", text=body, title=title),))


# --- shared checks -------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file ({exc.strerror}); check its permissions") from exc
    if not raw:
        raise SourceError(f"{path}: the file is empty (0 bytes); add content or remove it from the sources")
    return raw


def _decode(path: Path, raw: bytes, fmt: str) -> str:
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


def _require_text(path: Path, text: str, what: str = "the file is empty (only whitespace)") -> str:
    if not text:
        raise SourceError(f"{path}: {what}; add text to it or remove it from the sources")
    return text


def _clean_message(exc: BaseException) -> str:
    """A library's error message on one line (our messages must stay one line)."""
    return " ".join(str(exc).split()) or type(exc).__name__


# --- Markdown ------------------------------------------------------------------------------------

_ATX_H1 = re.compile(r"# +(.+?)(?: +#+)?")
_FENCE = re.compile(r"(```|~~~)")


def _markdown_title(text: str) -> str | None:
    """The first level-1 ATX heading outside code fences (a ``# comment`` in a code block is not one)."""
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _ATX_H1.fullmatch(line)):
            return _one_line(match.group(1))
    return None


# --- HTML ----------------------------------------------------------------------------------------


def _read_html(path: Path, html: str) -> Document:
    from bs4 import BeautifulSoup

    _require_text(path, normalize_text(html))
    soup = BeautifulSoup(html, "html.parser")
    title = _one_line(soup.title.get_text()) if soup.title else None
    if title is None and (h1 := soup.find("h1")) is not None:
        title = _one_line(h1.get_text())
    articles = soup.find_all("article")
    main = soup.find("main") or (articles[0] if len(articles) == 1 else None)
    roots = [root for root in (main, soup.body, soup) if root is not None]
    # Some sites (ASP.NET) wrap the whole page in one <form>: retry with forms kept before giving up.
    for drop in (DROP, DROP - {"form"}):
        for root in roots:
            # Inside <main>/<article> a <header> is the article's own (its h1), not the site banner.
            if text := normalize_text(visible_text(root, drop - {"header"} if root is main else drop)):
                return Document(key="", text=text, title=title)
    raise SourceError(
        f"{path}: no readable text in the HTML (only markup, scripts or navigation); give a page with the article text"
    )


# --- PDF -----------------------------------------------------------------------------------------


def _read_pdf(path: Path) -> Document:
    import io

    from pypdf import PdfReader

    raw = _read_bytes(path)
    if b"%PDF-" not in raw[:1024]:
        raise SourceError(f"{path}: not a PDF (no %PDF- header); give a real PDF or use the right suffix")
    # pypdf raises many exception types for damaged files (PdfReadError, ValueError, KeyError, ...).
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(f"{path}: the PDF is password-protected; save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(
            f"{path}: cannot read the PDF ({_clean_message(exc)}); "
            "it may be truncated or damaged, download or export it again"
        ) from exc
    text = normalize_text("\n\n".join(pages))
    if not text:
        raise SourceError(f"{path}: has no text layer (scanned PDF?); OCR it first or add a text version")
    return Document(key="", text=text, title=_one_line(title) if isinstance(title, str) else None)


# --- BEIR corpus.jsonl ---------------------------------------------------------------------------


def _read_beir(path: Path, content: str) -> ReadResult:
    documents: list[Document] = []
    first_line: dict[str, int] = {}
    skipped = 0
    # split("\n"), not splitlines(): a JSON string may hold a raw U+2028, which is not a line end.
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        if not normalize_text(line):  # only invisible characters: as blank as an empty line
            continue
        record, doc_id = jsonl_record(line, where, SourceError)
        text = record.get("text")
        if not isinstance(doc_id, str) or not doc_id or not isinstance(text, str):
            missing = "_id" if not isinstance(doc_id, str) or not doc_id else "text"
            raise SourceError(f'{where}: missing or invalid "{missing}"; every line needs "_id" and "text"')
        if doc_id in first_line:
            raise SourceError(
                f"{where}: duplicate _id {doc_id!r} (first on line {first_line[doc_id]}); "
                "give each document a unique _id"
            )
        first_line[doc_id] = number
        body = normalize_text(text)
        if not body:
            skipped += 1
            continue
        title = record.get("title")
        metadata = record.get("metadata")
        url = record.get("url")
        if not isinstance(url, str) and isinstance(metadata, dict):
            url = metadata.get("url")
        documents.append(
            Document(
                key=doc_id,
                text=body,
                title=_one_line(title) if isinstance(title, str) else None,
                url=(url.strip() or None) if isinstance(url, str) else None,
            )
        )
    if not documents and not skipped:
        _require_text(path, "")
    if not documents:
        raise SourceError(f"{path}: all {skipped} lines have empty text; nothing to index")
    if skipped:
        log.info("%s: skipped %d lines with empty text", path, skipped)
    return ReadResult(tuple(documents), skipped)
