"""The embedding cache: vectors keyed by model name and text hash, so unchanged passages are never re-embedded."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from medquote.embed.base import Embedder

log = logging.getLogger(__name__)
# The one table this cache reads, by its columns; any other layout is an old or foreign file.
_COLUMNS = ["key", "vector"]
_OLD_LAYOUT = "old layout"


def text_key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\0{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors keyed by model name and text hash, in one SQLite file.

    Writes are committed in batches as they are computed, so an interrupted build keeps what it embedded.
    A file that is not such a cache (corrupt, or an old layout) is moved aside as
    ``<name>.corrupt-<time>`` with one warning, and a new cache started: it only costs re-embedding.
    """

    def __init__(self, path: Path, model_name: str, dimension: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.model_name = model_name
        self.dimension = dimension
        # What the user should hear about this cache (a file set aside), one line each.
        self.warnings: list[str] = []
        try:
            self._db = _open(path)
        except sqlite3.DatabaseError as exc:
            # Only a file that is not a cache is set aside; a full disk or a locked folder is the user's to fix.
            if not _corrupt(exc) or not path.is_file():
                raise
            self._db = self._start_over(exc)

    def _start_over(self, exc: sqlite3.DatabaseError) -> sqlite3.Connection:
        self.warnings.append(set_aside(self.path, exc))
        return _open(self.path)

    def _reset(self, exc: sqlite3.DatabaseError) -> None:
        """The file turned out corrupt past its first page: set it aside and go on with a new one."""
        self._db.close()
        self._db = self._start_over(exc)

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        try:
            return self._get_many(keys)
        except sqlite3.DatabaseError as exc:
            if not _corrupt(exc):
                raise
            self._reset(exc)
            return {}

    def _get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
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
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
        except sqlite3.DatabaseError as exc:
            if not _corrupt(exc):
                raise
            self._reset(exc)
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)

    def close(self) -> None:
        self._db.close()


def _open(path: Path) -> sqlite3.Connection:
    """A connection to the cache at ``path``, created if missing; DatabaseError if it is not one."""
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        columns = [row[1] for row in db.execute("PRAGMA table_info(vectors)")]
        if columns != _COLUMNS:
            raise sqlite3.DatabaseError(f"{_OLD_LAYOUT} (columns {', '.join(columns)})")
        db.execute("SELECT key, vector FROM vectors LIMIT 1").fetchall()
    except BaseException:
        db.close()
        raise
    return db


def _corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Whether ``exc`` says the file is not a usable cache (rather than, say, that the disk is full)."""
    return any(sign in str(exc) for sign in ("malformed", "not a database", _OLD_LAYOUT))


def set_aside(path: Path, exc: Exception) -> str:
    """Move the unusable cache ``path`` (and its journal) out of the way, and say so in one line."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.replace(aside)
    for suffix in ("-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    message = f"the embedding cache {path} is unusable ({exc}); moved it to {aside.name} and started a new one"
    log.info(message)
    return message


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
