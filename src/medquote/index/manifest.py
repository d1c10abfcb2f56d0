"""The index folder's layout and its manifest: which build is live, and what that build says about itself.

Layout of an index folder (``index/`` by default)::

    CURRENT                  name of the live build, replaced atomically when a build completes
    builds/<version>/        one complete build:
        manifest.json        format, model, backend and dimension, parameters, source hashes, counts, time, version,
                             and the sha256 of every other file here and of each source's stored text
                             (medquote.index.integrity)
        passages.jsonl       one Passage per line, in vector order
        sources.jsonl        one Source per line, with its normalised text
        dense.faiss          normalised vectors, inner product (flat, or HNSW above a size)
        bm25/                the bm25s index
        features.npz         per-passage question-type features (medquote.text.qtypes.passage_features)
    cache/embeddings.sqlite  vectors by model and text hash, shared by all builds
    cache/onnx/              the model exported to ONNX (medquote.embed.onnx), by model fingerprint

A build is written under ``builds/.tmp-*`` and becomes live only by the replace of ``CURRENT``, so a
reader never sees a half-written build and a killed build leaves the previous one in place. ``CURRENT``
may only name a build folder directly inside ``builds/``: anything else is refused, never followed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from medquote.errors import IndexMismatchError

# 3: question-type features stored as plain arrays (types × passages), no longer bit-packed.
# 4: sha256 of every built file ("files") and of each source's stored text ("source_texts").
FORMAT_VERSION = 4
POINTER = "CURRENT"
BUILDS = "builds"
MANIFEST = "manifest.json"
FILES = (MANIFEST, "passages.jsonl", "sources.jsonl", "dense.faiss", "bm25", "features.npz")
REBUILD_HINT = "run `medquote build` to rebuild it"
REPAIR_HINT = "run `medquote build` to repair it"
POINTER_FOLDER_HINT = "remove it, then run `medquote build`"
# What CURRENT may name: one folder directly inside builds/ (no separators, no "..", not hidden).
_BUILD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def current_build(index_dir: Path) -> Path | None:
    """The live build folder of ``index_dir``, or ``index_dir`` itself if it is a build folder.

    Raises IndexMismatchError when ``CURRENT`` cannot be read or names anything but a build inside ``builds/``.
    """
    if (index_dir / MANIFEST).is_file():
        return index_dir
    pointer = index_dir / POINTER
    if not pointer.exists():
        return None
    if pointer.is_dir():
        raise IndexMismatchError(f"{pointer}: is a folder, not the file naming the live build; {POINTER_FOLDER_HINT}")
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a UTF-8 build name"
        raise IndexMismatchError(f"{pointer}: cannot be read ({reason}); {REPAIR_HINT}") from exc
    if not name:
        return None
    build = index_dir / BUILDS / name
    # A plain name, and not a symlink out of builds/ either.
    if not _BUILD_NAME.fullmatch(name) or ".." in name or build.resolve().parent != build.parent.resolve():
        raise IndexMismatchError(
            f"{pointer}: names {name[:80]!r}, which is not a build inside {index_dir / BUILDS}; {REPAIR_HINT}"
        )
    return build


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The live build's manifest, or None when there is no readable build."""
    try:
        build = current_build(index_dir)
    except IndexMismatchError:
        return None
    if build is None:
        return None
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


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
