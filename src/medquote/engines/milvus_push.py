"""Pushing a build to Milvus (``medquote build --engine milvus``): a new collection, then the alias.

``push_build`` copies the folder's live build into a new collection (``medquote.engines.milvus`` describes
its fields), flushes and loads it, checks its row count, and only then points the alias at it: a reader
resolving the alias sees the previous collection or the complete new one, never a half-written one — the
same guarantee as ``CURRENT``. The live collection and the one before it are kept.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from medquote.engines.milvus import bm25_text, client, collection_name, forget_alias, live_collection, unavailable
from medquote.engines.registry import load_index
from medquote.errors import IndexMismatchError, IndexNotFoundError, missing_extra
from medquote.files import locked
from medquote.index.manifest import MANIFEST, current_build
from medquote.records import context_text
from medquote.text.tokens import tokenize

# Milvus's VARCHAR limit, in bytes; a passage's stemmed terms are far shorter.
MAX_TERMS_BYTES = 65_535
INSERT_BATCH = 1_000


@dataclass(frozen=True, slots=True)
class PushReport:
    """What ``push_build`` did: the collection the alias now names, and whether it was already live."""

    uri: str
    alias: str
    collection: str
    passages: int
    seconds: float
    up_to_date: bool = False

    def summary(self) -> str:
        if self.up_to_date:
            return f"Milvus at {self.uri}: alias {self.alias} already serves {self.collection}"
        return (
            f"Milvus at {self.uri}: alias {self.alias} → {self.collection} "
            f"({self.passages} passages, {self.seconds:.1f} s)"
        )


def push_build(index_dir: Path | str, spec: Any, *, progress: bool = False) -> PushReport:
    """Copy the live build of ``index_dir`` into its own collection and make the alias name it.

    Nothing changes for readers until the collection is complete and loaded; a failure or a kill leaves
    the alias where it was (a half-written collection is replaced by the next push).
    """
    index_dir = Path(index_dir)
    started = time.perf_counter()
    with locked(index_dir / ".lock"):
        build = current_build(index_dir)
        if build is None:
            raise IndexNotFoundError(f"{index_dir}: no index here; run `medquote build` to create it")
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
        name = collection_name(spec.alias, manifest["version"])
        live = live_collection(spec.uri, spec.alias)
        if live == name:
            return PushReport(spec.uri, spec.alias, name, manifest["counts"]["passages"], 0.0, up_to_date=True)
        index = load_index(build)
        milvus = client(spec.uri)
        vectors = index.dense.reconstruct_n(0, index.dense.ntotal)
        with_context = index.manifest["params"].get("bm25_context", True)
        entities = (_entity(index, row, vectors[row], with_context) for row in range(len(index.passages)))
        try:
            write_collection(milvus, name, index.manifest, entities, progress=progress)
            if live is None:
                milvus.create_alias(name, spec.alias)
            else:
                milvus.alter_alias(name, spec.alias)
            forget_alias(spec.uri, spec.alias)
            _prune(milvus, spec.alias, keep=(name, live))
        except IndexMismatchError as exc:
            raise IndexMismatchError(f"{spec.uri}: {exc}; run the build again") from exc
        except Exception as exc:
            raise unavailable(spec.uri, exc) from exc
    return PushReport(spec.uri, spec.alias, name, len(index.passages), time.perf_counter() - started)


def write_collection(
    milvus: Any, name: str, manifest: dict[str, Any], entities: Iterable[dict[str, Any]], *, progress: bool = False
) -> None:
    """Create collection ``name`` for a build described by ``manifest`` (model dimension, counts, params),
    insert ``entities`` (see ``_entity``), flush, load, and check that every passage arrived."""
    from tqdm import tqdm

    if milvus.has_collection(name):
        milvus.drop_collection(name)  # left by a push that was killed
    _create(milvus, name, manifest)
    total = manifest["counts"]["passages"]
    with tqdm(total=total, desc="Pushing to Milvus", unit="passage", disable=not progress) as bar:
        rows = iter(entities)
        while batch := list(islice(rows, INSERT_BATCH)):
            milvus.insert(name, batch)
            bar.update(len(batch))
    milvus.flush(name)
    milvus.load_collection(name)
    count = int(milvus.get_collection_stats(name)["row_count"])
    if count != total:
        raise IndexMismatchError(f"{name} took {count} of {total} passages")


def _create(milvus: Any, name: str, manifest: dict[str, Any]) -> None:
    try:
        from pymilvus import DataType, Function, FunctionType
    except ImportError as exc:
        raise missing_extra("pymilvus", "milvus", "the Milvus engine") from exc

    params = manifest["params"]
    schema = milvus.create_schema(auto_id=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    schema.add_field("passage_id", DataType.VARCHAR, max_length=128)
    schema.add_field("source_id", DataType.VARCHAR, max_length=1024)
    schema.add_field("start", DataType.INT64)
    schema.add_field("end", DataType.INT64)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=int(manifest["model"]["dimension"]))
    # Pre-stemmed terms: the standard analyzer only splits them on spaces again (see bm25_text).
    schema.add_field(
        "terms", DataType.VARCHAR, max_length=MAX_TERMS_BYTES, enable_analyzer=True,
        analyzer_params={"tokenizer": "standard"},
    )  # fmt: skip
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(
        Function(
            name="bm25", function_type=FunctionType.BM25, input_field_names=["terms"], output_field_names=["sparse"]
        )
    )
    indexes = milvus.prepare_index_params()
    if manifest["counts"]["passages"] >= params["hnsw_threshold"]:
        hnsw = {"M": params["hnsw_m"], "efConstruction": 80}
        indexes.add_index("vector", index_type="HNSW", metric_type="IP", params=_both_ways(hnsw))
    else:
        indexes.add_index("vector", index_type="FLAT", metric_type="IP")
    bm25 = {"bm25_k1": params["bm25_k1"], "bm25_b": params["bm25_b"]}
    indexes.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=_both_ways(bm25))
    milvus.create_collection(name, schema=schema, index_params=indexes)


def _both_ways(params: dict[str, Any]) -> dict[str, Any]:
    """Index parameters as pymilvus sends them (one key each) and as one JSON ``params`` key: a Milvus
    server reads either, Milvus Lite only the second (without it Lite builds BM25 with k1 = 1.5, not ours)."""
    return {**params, "params": params}


def _entity(index: Any, row: int, vector: np.ndarray, with_context: bool) -> dict[str, Any]:
    passage = index.passages[row]
    text = context_text(passage, index.source_of(passage)) if with_context else passage.text
    terms = bm25_text(tokenize(text)).encode()[:MAX_TERMS_BYTES].decode(errors="ignore")
    return {
        "row": row,
        "passage_id": passage.id,
        "source_id": passage.source_id,
        "start": passage.start,
        "end": passage.end,
        "vector": vector.tolist(),
        "terms": terms,
    }


def _prune(milvus: Any, alias: str, keep: tuple[str | None, ...]) -> None:
    """Drop the alias's older collections, keeping the live one and the one before it (a running app
    may still be answering from it until it reloads)."""
    for name in milvus.list_collections():
        if name.startswith(f"{alias}__") and name not in keep:
            milvus.drop_collection(name)
