"""What a search engine is: where a question's candidate passages come from, and which engine a spec names.

An engine answers four questions about a build's passages, by row: the dense top-k (rows and inner
products), the BM25 top-k (rows and scores on the engine's own scale), the BM25 scores of given rows,
and the unit vectors of given rows. Everything else — fusion, features, abstention, highlighting — runs
in medquote on the cosine it recomputes from those vectors, so no threshold ever reads an engine's raw
score. ``embedded`` (FAISS + bm25s files in the build folder, ``medquote.engines.embedded``) is the
default; ``milvus`` (``medquote.engines.milvus``) serves the same rows from a Milvus server.

Engines are chosen with ``--engine embedded|milvus`` (``--uri``, ``--collection``); ``--backend`` is the
embedding runtime's flag, not this one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

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
