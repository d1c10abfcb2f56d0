"""What decides a build's contents besides the sources and the model: ``BuildParams``, recorded in its manifest."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from medquote.index.chunk import ChunkParams
from medquote.settings import HNSW_THRESHOLD


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
    hnsw_threshold: int = HNSW_THRESHOLD
    hnsw_m: int = 32

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["chunk"] = self.chunk.as_dict()
        return data
