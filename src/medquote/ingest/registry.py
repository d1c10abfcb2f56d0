"""One reader per input format, registered by name and file suffix; ``read_documents`` dispatches to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from medquote.errors import SourceError
from medquote.ingest.beir import read_beir_corpus
from medquote.ingest.document import ReadResult
from medquote.ingest.html import read_html
from medquote.ingest.medquad import read_medquad
from medquote.ingest.pdf import read_pdf
from medquote.ingest.text import read_markdown, read_txt
from medquote.settings import FORMATS


@dataclass(frozen=True, slots=True)
class Reader:
    """How one format is read: ``read(path, progress=...)``; ``folder`` readers also take a folder."""

    format: str
    suffixes: tuple[str, ...]
    read: Callable[..., ReadResult]
    folder: bool = False


READERS: dict[str, Reader] = {
    reader.format: reader
    for reader in (
        Reader("txt", (".txt",), read_txt),
        Reader("md", (".md", ".markdown"), read_markdown),
        Reader("html", (".html", ".htm"), read_html),
        Reader("pdf", (".pdf",), read_pdf),
        Reader("medquad", (".xml",), read_medquad, folder=True),
        Reader("beir", (".jsonl",), read_beir_corpus),
    )
}
assert tuple(READERS) == FORMATS, "settings.FORMATS and the reader registry must name the same formats"
_BY_SUFFIX = {suffix: reader.format for reader in READERS.values() for suffix in reader.suffixes}
_FOLDER_FORMAT = next(reader.format for reader in READERS.values() if reader.folder)


def detect_format(path: Path) -> str:
    """The format of ``path`` from its suffix; a folder is a MedQuAD tree."""
    if path.is_dir():
        return _FOLDER_FORMAT
    fmt = _BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(
            f"{path}: unknown format (suffix '{path.suffix}'); use one of {' '.join(_BY_SUFFIX)}, "
            "a MedQuAD folder, or name the format explicitly"
        )
    return fmt


def read_documents(path: Path, fmt: str | None = None, *, progress: bool = False) -> ReadResult:
    """Read ``path`` as ``fmt`` (detected from the suffix when None) into normalised documents."""
    path = Path(path)
    if fmt is not None and fmt not in READERS:
        raise SourceError(f"{path}: unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder; check the path")
    reader = READERS[fmt or detect_format(path)]
    if path.is_dir() and not reader.folder:
        raise SourceError(
            f"{path}: is a folder, but format '{reader.format}' reads a single file; "
            f"give a file, or use format '{_FOLDER_FORMAT}' for a folder of MedQuAD XML"
        )
    return reader.read(path, progress=progress)
