"""List the reader's training questions that nearly repeat a frozen evaluation question, so the trainer skips them.

    .venv/bin/python benchmarks/reader_near_duplicates.py

Writes data/reader/near_duplicates.json: per training folder, the ids of the questions whose word sets are
within a Jaccard similarity of ``NEAR`` of a question of any frozen consumer set (the test's measure,
tests/test_reader_training.py). Ids already listed stay listed. The trainer reads only this list, never the
frozen sets. Run it again after adding a frozen set or training data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "tests" / "data" / "frozen"
LIST = ROOT / "data" / "reader" / "near_duplicates.json"
FOLDERS = {
    "consumer_train": ROOT / "data" / "consumer_train",
    "consumer_reader": ROOT / "data" / "reader" / "consumer_reader",
    "consumer_contrast": ROOT / "data" / "reader" / "consumer_contrast",
    "consumer_reader_2": ROOT / "data" / "reader" / "consumer_reader_2",
    "medquad_consumer": ROOT / "data" / "reader" / "medquad_consumer",
}
NEAR = 0.8


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def main() -> int:
    frozen = [words(json.loads(line)["text"]) for path in sorted(FROZEN.glob("*/questions.jsonl"))
              for line in path.open(encoding="utf-8") if line.strip()]  # fmt: skip
    listed = json.loads(LIST.read_text(encoding="utf-8"))
    for name, folder in FOLDERS.items():
        if not (folder / "questions.jsonl").is_file():
            continue
        rows = [json.loads(line) for line in (folder / "questions.jsonl").open(encoding="utf-8") if line.strip()]
        close = {str(q["_id"]) for q in rows if max(jaccard(words(q["text"]), f) for f in frozen) >= NEAR}
        before = set(listed.get(name, ()))
        listed[name] = sorted(before | close)
        print(f"{name}: {len(close)} of {len(rows)} near a frozen question ({len(close - before)} new)")
    LIST.write_text(json.dumps(listed, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
