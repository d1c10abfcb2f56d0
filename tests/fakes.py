"""A small, deterministic stand-in for the embedding model, for logic tests."""

from __future__ import annotations

import time
import zlib
from collections.abc import Sequence

import numpy as np

from medquote.text.tokens import tokenize


class FakeEmbedder:
    """Keyword one-hot vectors: each stemmed word sets one of ``dimension`` slots (by a stable hash).

    Texts that share words get a positive cosine, texts that share none get zero, which is enough to
    test retrieval logic without the real model. ``calls`` counts encoded texts.
    """

    def __init__(self, dimension: int = 8192, *, name: str = "fake-keywords-8192", delay: float = 0.0) -> None:
        self._dimension = dimension
        self._name = name
        self.delay = delay
        self.calls = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.calls += len(texts)
        if self.delay:
            time.sleep(self.delay * len(texts))
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in tokenize(text):
                vectors[row, _slot(term, self._dimension)] = 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


def _slot(term: str, dimension: int) -> int:
    # Python's hash() is salted per process; this must agree across processes (the SIGKILL test).
    return zlib.crc32(term.encode()) % dimension


def make_pdf(pages: list[str | None]) -> bytes:
    """A minimal valid PDF, one page per entry; ``None`` is a page with no text (like a scan)."""
    count = len(pages)
    font = 3 + 2 * count
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
    ]
    for i, text in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode()
        )
        stream = b"" if text is None else f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
