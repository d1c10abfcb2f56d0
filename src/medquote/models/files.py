"""Finding a shipped model's file and checking it: each model's folder holds its file and a ``manifest.json``
with the file's sha256; a file that is missing, or whose hash differs, raises one-line ModelError that
names the command that retrains it. Used by every model: triage, abstain, rerank and the reader.
``fitted_on`` says whether a model fitted on one embedder's vectors can read another's.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from medquote.errors import ModelError
from medquote.settings import SAME_VECTORS

__all__ = ["SAME_VECTORS", "check", "file_sha256", "fitted_on", "model_file"]

ROOT = Path(__file__).resolve().parent
MANIFEST = "manifest.json"


def fitted_on(trained_for: str, embedder_name: str, *, exact_vectors: bool) -> bool:
    """Whether a model fitted on the vectors of ``trained_for`` (an embedder name, ``model+backend``) can
    read those of ``embedder_name``: the same embedding model, and with ``exact_vectors`` also a runtime
    that gives torch's vectors (a calibrated threshold moves with int8's), not only a close one."""
    model, _, backend = embedder_name.partition("+")
    same = model == trained_for.partition("+")[0]
    return same and (not exact_vectors or (backend or "torch") in SAME_VECTORS)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check(path: Path, sha256: str, what: str, retrain: str) -> Path:
    """``path`` once it exists and its sha256 is ``sha256``; else a one-line ModelError naming ``retrain``."""
    if not path.is_file():
        raise ModelError(f"{path}: the {what} is missing; reinstall medquote or run {retrain}")
    if file_sha256(path) != sha256:
        raise ModelError(f"{path}: the {what} is damaged (sha256 differs); reinstall medquote or run {retrain}")
    return path


def locate(folder: Path, name: str, what: str, retrain: str) -> Path:
    """``folder/name`` after checking it against the sha256 that ``folder/manifest.json`` records for it."""
    manifest = folder / MANIFEST
    try:
        sha256 = str(json.loads(manifest.read_text(encoding="utf-8"))["files"][name])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{manifest}: the {what}'s manifest is missing or damaged; run {retrain}") from exc
    return check(folder / name, sha256, what, retrain)


def model_file(path: Path | None, folder: Path, name: str, what: str, retrain: str) -> Path:
    """The file a model loads: the packaged one (``path`` None) or a copy of its folder (a directory),
    both checked; a file given by its own path (a trainer's fresh output) is read as is."""
    if path is None:
        return locate(folder, name, what, retrain)
    path = Path(path)
    if path.is_dir():
        return locate(path, name, what, retrain)
    if not path.is_file():
        raise ModelError(f"{path}: the {what} is missing; run {retrain}")
    return path


def record(path: Path) -> None:
    """Write ``manifest.json`` beside a freshly trained model file, recording its sha256."""
    path = Path(path)
    manifest = {"files": {path.name: file_sha256(path)}}
    (path.parent / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
