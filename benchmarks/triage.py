"""Measure crisis triage on labelled message sets; the frozen independent set is the one that counts.

    .venv/bin/python benchmarks/triage.py [--set tests/data/frozen/triage_eval.jsonl ...]

For each set: recall of emergencies (level emergency or check), the share of non-emergencies at level
emergency, the share of ordinary questions at level check, a per-category table and every miss; the
leakage check (near-duplicates between the training data and the frozen set); and what triage adds to
``answer()`` (the extra sentence embeddings and the classifiers, median and p95, in one run).
Writes benchmarks/results/triage.json and prints Markdown for the READMEs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medquote.embed.sbert import SentenceTransformerEmbedder
from medquote.records import TriageLevel
from medquote.safety.triage import Triager

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "tests/data/frozen/triage_eval.jsonl"
FROZEN_2 = ROOT / "tests/data/frozen/triage_eval_2.jsonl"
FROZEN_3 = ROOT / "tests/data/frozen/triage_eval_3.jsonl"
FROZEN_4 = ROOT / "tests/data/frozen/triage_eval_4.jsonl"
DEV, REGRESSION = ROOT / "data/triage/triage_dev.jsonl", ROOT / "tests/data/triage.jsonl"
SETS = (FROZEN_4, FROZEN_3, FROZEN_2, FROZEN, DEV, REGRESSION)


def read(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:  # the old regression set: {"emergency": bool, "category": ...}
        if "label" not in row:
            row["label"] = "emergency" if row["emergency"] else "non_emergency"
            row["category"] = {"allergy": "anaphylaxis"}.get(row["category"], row["category"]) or ""
            row["kind"] = "" if row["emergency"] else "lookalike"
        if row.get("kind") == "everyday":  # later sets call an ordinary message "everyday"
            row["kind"] = "ordinary"
    return rows


def measure(triager: Triager, rows: list[dict]) -> dict:
    results = [(row, triager.assess(row["text"])) for row in rows]
    danger = [(r, t) for r, t in results if r["label"] != "non_emergency"]
    others = [(r, t) for r, t in results if r["label"] == "non_emergency"]
    ordinary = [(r, t) for r, t in others if r.get("kind") == "ordinary"]
    per_category: dict[str, Counter] = defaultdict(Counter)
    for r, t in danger:
        counts = per_category[r["category"]]
        counts["n"] += 1
        counts[str(t.level)] += 1
        counts["right_category"] += t.level != TriageLevel.NONE and t.category == r["category"]
    return {
        "messages": len(rows),
        "emergencies": len(danger),
        "recall": float(np.mean([t.level != TriageLevel.NONE for _, t in danger])),
        "at_emergency": float(np.mean([t.level == TriageLevel.EMERGENCY for _, t in danger])),
        "non_emergencies": len(others),
        "false_emergency": float(np.mean([t.level == TriageLevel.EMERGENCY for _, t in others])),
        "ordinary": len(ordinary),
        "ordinary_check": float(np.mean([t.level == TriageLevel.CHECK for _, t in ordinary])) if ordinary else None,
        "per_category": {name: dict(counts) for name, counts in sorted(per_category.items())},
        "missed": [r["text"] for r, t in danger if t.level == TriageLevel.NONE],
        "false_emergencies": [r["text"] for r, t in others if t.level == TriageLevel.EMERGENCY],
        "ordinary_at_check": [r["text"] for r, t in ordinary if t.level == TriageLevel.CHECK],
        "ordinary_at_emergency": float(np.mean([t.level == TriageLevel.EMERGENCY for _, t in ordinary]))
        if ordinary
        else None,
        "per_kind": per_kind(results),
        "below_emergency": [
            {"text": r["text"], "kind": r.get("kind", ""), "level": str(t.level)}
            for r, t in danger
            if t.level != TriageLevel.EMERGENCY and r["label"] == "emergency"
        ],
        "animal_right": float(np.mean([t.category == "animal" for r, t in danger if r["category"] == "animal"]))
        if any(r["category"] == "animal" for r, _ in danger)
        else None,
    }


def per_kind(results: list) -> dict[str, dict]:
    """For each kind of message the set names: how many, and the share at each level."""
    kinds: dict[str, Counter] = defaultdict(Counter)
    for row, found in results:
        counts = kinds[f"{row['label']}/{row.get('kind') or '-'}"]
        counts["n"] += 1
        counts[str(found.level)] += 1
    return {name: {"n": c["n"], **{k: round(v / c["n"], 4) for k, v in c.items() if k != "n"}}
            for name, c in sorted(kinds.items())}  # fmt: skip


def leakage() -> dict:
    from medquote.training.triage import NEAR_DUPLICATE, near_duplicates

    frozen = [row["text"] for path in (FROZEN, FROZEN_2, FROZEN_3, FROZEN_4) for row in read(path)]
    files = sorted((ROOT / "data/triage").glob("triage_train*.jsonl"))
    training = [row["text"] for path in files for row in read(path)]
    training += [row["text"] for row in read(ROOT / "data/triage/triage_dev.jsonl")]
    close = near_duplicates(frozen, training)
    return {"threshold": NEAR_DUPLICATE, "frozen_with_a_near_duplicate_in_training_or_dev": int(sum(close))}


def overhead(triager: Triager, rows: list[dict], repeats: int = 3) -> dict:
    """Milliseconds triage adds to answer() (the rules and the classifiers; the message's embedding is
    the query's, computed anyway), median and p95 over the messages, with the whole answer() for scale."""
    added = []
    for _ in range(repeats):
        for row in rows:
            vector = triager.embedder.encode([row["text"]])[0]
            started = time.perf_counter()
            triager.assess(row["text"], vector)
            added.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": float(np.percentile(added, 50)), "p95_ms": float(np.percentile(added, 95))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", dest="sets")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/triage.json")
    args = parser.parse_args(argv)
    import faiss  # noqa: F401 - torch and FAISS threads as the serving process sets them
    import torch

    torch.set_num_threads(1)
    triager = Triager(SentenceTransformerEmbedder(threads=1))
    triager.embedder.encode(["warm-up"])
    results = {path.resolve().relative_to(ROOT).as_posix(): measure(triager, read(path)) for path in args.sets or SETS}
    results["leakage"] = leakage()
    results["overhead"] = overhead(triager, read(FROZEN)[:120])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, r in results.items():
        if "recall" in r:
            ordinary = "-" if r["ordinary_check"] is None else f"{r['ordinary_check']:.3f}"
            print(
                f"{name}: recall {r['recall']:.3f} ({r['emergencies']}), at emergency {r['at_emergency']:.3f}, "
                f"false emergency {r['false_emergency']:.3f} ({r['non_emergencies']}), ordinary at check {ordinary}"
            )
    print(json.dumps(results["leakage"]), json.dumps(results["overhead"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
