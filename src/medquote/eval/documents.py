"""From passages to documents: a BEIR corpus judges documents, medquote retrieves passages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from medquote.index.store import Index
from medquote.records import Hit

DEPTH = 100  # documents ranked per query: enough for Recall@100 and the TREC runs


def passage_documents(index: Index) -> dict[str, tuple[str, ...]]:
    """Passage id → the documents (``Source.key``, the BEIR ``_id``; a file source's id, which has no key)
    holding it; shared passages list all."""
    documents = {}
    for row, passage in enumerate(index.passages):
        holders = (passage.source_id, *index.also_in.get(row, ()))
        documents[passage.id] = tuple(dict.fromkeys(index.sources[s].key or index.sources[s].id for s in holders))
    return documents


def rank_documents(
    hits: Sequence[Hit], documents: Mapping[str, Sequence[str]], depth: int = DEPTH
) -> list[tuple[str, float]]:
    """Documents by their best passage's score; ties by doc id descending, as trec_eval orders them."""
    best: dict[str, float] = {}
    for hit in hits:
        for key in documents[hit.passage.id]:
            if key not in best or hit.score > best[key]:
                best[key] = hit.score
    ranked = sorted(best.items(), reverse=True)
    ranked.sort(key=lambda item: -item[1])
    return ranked[:depth]
