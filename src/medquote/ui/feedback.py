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


# Replies a maintainer should look at first: a thumbs-down on crisis guidance or on "not found".
FIRST = ("emergency", "no_match")


def review_queue(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The thumbs-down replies of a feedback file, one entry per reply (a later record, such as its
    reason or a changed rating, completes the earlier one): emergencies and "not found" first, then every
    other, newest first within each."""
    replies: dict[str, dict[str, Any]] = {}
    order: dict[str, int] = {}
    for number, record in enumerate(records):
        key = str(record.get("reply_id") or f"line {number}")
        entry = replies.setdefault(key, {})
        entry.update({k: v for k, v in record.items() if v not in ("", None) or k not in entry})
        order[key] = number  # a later line is newer, also within the same second
    down = [key for key, entry in replies.items() if entry.get("rating") == "down"]
    down.sort(key=lambda key: (str(replies[key].get("time", "")), order[key]), reverse=True)
    return [replies[key] for key in sorted(down, key=lambda key: replies[key].get("status") not in FIRST)]


EXPORT_README = """\
# Replies users flagged, to be judged

Exported by `medquote feedback export` from {source} on {when}: {count} thumbs-down replies, those on
crisis guidance or "not found" first. Each line of `questions.jsonl` is one question as the person asked
it, with what they were shown under `feedback` (status, passage ids, index version) and their reason.

To make it a regression or training set (the format of `data/consumer_dev/`):
1. Set each question's `type`: `answerable` (the sources answer it), `unanswerable` (on topic, but the
   sources do not say) or `off_topic`; delete a line that is not a real question.
2. For each answerable one, add lines to `judgements.jsonl`:
   `{{"query_id": "<_id>", "article": "<source file name>", "span": "<text copied exactly>", "grade": 2}}`
   (grade 2 answers, 1 partly).
3. Then `benchmarks/answers.py --set <this folder>` measures the answers on it; until every type is
   set, reading it fails with the ids still to judge.
"""


def export_queue(queue: Sequence[dict[str, Any]], folder: Path | str, source: Path | str) -> Path:
    """Write ``queue`` as a consumer question set with empty judgements for a maintainer to fill in.

    Refuses a folder that already holds a set (nothing is overwritten)."""
    folder = Path(folder)
    if (folder / "questions.jsonl").exists() or (folder / "judgements.jsonl").exists():
        raise FileExistsError(f"{folder} already holds a question set; choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for number, entry in enumerate(queue, 1):
        shown = {k: entry.get(k) for k in ("status", "passage_ids", "index_version", "searched_as", "time")}
        question = {"_id": f"fb_{entry.get('reply_id') or number}", "text": str(entry.get("question", "")),
                    "type": "", "style": "chat", "note": str(entry.get("reason", "")), "feedback": shown}  # fmt: skip
        lines.append(json.dumps(question, ensure_ascii=False) + "\n")
    (folder / "questions.jsonl").write_text("".join(lines), encoding="utf-8")
    (folder / "judgements.jsonl").write_text("", encoding="utf-8")
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    readme = EXPORT_README.format(source=source, when=when, count=len(queue))
    (folder / "README.md").write_text(readme, encoding="utf-8")
    return folder
