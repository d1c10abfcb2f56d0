"""``medquote build``: vetted sources → verbatim passages → FAISS + BM25 index, atomically and incrementally."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from medquote import __version__
from medquote.chunk import ChunkParams, chunk_text
from medquote.embed import Embedder, EmbeddingCache, embed_with_cache
from medquote.errors import ManifestError
from medquote.index import BUILDS, FORMAT_VERSION, MANIFEST, POINTER, read_manifest
from medquote.ingest import read_documents
from medquote.lexical import TOKENIZER_VERSION, tokenize
from medquote.qtype import passage_features
from medquote.records import Passage, Source, context_text
from medquote.sources import Corpus, SourceEntry, check, load_corpus

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildParams:
    """Everything besides the sources and the model that decides what a build contains."""

    chunk: ChunkParams = field(default_factory=ChunkParams)
    # Prefix each passage's embedded text with its source title and section (the quote stays verbatim).
    embed_context: bool = True
    # Also give BM25 the source title and section, so a passage that only says "it" still matches the name.
    bm25_context: bool = True
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    # At or above this many passages the dense index is HNSW (approximate) instead of exact.
    hnsw_threshold: int = 200_000
    hnsw_m: int = 32

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["chunk"] = self.chunk.as_dict()
        return data


@dataclass(frozen=True, slots=True)
class BuildReport:
    index_dir: Path
    version: str
    sources: int
    passages: int
    embedded: int
    cached: int
    skipped: int
    seconds: float
    up_to_date: bool = False

    def summary(self) -> str:
        if self.up_to_date:
            counts = f"{self.sources} sources, {self.passages} passages"
            return f"Index {self.version} is up to date ({counts}): {self.index_dir}"
        return (
            f"Built index {self.version}: {self.sources} sources, {self.passages} passages "
            f"({self.embedded} embedded, {self.cached} from cache), {self.skipped} empty items skipped, "
            f"{self.seconds:.1f} s → {self.index_dir}"
        )


def embed_text(passage: Passage, source: Source, params: BuildParams) -> str:
    """What the embedder sees for a passage."""
    return context_text(passage, source) if params.embed_context else passage.text


def fingerprint(corpus: Corpus, model_name: str, params: BuildParams) -> str:
    """Changes whenever a build would come out different."""
    payload = {
        "format": FORMAT_VERSION,
        "model": model_name,
        "params": params.as_dict(),
        "tokenizer": TOKENIZER_VERSION,
        "topic": corpus.topic,
        "examples": corpus.examples,
        "sources": [asdict(e) for e in corpus.vetted()],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def build_index(
    corpus_dir: Path | str,
    index_dir: Path | str,
    embedder: Embedder,
    *,
    params: BuildParams = BuildParams(),
    force: bool = False,
    progress: bool = False,
) -> BuildReport:
    """Index the vetted sources of ``corpus_dir`` into ``index_dir`` and make it the live build.

    Checks everything before writing anything; a failure or a kill at any point leaves the previous
    build live and unchanged.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    started = time.perf_counter()
    corpus = load_corpus(corpus_dir)
    problems = [p for p in check(corpus) if p.blocking]
    if problems:
        more = f" (and {len(problems) - 1} more; see `medquote sources check`)" if len(problems) > 1 else ""
        raise ManifestError(f"{corpus_dir / problems[0].file}: {problems[0].message}{more}")
    if not corpus.vetted():
        raise ManifestError(f"{corpus_dir}: no vetted sources; vet one with `medquote sources vet ID`")
    print_ = fingerprint(corpus, embedder.name, params)
    index_dir.mkdir(parents=True, exist_ok=True)
    with _lock(index_dir):
        previous = read_manifest(index_dir)
        if not force and previous and previous.get("fingerprint") == print_:
            counts = previous["counts"]
            return BuildReport(
                index_dir, previous["version"], counts["sources"], counts["passages"], 0, 0, 0,
                time.perf_counter() - started, up_to_date=True,
            )  # fmt: skip
        sources, skipped = _read_sources(corpus, progress)
        passages, also_in = _chunk(sources, params)
        texts = [embed_text(p, sources[p.source_id], params) for p in passages]
        cache = EmbeddingCache(index_dir / "cache" / "embeddings.sqlite", embedder.name, embedder.dimension)
        try:
            vectors, embedded = embed_with_cache(embedder, texts, cache, progress=progress)
        finally:
            cache.close()
        version = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + print_[:8]
        manifest = {
            "format_version": FORMAT_VERSION,
            "version": version,
            "fingerprint": print_,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "package_version": __version__,
            "model": {"name": embedder.name, "dimension": embedder.dimension},
            "normalisation": {
                "vectors": "l2",
                "similarity": "inner_product",
                "text": "medquote.ingest.normalize_text",
            },
            "params": params.as_dict(),
            "topic": corpus.topic,
            "examples": list(corpus.examples),
            "sources": {e.id: {"file": e.file, "sha256": e.sha256, "title": e.title} for e in corpus.vetted()},
            "counts": {"sources": len(sources), "passages": len(passages), "skipped_items": skipped},
            "also_in": {str(k): list(v) for k, v in also_in.items()},
        }
        _publish(index_dir, version, manifest, passages, sources, vectors, params, progress)
    return BuildReport(
        index_dir, version, len(sources), len(passages), embedded, len(passages) - embedded, skipped,
        time.perf_counter() - started,
    )  # fmt: skip


