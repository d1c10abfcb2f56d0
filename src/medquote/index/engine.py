"""Search engines: where a question's candidate passages come from.

An engine answers four questions about a build's passages, by row: the dense top-k (rows and inner
products), the BM25 top-k (rows and scores on the engine's own scale), the BM25 scores of given rows,
and the unit vectors of given rows. Everything else — fusion, features, abstention, highlighting — runs
in medquote on the cosine it recomputes from those vectors, so no threshold ever reads an engine's raw
score. ``embedded`` (FAISS + bm25s files in the build folder) is the default; ``milvus``
(``medquote.index.milvus``) serves the same rows from a Milvus server.

Engines are chosen with ``--engine embedded|milvus`` (``--uri``, ``--collection``); ``--backend`` is the
embedding runtime's flag, not this one.
"""

from __future__ import annotations

import argparse
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from medquote.errors import InputError
from medquote.index.manifest import current_build
from medquote.settings import ENGINES, MILVUS_ALIAS

if TYPE_CHECKING:  # numpy is imported where it is used: the CLI imports this module to build its parser
    import numpy as np


class SearchEngine(Protocol):
    """Candidate generation over one build's passages (rows as in ``passages.jsonl``)."""

    name: str

    def dense_top(self, vector: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``depth`` passages nearest ``vector``: rows and inner products, best first."""
        ...

    def bm25_top(self, terms: Sequence[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``depth`` best BM25 matches of stemmed ``terms`` (score > 0): rows and scores, best first."""
        ...

    def bm25_of(self, terms: Sequence[str], rows: np.ndarray) -> np.ndarray:
        """BM25 scores of ``rows`` for ``terms``, on the scale of ``bm25_top`` (0 where no term matches)."""
        ...

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The unit vectors of ``rows``, in that order."""
        ...


@dataclass(frozen=True, slots=True)
class EngineSpec:
    """Which engine serves the candidates: ``name`` (see ``settings.ENGINES``), and for Milvus its
    ``uri`` (``http://HOST:PORT``) and the ``alias`` naming the live collection."""

    name: str = "embedded"
    uri: str = ""
    alias: str = MILVUS_ALIAS

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise ValueError(f"unknown engine {self.name!r}; use one of {', '.join(ENGINES)}")
        if self.name == "milvus" and not self.uri:
            raise ValueError("the milvus engine needs --uri http://HOST:PORT")
        if self.uri and not self.uri.startswith(("http://", "https://")):
            raise ValueError(f"--uri {self.uri}: give the Milvus server as http://HOST:PORT")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.alias):
            raise ValueError(f"--collection {self.alias}: use letters, digits and underscores, starting with a letter")

    def describe(self) -> str:
        return self.name if not self.uri else f"{self.name} at {self.uri} (alias {self.alias})"


EMBEDDED = EngineSpec()


class EngineKind(Protocol):
    """What loading needs to know about an engine: which build is live, and how to search it."""

    #: Whether the build folder's FAISS file is loaded (the embedded engine searches it; Milvus holds its own).
    reads_faiss: bool

    def live_build(self, index_dir: Path, spec: EngineSpec) -> Path | None: ...

    def open(self, spec: EngineSpec, build: Path, manifest: dict[str, Any], dense: Any, bm25: Any) -> SearchEngine: ...


class EmbeddedEngine:
    """FAISS (dense) and bm25s (BM25) files of the build folder, in this process."""

    name = "embedded"

    def __init__(self, dense: Any, bm25: Any) -> None:
        self.dense = dense
        self.bm25 = bm25
        # The BM25 top-k and the scores of the dense candidates come from one pass over all passages.
        self._all_scores = lru_cache(maxsize=8)(self._score_all)

    def _score_all(self, terms: tuple[str, ...]) -> np.ndarray:
        import numpy as np

        ids = self.bm25.get_tokens_ids(list(terms))
        if not ids:
            return np.zeros(self.dense.ntotal, dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)

    def dense_top(self, vector: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        depth = min(depth, self.dense.ntotal)
        scores, rows = self.dense.search(vector.reshape(1, -1), depth)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep]

    def bm25_top(self, terms: Sequence[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        scores = self._all_scores(tuple(terms))
        rows = np.argpartition(-scores, min(depth, len(scores) - 1))[:depth]
        rows = rows[scores[rows] > 0]
        rows = rows[np.lexsort((rows, -scores[rows]))]  # best first, ties by row
        return rows.astype(np.int64), scores[rows]

    def bm25_of(self, terms: Sequence[str], rows: np.ndarray) -> np.ndarray:
        return self._all_scores(tuple(terms))[rows]

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        return self.dense.reconstruct_batch(rows)


class EmbeddedKind:
    reads_faiss = True

    def live_build(self, index_dir: Path, spec: EngineSpec) -> Path | None:
        return current_build(index_dir)

    def open(self, spec: EngineSpec, build: Path, manifest: dict[str, Any], dense: Any, bm25: Any) -> SearchEngine:
        return EmbeddedEngine(dense, bm25)


# Engines by name; a non-default one is imported only when asked for (pymilvus is a heavy import).
_KINDS: dict[str, str] = {
    "embedded": "medquote.index.engine:EmbeddedKind",
    "milvus": "medquote.index.milvus:MilvusKind",
}
assert tuple(_KINDS) == ENGINES, "settings.ENGINES and the engine registry must name the same engines"


def engine_kind(spec: EngineSpec) -> EngineKind:
    module, name = _KINDS[spec.name].split(":")
    return getattr(importlib.import_module(module), name)()


def live_build(index_dir: Path | str, spec: EngineSpec = EMBEDDED) -> Path | None:
    """The build folder the engine of ``spec`` serves as live (``CURRENT``, or Milvus's alias)."""
    return engine_kind(spec).live_build(Path(index_dir), spec)


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine``, ``--uri`` and ``--collection``, the same on every command that reads or writes an index."""
    parser.add_argument(
        "--engine", choices=ENGINES, default="embedded", help="search engine (default: %(default)s, the index folder)"
    )
    parser.add_argument("--uri", default="", metavar="http://HOST:PORT", help="the Milvus server (--engine milvus)")
    parser.add_argument(
        "--collection",
        default=MILVUS_ALIAS,
        metavar="ALIAS",
        help="Milvus alias naming the live build (%(default)s)",
    )


def engine_spec(args: argparse.Namespace) -> EngineSpec:
    """The engine the options of ``add_engine_options`` name; a bad combination is a one-line error."""
    try:
        return EngineSpec(args.engine, args.uri, args.collection)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
