"""Proving a build is the one that was built: the sha256 of every built file and of each source's stored text.

``publish`` records them in the manifest (``files``, ``source_texts``); ``load_index`` re-hashes the files
(in a thread, while it parses them), ``medquote index verify`` re-checks everything, ``medquote build``
repairs a build that fails the check, and the assistant shows a quote only when its source's stored text
still hashes to the value recorded at build — and that build was made from the vetted file that
``sources.toml`` lists today. The hash chain: vetted file (``sources.toml``) → manifest ``sources`` →
``source_texts`` → the passage, an exact slice of that text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medquote.errors import IndexMismatchError, IndexNotFoundError, MedquoteError
from medquote.index.manifest import FILES, FORMAT_VERSION, MANIFEST, REBUILD_HINT, REPAIR_HINT, current_build

# The built files whose hashes the manifest records (files, or folders whose every file is recorded).
HASHED = tuple(name for name in FILES if name != MANIFEST)


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hashes(build: Path) -> dict[str, str]:
    """The sha256 of every built file of ``build`` (manifest aside), by path relative to it (``bm25/…``)."""
    hashes: dict[str, str] = {}
    for name in HASHED:
        path = build / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                try:
                    digest = sha256_file(file)
                except OSError:
                    digest = "unreadable"  # never a sha256, so it is reported as damaged
                hashes[file.relative_to(build).as_posix()] = digest
    return hashes


def hash_problem(build: Path, recorded: dict[str, str], actual: dict[str, str]) -> str | None:
    """The first difference between the hashes recorded at build and those of the files now, or None."""
    for name, digest in recorded.items():
        if name not in actual:
            return f"{build / name}: missing"
        if actual[name] != digest:
            return f"{build / name}: damaged or changed since it was built, its sha256 is not the manifest's"
    extra = sorted(set(actual) - set(recorded))
    return f"{build / extra[0]}: not part of the build" if extra else None


def read_build_manifest(build: Path) -> dict[str, Any]:
    """``build``'s manifest, refusing a build with missing files, an unreadable manifest or another format."""
    missing = [name for name in FILES if not (build / name).exists()]
    if missing:
        raise IndexMismatchError(f"{build}: index is incomplete (missing {', '.join(missing)}); {REPAIR_HINT}")
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexMismatchError(f"{build / MANIFEST}: corrupt manifest; {REPAIR_HINT}") from exc
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        found = manifest.get("format_version") if isinstance(manifest, dict) else None
        raise IndexMismatchError(
            f"{build}: index format {found} but this medquote reads {FORMAT_VERSION}; {REBUILD_HINT}"
        )
    if not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("source_texts"), dict):
        raise IndexMismatchError(f"{build / MANIFEST}: corrupt manifest (no file hashes); {REPAIR_HINT}")
    return manifest


def check_files(build: Path, manifest: dict[str, Any], actual: dict[str, str]) -> None:
    """Raise IndexMismatchError naming the first built file whose hash is not the one recorded."""
    problem = hash_problem(build, manifest["files"], actual)
    if problem:
        raise IndexMismatchError(f"{problem}; {REPAIR_HINT}")


@dataclass(frozen=True, slots=True)
class Verified:
    """A live build whose every hash checked out."""

    build: Path
    version: str
    sources: int
    passages: int
    files: int

    def summary(self) -> str:
        return (
            f"OK: index {self.version} (format {FORMAT_VERSION}): {self.sources} sources, {self.passages} passages, "
            f"{self.files} files match their sha256 → {self.build}"
        )


def verify_index(index_dir: Path) -> Verified:
    """Re-check the live build of ``index_dir``: ``CURRENT``, every file's hash, each source text's hash.

    Raises IndexNotFoundError without a build, IndexMismatchError on the first problem.
    """
    build = current_build(index_dir)
    if build is None:
        raise IndexNotFoundError(f"{index_dir}: no index here; run `medquote build` to create it")
    manifest = read_build_manifest(build)
    check_files(build, manifest, file_hashes(build))
    recorded: dict[str, str] = manifest["source_texts"]
    seen = 0
    try:
        with (build / "sources.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                source = json.loads(line)
                if recorded.get(source["id"]) != sha256_text(source["text"]):
                    raise IndexMismatchError(
                        f"{build / 'sources.jsonl'}: the stored text of {source['id']!r} is not the text "
                        f"that was built; {REPAIR_HINT}"
                    )
                seen += 1
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = f"unreadable ({type(exc).__name__})"
        raise IndexMismatchError(f"{build / 'sources.jsonl'}: {problem}; {REPAIR_HINT}") from exc
    if seen != len(recorded):
        problem = f"holds {seen} sources, not {len(recorded)}"
        raise IndexMismatchError(f"{build / 'sources.jsonl'}: {problem}; {REPAIR_HINT}")
    counts = manifest.get("counts", {})
    return Verified(build, str(manifest.get("version")), seen, int(counts.get("passages", 0)), len(manifest["files"]))


def live_problem(index_dir: Path) -> str | None:
    """Why the live build of ``index_dir`` needs rebuilding (damaged, changed, another format, bad
    ``CURRENT``), or None when it verifies or there is none."""
    try:
        verify_index(index_dir)
    except IndexNotFoundError:
        return None
    except MedquoteError as exc:
        return str(exc).removesuffix(f"; {REPAIR_HINT}").removesuffix(f"; {REBUILD_HINT}")
    return None


def vetted_hashes(manifest: dict[str, Any]) -> dict[str, str]:
    """The sha256 that the corpus the build was made from lists today for each of its sources (by entry id).

    Empty when that corpus is gone or unreadable (an index copied elsewhere): the chain then starts at the
    manifest's own record of the vetted hashes.
    """
    from medquote.ingest.manifest import MANIFEST_NAME, load_corpus

    corpus = manifest.get("corpus")
    if not isinstance(corpus, str) or not (Path(corpus) / MANIFEST_NAME).is_file():
        return {}
    try:
        return {entry.id: entry.sha256 for entry in load_corpus(Path(corpus)).entries}
    except (MedquoteError, OSError, ValueError):
        return {}


__all__ = [
    "HASHED",
    "Verified",
    "check_files",
    "file_hashes",
    "hash_problem",
    "live_problem",
    "read_build_manifest",
    "sha256_file",
    "sha256_text",
    "verify_index",
    "vetted_hashes",
]
