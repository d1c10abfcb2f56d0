"""Stage 1, ingest: source files → normalised documents, and the corpus manifest that vouches for them.

``manifest`` reads ``corpus/sources.toml`` (what each source is, where it came from, whether it is
vetted) and ``register`` changes it; ``corpus_paths`` keeps every source inside the corpus folder;
``registry`` reads a file with the reader registered for its format (``text``, ``html``, ``pdf``,
``medquad``, ``beir``), each normalising the text once (``medquote.text.normalize``), so every later
quote is a slice of it.
"""

from __future__ import annotations

from medquote.ingest.document import Document, ReadResult
from medquote.ingest.registry import FORMATS, READERS, detect_format, read_documents

__all__ = ["FORMATS", "READERS", "Document", "ReadResult", "detect_format", "read_documents"]
