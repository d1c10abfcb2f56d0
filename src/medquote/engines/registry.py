"""The engines by name (``settings.ENGINES``), and ``load_index``: a build opened with the engine a spec names.

A new search engine is one module here with a ``SearchEngine`` and an ``EngineKind`` (which build is
live, how to open it), and one entry in ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from medquote.engines.base import EMBEDDED, EngineKind, EngineSpec
from medquote.engines.embedded import EmbeddedKind
from medquote.engines.milvus import MilvusKind
from medquote.errors import IndexNotFoundError
from medquote.index.store import Index, read_build
from medquote.settings import ENGINES

# Engines by name. pymilvus itself is imported only when the Milvus engine first connects.
KINDS: dict[str, Callable[[], EngineKind]] = {
    "embedded": EmbeddedKind,
    "milvus": MilvusKind,
}
assert tuple(KINDS) == ENGINES, "settings.ENGINES and the engine registry must name the same engines"


def engine_kind(spec: EngineSpec) -> EngineKind:
    return KINDS[spec.name]()


def live_build(index_dir: Path | str, spec: EngineSpec = EMBEDDED) -> Path | None:
    """The build folder the engine of ``spec`` serves as live (``CURRENT``, or Milvus's alias)."""
    return engine_kind(spec).live_build(Path(index_dir), spec)


def load_index(index_dir: Path | str, *, model_name: str | None = None, engine: EngineSpec = EMBEDDED) -> Index:
    """Load the live build of ``index_dir``, refusing anything missing, damaged or built differently.

    ``model_name`` is the query embedder's name; a different model than the one the index was built
    with would make its vectors meaningless, and another backend would query it with vectors slightly
    off the stored ones, so both are errors (``medquote.index.store.read_build``). ``engine`` decides
    which build is live (``CURRENT``, or the Milvus alias) and what searches it.
    """
    index_dir = Path(index_dir)
    kind = engine_kind(engine)
    build = kind.live_build(index_dir, engine)
    if build is None:
        raise IndexNotFoundError(f"{index_dir}: no index here; run `medquote build` to create it")
    index = read_build(build, model_name=model_name, read_faiss=kind.reads_faiss)
    index.engine = kind.open(engine, build, index.manifest, index.dense, index.bm25)
    return index
