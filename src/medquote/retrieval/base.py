"""What every retriever offers, and ranked hits from scored rows."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from medquote.index.store import Index
from medquote.records import Hit


class Retriever(Protocol):
    name: str
    index: Index

    def search(self, query: str, k: int = 10) -> list[Hit]: ...


def check_k(k: int) -> int:
    """``k`` if it asks for at least one hit; a ValueError otherwise (0 would be a false "not found", and a
    negative slice would mean "all but the last")."""
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1, not {k!r}")
    return int(k)


def ranked_hits(index: Index, rows: np.ndarray, scores: np.ndarray, k: int) -> list[Hit]:
    """The ``k`` best of ``rows`` by ``scores`` as Hits (ties keep the order of ``rows``); ``k`` ≥ 1."""
    k = check_k(k)
    order = np.argsort(-scores, kind="stable")[:k]
    return [Hit(index.passages[int(rows[i])], float(scores[i]), rank) for rank, i in enumerate(order, start=1)]
