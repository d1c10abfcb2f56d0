"""BEIR ``corpus.jsonl`` files: one document per line (``_id``, ``text``, optional ``title`` and ``url``)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from medquote.errors import SourceError
from medquote.ingest.document import Document, ReadResult, decode_text, read_bytes, require_text
from medquote.text.normalize import normalize_text, one_line

log = logging.getLogger(__name__)


def parse_jsonl_line(line: str, where: str, error: type[Exception]) -> Any:
    """One JSON-lines line as a value; malformed → ``error`` naming ``where`` (file:line), on one line."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise error(f"{where}: not valid JSON ({exc.msg}); fix or remove the line") from exc


def jsonl_record(line: str, where: str, error: type[Exception]) -> tuple[dict[str, Any], str | None]:
    """One BEIR-style JSONL line as (object, its ``_id`` as text or None); malformed → ``error`` at ``where``."""
    record = parse_jsonl_line(line, where, error)
    if not isinstance(record, dict):
        raise error(f'{where}: expected a JSON object with "_id" and "text"; fix the line')
    record_id = record.get("_id")
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        record_id = str(record_id)
    return record, record_id if isinstance(record_id, str) else None


def read_beir_corpus(path: Path, *, progress: bool = False) -> ReadResult:
    content = decode_text(path, read_bytes(path), "beir")
    documents: list[Document] = []
    first_line: dict[str, int] = {}
    skipped = 0
    # split("\n"), not splitlines(): a JSON string may hold a raw U+2028, which is not a line end.
    for number, line in enumerate(content.split("\n"), start=1):
        if not normalize_text(line):  # blank, or only invisible characters
            continue
        where = f"{path}:{number}"
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
        title, metadata, url = record.get("title"), record.get("metadata"), record.get("url")
        if not isinstance(url, str) and isinstance(metadata, dict):
            url = metadata.get("url")
        documents.append(
            Document(
                key=doc_id,
                text=body,
                title=one_line(title) if isinstance(title, str) else None,
                url=(url.strip() or None) if isinstance(url, str) else None,
            )
        )
    if not documents and not skipped:
        require_text(path, "")
    if not documents:
        raise SourceError(f"{path}: all {skipped} lines have empty text; nothing to index")
    if skipped:
        log.info("%s: skipped %d lines with empty text", path, skipped)
    return ReadResult(tuple(documents), skipped)
