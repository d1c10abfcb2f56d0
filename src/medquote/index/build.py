"""``medquote build``: vetted sources → verbatim passages → embeddings (cached) → a new live build."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from medquote.embed.base import Embedder, split_name
from medquote.embed.cache import EmbeddingCache, embed_with_cache
from medquote.errors import IndexMismatchError, ManifestError
from medquote.files import locked
from medquote.index.chunk import chunk_text
from medquote.index.integrity import live_problem, sha256_text
from medquote.index.manifest import FORMAT_VERSION, POINTER, POINTER_FOLDER_HINT, read_manifest
from medquote.index.params import BuildParams
from medquote.index.publish import publish
from medquote.ingest.document import Document
from medquote.ingest.manifest import Corpus, SourceEntry, check, load_corpus
from medquote.ingest.registry import read_documents
from medquote.records import Passage, Source, context_text
from medquote.settings import VERSION
from medquote.text.tokens import TOKENIZER_VERSION

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did; ``embedded + cached == passages``."""

    index_dir: Path
    version: str
    sources: int
    passages: int
    # Passages whose vectors were computed now, and those taken from the embedding cache.
    embedded: int
    cached: int
    # Items of a collection (MedQuAD pairs, BEIR lines) skipped for having no text.
    skipped: int
    seconds: float
    up_to_date: bool = False
    # Why the live build failed its check (damaged, changed, bad CURRENT, another format), when it was rebuilt.
    repaired: str = ""
    # What the user should hear besides the summary (an unusable embedding cache set aside), one line each.
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.up_to_date:
            counts = f"{self.sources} sources, {self.passages} passages"
            return f"Index {self.version} is up to date ({counts}): {self.index_dir}"
        repaired = f"Repaired the live build, which failed its check: {self.repaired}. " if self.repaired else ""
        return (
            f"{repaired}Built index {self.version}: {self.sources} sources, {self.passages} passages "
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
    gate: Callable[[Corpus, Path], None] | None = None,
) -> BuildReport:
    """Index the vetted sources of ``corpus_dir`` into ``index_dir`` and make it the live build.

    Checks everything before writing anything; a failure or a kill at any point leaves the previous
    build live and unchanged. A live build that fails its hash check (or whose ``CURRENT`` is bad) is
    rebuilt even when the sources have not changed, from the embedding cache. ``gate`` (the corpus, the
    written build) runs before the build goes live; if it raises, the build stays unpublished.
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
    with locked(index_dir / ".lock"):
        previous = read_manifest(index_dir)
        # A damaged live build (changed files, bad CURRENT, another format) is rebuilt even if nothing changed.
        damaged = live_problem(index_dir)
        if (index_dir / POINTER).is_dir():  # not a file a build may replace: someone else's folder
            raise IndexMismatchError(f"{index_dir / POINTER}: is a folder, not a build pointer; {POINTER_FOLDER_HINT}")
        if not force and not damaged and previous and previous.get("fingerprint") == print_:
            counts = previous["counts"]
            return BuildReport(
                index_dir, previous["version"], counts["sources"], counts["passages"], 0, 0, 0,
                time.perf_counter() - started, up_to_date=True,
            )  # fmt: skip
        sources, skipped = read_sources(corpus, progress)
        passages, also_in = chunk_sources(sources, params)
        texts = [embed_text(p, sources[p.source_id], params) for p in passages]
        cache = EmbeddingCache(index_dir / "cache" / "embeddings.sqlite", embedder.name, embedder.dimension)
        try:
            vectors, embedded = embed_with_cache(embedder, texts, cache, progress=progress)
        finally:
            cache.close()
        warnings = tuple(cache.warnings)
        version = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + print_[:8]
        manifest = {
            "format_version": FORMAT_VERSION,
            "version": version,
            "fingerprint": print_,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "package_version": VERSION,
            "model": {"name": embedder.name, "dimension": embedder.dimension, "backend": split_name(embedder.name)[1]},
            "normalisation": {
                "vectors": "l2",
                "similarity": "inner_product",
                "text": "medquote.text.normalize.normalize_text",
            },
            "params": params.as_dict(),
            "topic": corpus.topic,
            "examples": list(corpus.examples),
            # Where the vetted hashes below came from: answering checks they are still the vetted ones.
            "corpus": str(corpus_dir.resolve()),
            "sources": {e.id: {"file": e.file, "sha256": e.sha256, "title": e.title} for e in corpus.vetted()},
            "source_texts": {source_id: sha256_text(source.text) for source_id, source in sources.items()},
            "counts": {"sources": len(sources), "passages": len(passages), "skipped_items": skipped},
            "also_in": {str(k): list(v) for k, v in also_in.items()},
        }
        check_build = None if gate is None else (lambda build: gate(corpus, build))
        publish(index_dir, version, manifest, passages, sources, vectors, params, progress=progress, gate=check_build)
    return BuildReport(
        index_dir, version, len(sources), len(passages), embedded, len(passages) - embedded, skipped,
        time.perf_counter() - started, repaired=damaged or "", warnings=warnings,
    )  # fmt: skip


def read_sources(corpus: Corpus, progress: bool = False) -> tuple[dict[str, Source], int]:
    """Every document of the vetted sources as a Source (keyed by source id), and how many items were empty."""
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


def _source(entry: SourceEntry, source_id: str, document: Document, single: bool) -> Source:
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
        published_on=entry.published_on or document.published or None,
        reviewed_by=entry.reviewed_by or None,
        reviewed_on=entry.reviewed_on or None,
        vetting=entry.vetting,
        vetting_note=entry.vetting_note or None,
    )


def chunk_sources(sources: dict[str, Source], params: BuildParams) -> tuple[list[Passage], dict[int, tuple[str, ...]]]:
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


__all__ = ["BuildParams", "BuildReport", "build_index", "chunk_sources", "embed_text", "read_sources"]
