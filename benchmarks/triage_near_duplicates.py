"""List the triage training and dev messages near a frozen evaluation message, so the trainer leaves them out.

    .venv/bin/python benchmarks/triage_near_duplicates.py

Writes data/triage/near_duplicates.json: the sha256 of every message the trainer would use (its default
data, MedQuAD's everyday questions included) whose character n-grams are within ``NEAR_DUPLICATE`` of
a message of a frozen triage set. The trainer reads only this list, never the frozen sets;
tests/safety/test_triage.py checks the list is complete for the files in data/. Run it again after
adding a frozen set or training data.
"""

from __future__ import annotations

import json
from pathlib import Path

from medquote.training import triage

ROOT = Path(__file__).resolve().parents[1]
FROZEN = sorted((ROOT / "tests/data/frozen").glob("triage_eval*.jsonl"))


def main() -> int:
    args = triage._arguments([])
    train, dev = triage.candidate_rows(args.train, args.dev, args.extra, args.dev_share, args.medquad,
                                       args.medquad_questions)  # fmt: skip
    texts = list(dict.fromkeys(row["text"] for row in train + dev))
    frozen = [row["text"] for path in FROZEN for row in triage.read(path)]
    near = triage.near_duplicates(texts, frozen)
    listed = sorted({triage.text_sha256(t) for t, close in zip(texts, near, strict=True) if close})
    payload = {
        "threshold": triage.NEAR_DUPLICATE,
        "frozen_sets": [str(p.relative_to(ROOT)) for p in FROZEN],
        "messages_checked": len(texts),
        "sha256": listed,
    }
    triage.NEAR_FROZEN.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"{len(listed)} of {len(texts)} messages near one of {len(frozen)} frozen messages -> {triage.NEAR_FROZEN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