def _read_sources(corpus: Corpus, progress: bool) -> tuple[dict[str, Source], int]:
    sources: dict[str, Source] = {}
    skipped = 0
    for entry in corpus.vetted():
        result = read_documents(entry.path(corpus.directory), entry.format or None, progress=progress)
        skipped += result.skipped
        single = len(result.documents) == 1 and not result.documents[0].key
        for document in result.documents:
            source_id = entry.id if single else f"{entry.id}/{document.key}"
            sources[source_id] = _source(entry, source_id, document, single)
    return sources, skipped


def _source(entry: SourceEntry, source_id: str, document, single: bool) -> Source:  # noqa: ANN001
    # A file's own title is the maintainers' (the manifest); items of a collection keep theirs.
    title = entry.title if single or not document.title else document.title
    return Source(
        id=source_id,
        entry_id=entry.id,
        key=document.key,
        title=title,
        text=document.text,
        publisher=entry.publisher or None,
        url=document.url or entry.url or None,
        license=entry.license or None,
        date=entry.date_added or None,
        section=document.section,
    )


def _chunk(sources: dict[str, Source], params: BuildParams) -> tuple[list[Passage], dict[int, tuple[str, ...]]]:
    """All passages, each distinct text stored once; ``also_in`` lists the other sources of a shared one."""
    passages: list[Passage] = []
    row_of: dict[str, int] = {}
    also_in: dict[int, list[str]] = {}
    for source in sources.values():
        for passage in chunk_text(source.id, source.text, params.chunk, section=source.section):
            row = row_of.get(passage.id)
            if row is None:
                row_of[passage.id] = len(passages)
                passages.append(passage)
            elif passages[row].source_id != source.id and source.id not in also_in.get(row, []):
                also_in.setdefault(row, []).append(source.id)
    return passages, {row: tuple(ids) for row, ids in also_in.items()}


def _publish(
    index_dir: Path,
    version: str,
    manifest: dict[str, object],
    passages: list[Passage],
    sources: dict[str, Source],
    vectors: np.ndarray,
    params: BuildParams,
    progress: bool,
) -> None:
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
        with (temporary / "passages.jsonl").open("w", encoding="utf-8") as handle:
            for passage in passages:
                handle.write(json.dumps(asdict(passage), ensure_ascii=False) + "\n")
        with (temporary / "sources.jsonl").open("w", encoding="utf-8") as handle:
            for source in sources.values():
                handle.write(json.dumps(asdict(source), ensure_ascii=False) + "\n")
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
        # The manifest goes last: a folder with a manifest is a complete build.
        (temporary / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        _fsync_tree(temporary)
        final = builds / version
        temporary.rename(final)
        pointer = index_dir / f".{POINTER}.tmp"
        pointer.write_text(version + "\n", encoding="utf-8")
        _fsync(pointer)
        pointer.replace(index_dir / POINTER)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _prune(index_dir, keep=version)


def _prune(index_dir: Path, keep: str) -> None:
    """Drop old builds, keeping the live one and the one before it (a running app may still read it)."""
    builds = sorted(p for p in (index_dir / BUILDS).iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in [b for b in builds if b.name != keep][:-1]:
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


@contextlib.contextmanager
def _lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index folder; a second waits rather than interleaving."""
    with (index_dir / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            _fsync(path)


__all__ = ["BuildParams", "BuildReport", "build_index", "embed_text"]
