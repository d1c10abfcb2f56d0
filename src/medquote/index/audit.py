"""Auditing a build against its corpus: every stored text re-read from the vetted file it came from.

``verify_index`` proves the build is the one that was built; this proves what was built is what the
vetted files say, closing the hash chain end to end — ``sources.toml``'s vetted sha256 → the file →
the reader the build uses → the stored text's sha256 in the manifest. It re-reads every source, so it
is ``medquote index verify --corpus DIR``, not something done at load.
"""

from __future__ import annotations

from pathlib import Path

from medquote.errors import IndexMismatchError, ManifestError
from medquote.index.build import read_sources
from medquote.index.integrity import Verified, read_build_manifest, sha256_text, verify_index
from medquote.ingest.manifest import check, load_corpus

_REBUILD = "run `medquote build` to rebuild it"


def audit_index(index_dir: Path, corpus_dir: Path) -> Verified:
    """``verify_index``, then each source's stored text re-derived from ``corpus_dir``'s vetted files.

    Raises ManifestError when the corpus itself fails its check, IndexMismatchError on the first
    difference between the build and what its vetted files say now.
    """
    verified = verify_index(index_dir)
    manifest = read_build_manifest(verified.build)
    corpus = load_corpus(corpus_dir)
    problems = [p for p in check(corpus) if p.blocking]
    if problems:
        raise ManifestError(f"{corpus_dir / problems[0].file}: {problems[0].message}; see `medquote sources check`")
    built = {entry_id: entry["sha256"] for entry_id, entry in manifest["sources"].items()}
    vetted = {entry.id: entry.sha256 for entry in corpus.vetted()}
    for entry_id in sorted(built.keys() | vetted.keys()):
        if built.get(entry_id) != vetted.get(entry_id):
            now = "not vetted there" if entry_id not in vetted else f"vetted as sha256 {vetted[entry_id][:12]}…"
            was = "not in the build" if entry_id not in built else f"built from sha256 {built[entry_id][:12]}…"
            raise IndexMismatchError(
                f"{verified.build}: source {entry_id} is {now} in {corpus_dir} but {was}; {_REBUILD}"
            )
    recorded: dict[str, str] = manifest["source_texts"]
    sources, _ = read_sources(corpus)
    for source_id in sorted(recorded.keys() | sources.keys()):
        source = sources.get(source_id)
        if source is None or recorded.get(source_id) != sha256_text(source.text):
            raise IndexMismatchError(
                f"{verified.build}: the stored text of {source_id} is not what its vetted file in {corpus_dir} "
                f"reads as today; {_REBUILD}"
            )
    return verified


__all__ = ["audit_index"]
