"""Publishing a build: write its files to a temporary folder, then make it live with one atomic replace.

A build goes live only by the replace of ``CURRENT``; a kill at any moment leaves the previous build live.
The live build and the one before it are kept (a running app may still be reading the older one).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from medquote.errors import IndexNotFoundError
from medquote.files import atomic_write, fsync_tree
from medquote.index.integrity import file_hashes
from medquote.index.manifest import BUILDS, MANIFEST, POINTER
from medquote.index.params import BuildParams
from medquote.records import Passage, Source, context_text
from medquote.text.qtypes import passage_features
from medquote.text.tokens import tokenize


def publish(
    index_dir: Path,
    version: str,
    manifest: dict[str, object],
    passages: list[Passage],
    sources: dict[str, Source],
    vectors: np.ndarray,
    params: BuildParams,
    *,
    progress: bool = False,
    gate: Callable[[Path], None] | None = None,
) -> None:
    """Write the build ``version`` of ``index_dir`` and make it the live one.

    ``gate`` is called with the written build before it goes live; if it raises, the build stays
    unpublished under ``builds/`` (``make_live`` publishes it later) and the live one is unchanged."""
    import bm25s
    import faiss

    # bm25s sets its own logger to DEBUG when imported; its build chatter is not for our users.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    builds = index_dir / BUILDS
    builds.mkdir(exist_ok=True)
    _remove_abandoned(builds)
    temporary = builds / f".tmp-{os.getpid()}-{version}"
    temporary.mkdir()
    try:
        atomic_write(temporary / "passages.jsonl", (json.dumps(asdict(p), ensure_ascii=False) for p in passages))
        atomic_write(temporary / "sources.jsonl", (json.dumps(asdict(s), ensure_ascii=False) for s in sources.values()))
        dimension = vectors.shape[1]
        if len(passages) >= params.hnsw_threshold:
            dense = faiss.IndexHNSWFlat(dimension, params.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            dense.hnsw.efConstruction = 80
        else:
            dense = faiss.IndexFlatIP(dimension)
        dense.add(vectors)
        faiss.write_index(dense, str(temporary / "dense.faiss"))
        bm25 = bm25s.BM25(k1=params.bm25_k1, b=params.bm25_b, method="lucene")
        texts = [context_text(p, sources[p.source_id]) if params.bm25_context else p.text for p in passages]
        bm25.index([tokenize(text) or [""] for text in texts], show_progress=progress)
        bm25.save(str(temporary / "bm25"))
        np.savez(temporary / "features.npz", **passage_features(passages))
        # The manifest goes last, with the hashes of everything written before it: a folder with a
        # manifest is a complete build, and a changed file is one whose hash is not the manifest's.
        manifest = {**manifest, "files": file_hashes(temporary)}
        atomic_write(temporary / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        fsync_tree(temporary)
        temporary.rename(builds / version)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    if gate is not None:
        gate(builds / version)
    make_live(index_dir, version)


def make_live(index_dir: Path, version: str) -> None:
    """Point ``CURRENT`` at the complete build ``version`` (atomically) and drop the older builds."""
    build = index_dir / BUILDS / version
    if not (build / MANIFEST).is_file() or version.startswith("."):
        raise IndexNotFoundError(f"{build}: no complete build of that name; `ls {index_dir / BUILDS}` lists them")
    pointer = index_dir / POINTER
    try:  # the build live until now is kept; a damaged pointer names none
        before = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
    except (OSError, UnicodeDecodeError):
        before = ""
    atomic_write(pointer, version + "\n", durable=True)
    _prune(index_dir, keep={version, before})


def _prune(index_dir: Path, keep: set[str]) -> None:
    """Drop old builds, keeping the live one and the one live before it (a running app may still read it)."""
    for old in (index_dir / BUILDS).iterdir():
        if old.is_dir() and not old.name.startswith(".") and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _remove_abandoned(builds: Path) -> None:
    """Temporary folders of builds that were killed (their process is gone)."""
    for folder in builds.glob(".tmp-*"):
        pid = int(folder.name.split("-")[1]) if folder.name.split("-")[1].isdigit() else 0
        if pid == os.getpid() or not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
