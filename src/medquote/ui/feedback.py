"""Thumbs up/down on answers, appended to a JSONL file one record per line.

A rating is stored the moment it is clicked; a reason given afterwards is a second record for the same
``reply_id`` carrying the rating and the reason.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from medquote.settings import FEEDBACK_PATH

logger = logging.getLogger(__name__)

Rating = Literal["up", "down"]


class FeedbackStore:
    """Appends feedback records to ``path``; safe to share between the server's worker threads."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else Path.cwd() / FEEDBACK_PATH
        self._lock = threading.Lock()

    def record(
        self,
        *,
        question: str,
        rating: Rating,
        passage_ids: Sequence[str],
        index_version: str,
        status: str,
        reply_id: str = "",
        reason: str = "",
        searched_as: str | None = None,
    ) -> dict[str, Any]:
        """Append one record and return it."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "reply_id": reply_id,
            "question": question,
            "searched_as": searched_as,
            "rating": rating,
            "passage_ids": list(passage_ids),
            "index_version": index_version,
            "status": status,
            "reason": reason,
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line)
        logger.info("feedback %s recorded for %d passage(s)", rating, len(entry["passage_ids"]))
        return entry


def read_feedback(path: Path | str) -> list[dict[str, Any]]:
    """All records in a feedback file; an absent file has none. A torn last line is skipped."""
    path = Path(path)
    if not path.exists():
        return []
    records = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                logger.warning("skipping unreadable feedback line %d in %s", number, path)
    return records
