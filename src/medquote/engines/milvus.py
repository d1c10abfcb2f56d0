"""The Milvus engine: a build's passages in a versioned collection, made live by moving an alias.

One collection per build, ``<alias>__<version>`` (``-`` → ``_``), one entity per passage row: ``row``
(primary key, the row in ``passages.jsonl``), ``passage_id``, ``source_id``, ``start``, ``end``,
``vector`` (the unit vector; inner product, exact below ``hnsw_threshold`` passages and HNSW from it, as
embedded), ``terms`` (the BM25 text, already stemmed by ``medquote.text.tokens.tokenize``: Milvus Lite
ignores stemmer filters, and both engines must tokenise alike) and ``sparse`` (Milvus's BM25 function
of ``terms``, with the build's k1 and b).

``medquote.engines.milvus_push`` writes the collections and moves the alias. (A local Milvus Lite server
for tests and benchmarks is started by ``tests/milvus_utils.py``.)

The passages, the sources with their stored text, and the manifest stay in the build folder
(``index/builds/<version>``, which every chat replica reads): a quote is still re-checked verbatim against
its source's stored text before it is shown. The alias says which build is live; the app loads the
folder of that version and searches that version's collection (not the alias), so a build and its
collection always match.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from medquote.engines.base import SearchEngine
from medquote.errors import EngineUnavailableError, IndexMismatchError, IndexNotFoundError, missing_extra
from medquote.index.manifest import BUILDS, MANIFEST

log = logging.getLogger(__name__)

# Seconds to wait for the server: connecting, and each search (a chat question makes four calls).
CONNECT_TIMEOUT = 5.0
CALL_TIMEOUT = 5.0
# Seconds to wait for a collection's first searches when a build is loaded.
WARM_TIMEOUT = 1800.0
# A running chat notices a moved alias within this many seconds.
ALIAS_MAX_AGE = 2.0
# Milvus's error code for "collection not loaded": a restarted Milvus Lite forgets what was loaded.
_NOT_LOADED = 101
_START_HINT = "start it (e.g. `milvus-lite server --data-dir DIR --port 19530`) or pass the right --uri"


def collection_name(alias: str, version: str) -> str:
    """The collection holding build ``version`` (Milvus names allow letters, digits and underscores)."""
    return f"{alias}__{version.replace('-', '_')}"


def bm25_text(terms: Sequence[str]) -> str:
    """Stemmed terms as the text Milvus's analyzer splits back into the same terms (``'`` would split)."""
    return " ".join(term.replace("'", "_") for term in terms)


@cache
def client(uri: str) -> Any:
    """One pymilvus client per server, shared by every build and thread (it reconnects by itself)."""
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise missing_extra("pymilvus", "milvus", "the Milvus engine") from exc

    # pymilvus logs each failed call with a traceback; medquote says it once, in one line.
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
    try:
        return MilvusClient(uri=uri, timeout=CONNECT_TIMEOUT)
    except Exception as exc:  # pymilvus raises MilvusException, grpc its own errors
        raise EngineUnavailableError(f"{uri}: cannot reach the Milvus server; {_START_HINT}") from exc


def unavailable(uri: str, exc: Exception) -> EngineUnavailableError:
    """A failed call as medquote reports it: logged in full, said in one line."""
    log.warning("Milvus at %s failed: %s", uri, exc)
    return EngineUnavailableError(f"{uri}: the Milvus server did not answer; {_START_HINT}")


def live_collection(uri: str, alias: str, *, max_age: float = 0.0) -> str | None:
    """The collection ``alias`` points at, or None when there is no such alias.

    ``max_age``: an answer this many seconds old will do (a chat looks before every question; two calls
    to the server each time would add to every answer what a reload a second later costs nobody).
    """
    seen = _aliases.get((uri, alias))
    if seen is not None and time.monotonic() - seen[0] <= max_age:
        return seen[1]
    try:
        milvus = client(uri)
        live = None
        if alias in milvus.list_aliases(timeout=CALL_TIMEOUT)["aliases"]:
            live = str(milvus.describe_alias(alias, timeout=CALL_TIMEOUT)["collection_name"])
    except EngineUnavailableError:
        raise
    except Exception as exc:
        raise unavailable(uri, exc) from exc
    _aliases[(uri, alias)] = (time.monotonic(), live)
    return live


# (uri, alias) -> (when it was asked, the collection it named)
_aliases: dict[tuple[str, str], tuple[float, str | None]] = {}


def forget_alias(uri: str, alias: str) -> None:
    """Ask the server next time (this process just moved the alias)."""
    _aliases.pop((uri, alias), None)


class MilvusEngine:
    """Candidates from one build's collection (see ``medquote.engines.base.SearchEngine``)."""

    name = "milvus"

    def __init__(self, uri: str, collection: str, *, ef: int = 0) -> None:
        self.uri = uri
        self.collection = collection
        self.ef = ef  # HNSW's search breadth (at least the depth asked for); 0 for an exact index

    def _call(self, method: str, *, timeout: float | None = None, **kwargs: Any) -> Any:
        timeout = timeout or CALL_TIMEOUT
        try:
            milvus = client(self.uri)
            try:
                return getattr(milvus, method)(self.collection, timeout=timeout, **kwargs)
            except Exception as exc:
                if getattr(exc, "code", None) != _NOT_LOADED:
                    raise
                milvus.load_collection(self.collection, timeout=timeout)
                return getattr(milvus, method)(self.collection, timeout=timeout, **kwargs)
        except EngineUnavailableError:
            raise
        except Exception as exc:
            raise unavailable(self.uri, exc) from exc

    def _search(self, data: list[Any], field: str, limit: int, params: dict[str, Any], **kwargs: Any) -> list[Any]:
        return self._call("search", data=data, anns_field=field, limit=limit, search_params=params, **kwargs)[0]

    def warm(self, dimension: int) -> None:
        """One search of each kind, waited for as long as loading takes: Milvus Lite builds a segment's
        BM25 index on its first search (over a minute at 100,000 passages), which must not be a question's."""
        self._search([[0.0] * dimension], "vector", 1, {"metric_type": "IP"}, timeout=WARM_TIMEOUT)
        self._search(["warm"], "sparse", 1, {"metric_type": "BM25"}, timeout=WARM_TIMEOUT)

    def dense_top(self, vector: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        params: dict[str, Any] = {"metric_type": "IP"}
        if self.ef:
            params["params"] = {"ef": max(self.ef, depth)}
        hits = self._search([np.asarray(vector, dtype=np.float32).tolist()], "vector", depth, params)
        return _rows(hits), np.array([hit["distance"] for hit in hits], dtype=np.float32)

    def bm25_top(self, terms: Sequence[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        if not terms:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        hits = self._search([bm25_text(terms)], "sparse", depth, {"metric_type": "BM25"})
        rows, scores = _rows(hits), _bm25_scores(hits)
        keep = scores > 0
        rows, scores = rows[keep], scores[keep]
        order = np.lexsort((rows, -scores))  # best first, ties by row (the engine's tie order is arbitrary)
        return rows[order], scores[order]

    def bm25_of(self, terms: Sequence[str], rows: np.ndarray) -> np.ndarray:
        scores = np.zeros(len(rows), dtype=np.float32)
        if not terms or not len(rows):
            return scores
        wanted = ",".join(str(int(row)) for row in rows)
        hits = self._search(
            [bm25_text(terms)], "sparse", len(rows), {"metric_type": "BM25"}, filter=f"row in [{wanted}]"
        )
        position = {int(row): i for i, row in enumerate(rows)}
        for row, score in zip(_rows(hits), _bm25_scores(hits), strict=True):
            scores[position[int(row)]] = score
        return scores

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros((0, 0), dtype=np.float32)
        wanted = ",".join(str(int(row)) for row in rows)
        found = self._call("query", filter=f"row in [{wanted}]", output_fields=["row", "vector"])
        by_row = {int(item["row"]): item["vector"] for item in found}
        return np.array([by_row[int(row)] for row in rows], dtype=np.float32)


def _rows(hits: list[Any]) -> np.ndarray:
    return np.array([hit["row"] for hit in hits], dtype=np.int64)


def _bm25_scores(hits: list[Any]) -> np.ndarray:
    # Milvus returns BM25 scores as distances: positive from a Milvus server, negated by Milvus Lite.
    return np.abs(np.array([hit["distance"] for hit in hits], dtype=np.float32))


class MilvusKind:
    """The live build is the one whose collection the alias names; Milvus searches it."""

    reads_faiss = False

    def live_build(self, index_dir: Path, spec: Any) -> Path | None:
        if (index_dir / MANIFEST).is_file():  # a build folder, named directly (a reload)
            return index_dir
        live = live_collection(spec.uri, spec.alias, max_age=ALIAS_MAX_AGE)
        if live is None:
            raise IndexNotFoundError(
                f"{spec.uri}: no collection under alias {spec.alias}; "
                f"run `medquote build --engine milvus --uri {spec.uri}` to create it"
            )
        builds = index_dir / BUILDS
        for build in sorted(builds.iterdir()) if builds.is_dir() else ():
            if collection_name(spec.alias, build.name) == live and (build / MANIFEST).is_file():
                return build
        raise IndexNotFoundError(
            f"{index_dir}: Milvus serves {live}, but this folder has no such build; pass the --index "
            f"folder it was built from, or run `medquote build --engine milvus --uri {spec.uri}`"
        )

    def open(self, spec: Any, build: Path, manifest: dict[str, Any], dense: Any, bm25: Any) -> SearchEngine:
        name = collection_name(spec.alias, manifest["version"])
        hint = f"run `medquote build --engine milvus --uri {spec.uri}` to push it"
        milvus = client(spec.uri)
        try:
            exists = milvus.has_collection(name, timeout=CALL_TIMEOUT)
            count = int(milvus.get_collection_stats(name, timeout=CALL_TIMEOUT)["row_count"]) if exists else 0
        except Exception as exc:
            raise unavailable(spec.uri, exc) from exc
        if not exists:
            raise IndexNotFoundError(f"{spec.uri}: no collection {name} for build {build.name}; {hint}")
        if count != manifest["counts"]["passages"]:
            raise IndexMismatchError(
                f"{spec.uri}: {name} holds {count} passages, the build {manifest['counts']['passages']}; {hint}"
            )
        params = manifest["params"]
        exact = manifest["counts"]["passages"] < params["hnsw_threshold"]
        engine = MilvusEngine(spec.uri, name, ef=0 if exact else 64)
        engine.warm(int(manifest["model"]["dimension"]))
        return engine
