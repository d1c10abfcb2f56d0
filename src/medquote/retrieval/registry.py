"""The retrievers by name: ``bm25``, ``dense``, ``hybrid`` (dense + BM25 only), ``default`` (without the
reader) and ``reader`` (what the assistant runs: the default one with the reader ordering its first
candidates)."""

from __future__ import annotations

from collections.abc import Callable

from medquote.embed.base import Embedder
from medquote.index.store import Index
from medquote.retrieval.base import Retriever
from medquote.retrieval.bm25 import BM25Retriever
from medquote.retrieval.dense import DenseRetriever
from medquote.retrieval.hybrid import PLAIN_WEIGHTS, HybridRetriever
from medquote.settings import RETRIEVERS


def _default(index: Index, embedder: Embedder) -> HybridRetriever:
    retriever = HybridRetriever(index, embedder)
    retriever.name = "default"
    return retriever


def _reader(index: Index, embedder: Embedder) -> HybridRetriever:
    from medquote.models.reader import Reader

    retriever = HybridRetriever(index, embedder, reader=Reader(threads=2))
    retriever.name = "reader"
    return retriever


def _plain(index: Index, embedder: Embedder) -> HybridRetriever:
    return HybridRetriever(index, embedder, weights=PLAIN_WEIGHTS)


_FACTORIES: dict[str, Callable[[Index, Embedder], Retriever]] = {
    "bm25": lambda index, _: BM25Retriever(index),
    "dense": DenseRetriever,
    "hybrid": _plain,
    "default": _default,
    "reader": _reader,
}
assert tuple(_FACTORIES) == RETRIEVERS, "settings.RETRIEVERS and the registry must name the same retrievers"


def make_retriever(name: str, index: Index, embedder: Embedder | None) -> Retriever:
    """The retriever called ``name`` over ``index``."""
    if name not in _FACTORIES:
        raise ValueError(f"unknown retriever {name!r}; use one of {', '.join(RETRIEVERS)}")
    if embedder is None and name != "bm25":
        raise ValueError(f"the {name} retriever needs an embedder")
    return _FACTORIES[name](index, embedder)  # type: ignore[arg-type]
