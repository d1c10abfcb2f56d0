"""What answering asks of a retriever beyond ``search``: the ``ScoringRetriever`` protocol.

The assistant reads every candidate's evidence (the fused score, each feature's share, the reranker's and
the reader's chances) to decide what it may quote, so it needs more than ranked hits: the scored
candidates of a question, the signals the "not found" rules compare them with, the text a question is
embedded as, and a copy of the retriever over a rebuilt index. ``HybridRetriever`` is the one shipped.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from medquote.embed.base import Embedder
from medquote.index.store import Index
from medquote.models.reader import Reader
from medquote.retrieval.base import Retriever
from medquote.retrieval.features import Signals
from medquote.retrieval.hybrid import Scored


class ScoringRetriever(Retriever, Protocol):
    embedder: Embedder
    signals: Signals
    reader: Reader | None

    def query_text(self, question: str) -> str: ...

    def score(self, question: str, *, vector: np.ndarray | None = None) -> Scored: ...

    def clone(self, *, index: Index | None = None, embedder: Embedder | None = None) -> ScoringRetriever: ...
