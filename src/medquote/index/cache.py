"""The embedding cache: vectors keyed by model name and text hash, so unchanged passages are never re-embedded."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from medquote.index.embed import Embedder


def text_key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\0{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors keyed by model name and text hash, in one SQLite file.

    Writes are committed in batches as they are computed, so an interrupted build keeps what it embedded.
    """

    def __init__(self, path: Path, model_name: str, dimension: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model_name = model_name
        self.dimension = dimension
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        chunk = 900  # SQLite's bound-parameter limit
        for i in range(0, len(keys), chunk):
            part = keys[i : i + chunk]
            marks = ",".join("?" * len(part))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape[0] == self.dimension:
                    found[key] = vector
        return found

    def put_many(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(keys, vectors, strict=True)]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)

    def close(self) -> None:
        self._db.close()


def embed_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None,
    *,
    progress: bool = False,
    batch: int = 512,
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` (row i for texts[i]) and how many had to be computed.

    Texts missing from the cache are encoded longest first in batches, which keeps padding low and lets
    a progress bar move while the cache fills.
    """
    keys = [text_key(embedder.name, t) for t in texts]
    cached = cache.get_many(list(dict.fromkeys(keys))) if cache else {}
    missing = list(dict.fromkeys(k for k in keys if k not in cached))
    if missing:
        first_text = dict(zip(keys, texts, strict=True))
        missing.sort(key=lambda k: len(first_text[k]), reverse=True)
        from tqdm import tqdm

        with tqdm(total=len(missing), desc="Embedding", unit="passage", disable=not progress) as bar:
            for i in range(0, len(missing), batch):
                part = missing[i : i + batch]
                vectors = embedder.encode([first_text[k] for k in part])
                if cache:
                    cache.put_many(part, vectors)
                cached.update(zip(part, vectors, strict=True))
                bar.update(len(part))
    dimension = embedder.dimension
    matrix = np.zeros((len(texts), dimension), dtype=np.float32)
    for row, key in enumerate(keys):
        matrix[row] = cached[key]
    return matrix, len(missing)
