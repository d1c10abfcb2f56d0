"""The index folder's layout and its manifest: which build is live, and what that build says about itself.

Layout of an index folder (``index/`` by default)::

    CURRENT                  name of the live build, replaced atomically when a build completes
    builds/<version>/        one complete build:
        manifest.json        format, model, backend and dimension, parameters, source hashes, counts, time, version
        passages.jsonl       one Passage per line, in vector order
        sources.jsonl        one Source per line, with its normalised text
        dense.faiss          normalised vectors, inner product (flat, or HNSW above a size)
        bm25/                the bm25s index
        features.npz         per-passage question-type features (medquote.index.qtypes.passage_features)
    cache/embeddings.sqlite  vectors by model and text hash, shared by all builds
    cache/onnx/              the model exported to ONNX (medquote.index.onnx), by model fingerprint

A build is written under ``builds/.tmp-*`` and becomes live only by the replace of ``CURRENT``, so a
reader never sees a half-written build and a killed build leaves the previous one in place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# 3: question-type features stored as plain arrays (types × passages), no longer bit-packed.
FORMAT_VERSION = 3
POINTER = "CURRENT"
BUILDS = "builds"
MANIFEST = "manifest.json"
FILES = (MANIFEST, "passages.jsonl", "sources.jsonl", "dense.faiss", "bm25", "features.npz")
REBUILD_HINT = "run `medquote build` to rebuild it"


def current_build(index_dir: Path) -> Path | None:
    """The live build folder of ``index_dir``, or ``index_dir`` itself if it is a build folder."""
    if (index_dir / MANIFEST).is_file():
        return index_dir
    pointer = index_dir / POINTER
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return index_dir / BUILDS / name if name else None


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The live build's manifest, or None when there is no readable build."""
    build = current_build(index_dir)
    if build is None:
        return None
    try:
        return json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def cache_dir(index_dir: Path) -> Path:
    """The cache folder of ``index_dir`` (also when ``index_dir`` is one of its build folders)."""
    if (index_dir / MANIFEST).is_file() and index_dir.parent.name == BUILDS:
        return index_dir.parent.parent / "cache"
    return index_dir / "cache"


def built_backend(index_dir: Path) -> str | None:
    """The embedding backend the live build of ``index_dir`` was built with (None without a readable build)."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return None
    model = manifest.get("model", {})
    # Builds from before backends were recorded are torch's.
    return str(model.get("backend") or "torch")
