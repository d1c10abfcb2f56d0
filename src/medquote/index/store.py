"""A loaded build (``Index``) and ``load_index``, which refuses anything missing, damaged or built differently."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from medquote.errors import IndexMismatchError, IndexNotFoundError
from medquote.index.embed import split_name
from medquote.index.engine import EMBEDDED, EngineSpec, SearchEngine, engine_kind
from medquote.index.manifest import FILES, FORMAT_VERSION, MANIFEST, REBUILD_HINT
from medquote.index.terms import tokenize
from medquote.records import Passage, Source

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Index:
    """A loaded build: passages (row i is vector i), their sources, and the engine that searches them.

    ``dense`` is the FAISS index when the embedded engine serves the build, None when Milvus does;
    ``bm25`` (bm25s) is always loaded, for the term weights of highlighting.
    """

    directory: Path
    manifest: dict[str, Any]
    passages: list[Passage]
    sources: dict[str, Source]
    dense: Any  # faiss.Index
    bm25: Any  # bm25s.BM25
    # Passage row -> other sources holding the identical passage (stored once).
    also_in: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # Per-passage arrays from medquote.index.qtypes.passage_features.
    features: dict[str, np.ndarray] = field(default_factory=dict)
    engine: SearchEngine | None = None

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def built_at(self) -> str:
        return str(self.manifest["built_at"])

    @property
    def model_name(self) -> str:
        return str(self.manifest["model"]["name"])

    @property
    def backend(self) -> str:
        return split_name(self.model_name)[1]

    @property
    def topic(self) -> str:
        return str(self.manifest.get("topic", ""))

    def source_of(self, passage: Passage) -> Source:
        return self.sources[passage.source_id]

    def uses(self, word: str) -> bool:
        """Whether the indexed passages use ``word`` (all of its BM25 terms are in the vocabulary)."""
        terms = tokenize(word)
        return bool(terms) and all(term in self.bm25.vocab_dict for term in terms)


def load_index(index_dir: Path | str, *, model_name: str | None = None, engine: EngineSpec = EMBEDDED) -> Index:
    """Load the live build of ``index_dir``, refusing anything missing, damaged or built differently.

    ``model_name`` is the query embedder's name; a different model than the one the index was built
    with would make its vectors meaningless, and another backend would query it with vectors slightly
    off the stored ones, so both are errors. ``engine`` decides which build is live (``CURRENT``, or the
    Milvus alias) and what searches it.
    """
    import bm25s
    import faiss

    index_dir = Path(index_dir)
    engines = engine_kind(engine)
    build = engines.live_build(index_dir, engine)
    if build is None:
        raise IndexNotFoundError(f"{index_dir}: no index here; run `medquote build` to create it")
    missing = [name for name in FILES if not (build / name).exists()]
    if missing:
        raise IndexMismatchError(f"{build}: index is incomplete (missing {', '.join(missing)}); {REBUILD_HINT}")
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IndexMismatchError(f"{build / MANIFEST}: corrupt manifest; {REBUILD_HINT}") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"{build}: index format {manifest.get('format_version')} but this medquote reads "
            f"{FORMAT_VERSION}; {REBUILD_HINT}"
        )
    built, queried = split_name(manifest["model"]["name"]), split_name(model_name or "")
    if model_name is not None and built[0] == queried[0] and built[1] != queried[1]:
        raise IndexMismatchError(
            f"{build}: built with the {built[1]} backend but the query embedder runs on {queried[1]}; "
            f"pass --backend {built[1]}, or run `medquote build --backend {queried[1]}` to rebuild it"
        )
    if model_name is not None and manifest["model"]["name"] != model_name:
        raise IndexMismatchError(
            f"{build}: built with model {manifest['model']['name']} but the query model is {model_name}; "
            "pass the --model it was built with, or run `medquote build --model PATH` to rebuild it"
        )
    try:
        passages = [Passage(**json.loads(line)) for line in _lines(build / "passages.jsonl")]
        sources = {}
        for line in _lines(build / "sources.jsonl"):
            source = Source(**json.loads(line))
            sources[source.id] = source
        dense = faiss.read_index(str(build / "dense.faiss")) if engines.reads_faiss else None
        bm25 = bm25s.BM25.load(str(build / "bm25"))
        also_in = {int(k): tuple(v) for k, v in manifest.get("also_in", {}).items()}
        with np.load(build / "features.npz") as arrays:
            features = {name: arrays[name] for name in arrays.files}
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise IndexMismatchError(f"{build}: index files are damaged ({type(exc).__name__}); {REBUILD_HINT}") from exc
    counts = manifest["counts"]
    if (
        len(passages) != counts["passages"]
        or (dense is not None and (dense.ntotal != counts["passages"] or dense.d != manifest["model"]["dimension"]))
        or len(sources) != counts["sources"]
        or any(p.source_id not in sources for p in passages)
        or any(len(values) != len(passages) for values in features.values())
    ):
        raise IndexMismatchError(f"{build}: index files disagree with its manifest; {REBUILD_HINT}")
    searcher = engines.open(engine, build, manifest, dense, bm25)
    return Index(build, manifest, passages, sources, dense, bm25, also_in, features, searcher)


def _lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [line for line in handle if line.strip()]
