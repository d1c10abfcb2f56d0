"""PDF files: the text layer of every page (pypdf), one document; the PDF's metadata title if it has one."""

from __future__ import annotations

import io
from pathlib import Path

from medquote.errors import SourceError
from medquote.ingest.document import Document, ReadResult, quiet, read_bytes
from medquote.text.normalize import error_text, normalize_text, one_line


def read_pdf(path: Path, *, progress: bool = False) -> ReadResult:
    from pypdf import PdfReader

    raw = read_bytes(path)
    if b"%PDF-" not in raw[:1024]:
        raise SourceError(f"{path}: not a PDF (no %PDF- header); give a real PDF or use the right suffix")
    # pypdf raises many exception types for damaged files (PdfReadError, ValueError, KeyError, ...).
    try:
        with quiet("pypdf"):
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted and not reader.decrypt(""):
                raise SourceError(f"{path}: the PDF is password-protected; save an unencrypted copy")
            pages = [page.extract_text() or "" for page in reader.pages]
            title = reader.metadata.title if reader.metadata else None
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(
            f"{path}: cannot read the PDF ({error_text(exc)}); "
            "it may be truncated or damaged, download or export it again"
        ) from exc
    text = normalize_text("\n\n".join(pages))
    if not text:
        raise SourceError(f"{path}: has no text layer (scanned PDF?); OCR it first or add a text version")
    return ReadResult((Document(key="", text=text, title=one_line(title) if isinstance(title, str) else None),))
