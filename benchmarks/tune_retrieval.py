"""Tune the default retriever's weights on a MedQuAD dev split (disjoint from the benchmark's test sample).

    .venv/bin/python benchmarks/tune_retrieval.py --dataset DIR [--noisy DIR] [--dev 1000] [--rounds 2]

DIR is the full-corpus MedQuAD BEIR dataset (`medquote medquad-to-beir ../shared/data/medquad DIR`).
The test sample of benchmarks/eval.py (2,000 questions, seed 7) is held out; the dev questions are a
seeded sample of the rest (`--holdout 0` uses every question, e.g. for the seed set). Coordinate ascent:
each round tries every feature of medquote.retrieval.features at each value of its grid with the other
weights fixed, and keeps a value only if it raises dev nDCG@10. Query vectors are computed once.
Every trial goes to benchmarks/results/tune_retrieval.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medquote.embed.base import MemoEmbedder
from medquote.embed.registry import make_embedder
from medquote.eval.beir import BeirDataset, load_beir
from medquote.eval.corpus import prepare_index
from medquote.eval.documents import passage_documents, rank_documents
from medquote.eval.metrics import compute_metrics
from medquote.retrieval.features import FEATURES
from medquote.retrieval.hybrid import DEFAULT_WEIGHTS, HybridRetriever, Weights
from medquote.settings import EVAL_CACHE

TEST_SAMPLE, TEST_SEED = 2000, 7
REPORTED = ("nDCG@10", "MRR@10", "Recall@1", "Recall@10")
TARGET = "nDCG@10"
# Values tried for each weight (the current value is always tried too).
GRIDS = {
    "cosine": (0.6, 0.7, 0.8, 0.85, 0.9, 1.0),
    "bm25": (0.0, 0.05, 0.1, 0.15, 0.2, 0.3),
    "type_prototype": (0.0, 0.1, 0.2, 0.3, 0.4, 0.6),
    "answer_cue": (0.0, 0.025, 0.05, 0.1),
    "lead_cue": (0.0, 0.025, 0.05, 0.1),
    "stated_type": (0.0, 0.05, 0.1, 0.2),
    "opening": (0.0, 0.025, 0.05, 0.1),
    "title_match": (0.0, 0.5, 1.0, 1.3, 1.6, 2.0),
}
assert set(GRIDS) == set(FEATURES), "every feature needs a grid"


def split(dataset: BeirDataset, dev_size: int, seed: int, holdout: int) -> BeirDataset:
    """Dev queries: a seeded sample of the questions NOT in the benchmark's test sample."""
    ids = [qid for qid, _ in dataset.queries]
    test = set(random.Random(TEST_SEED).sample(sorted(ids), min(holdout, len(ids)))) if holdout else set()
    rest = [q for q in dataset.queries if q[0] not in test]
    kept = tuple(sorted(random.Random(seed).sample(rest, min(dev_size, len(rest))))) if dev_size else tuple(rest)
    qrels = {qid: dataset.qrels[qid] for qid, _ in kept}
    return BeirDataset(dataset.name + "-dev", dataset.directory, kept, qrels, dataset.documents, 0, 0)


def score(retriever: HybridRetriever, dataset: BeirDataset, documents: dict[str, tuple[str, ...]]) -> dict[str, float]:
    rankings = {}
    for qid, text in dataset.queries:
        hits = retriever.search(text, 300)
        rankings[qid] = [doc for doc, _ in rank_documents(hits, documents, 100)]
    per_query = compute_metrics(dataset.qrels, rankings)
    return {m: round(float(np.mean([per_query[q][m] for q, _ in dataset.queries])), 4) for m in REPORTED}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--noisy", type=Path, help="the same dataset with noisy queries (noisy_queries.py)")
    parser.add_argument("--dev", type=int, default=1000, help="dev questions (0: all that are not held out)")
    parser.add_argument("--holdout", type=int, default=TEST_SAMPLE, help="test-sample size to leave out (0: none)")
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cache", type=Path, help="evaluation index cache")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/tune_retrieval.json"))
    args = parser.parse_args(argv)
    embedder = MemoEmbedder(make_embedder(cache_dir=args.cache or EVAL_CACHE, threads=1))
    full = load_beir(args.dataset)
    index, _ = prepare_index(full, embedder, cache_dir=args.cache, progress=True)
    documents = passage_documents(index)
    sets = {"dev": split(full, args.dev, args.seed, args.holdout)}
    if args.noisy:
        noisy = load_beir(args.noisy)
        dev_ids = {qid for qid, _ in sets["dev"].queries}
        kept = tuple(q for q in noisy.queries if q[0] in dev_ids)
        sets["dev-noisy"] = BeirDataset("noisy-dev", noisy.directory, kept, sets["dev"].qrels, noisy.documents, 0, 0)

    trials: list[dict[str, object]] = []

    def trial(weights: Weights) -> dict[str, dict[str, float]]:
        started = time.perf_counter()
        retriever = HybridRetriever(index, embedder, weights=weights)
        result = {label: score(retriever, data, documents) for label, data in sets.items()}
        trials.append({"weights": dict(weights.values), **result})
        print(f"{json.dumps(dict(weights.values))} {json.dumps(result)} ({time.perf_counter() - started:.0f} s)",
              flush=True)  # fmt: skip
        return result

    best = DEFAULT_WEIGHTS
    best_score = trial(best)["dev"][TARGET]
    start = {"weights": dict(best.values), "dev": best_score}
    for _ in range(args.rounds):
        improved = False
        for name, grid in GRIDS.items():
            for value in grid:
                if value == best[name]:
                    continue
                candidate = best.replace(**{name: value})
                result = trial(candidate)["dev"][TARGET]
                if result > best_score + 1e-4:
                    best, best_score, improved = candidate, result, True
        if not improved:
            break
    summary = {
        "dataset": str(args.dataset),
        "dev_queries": len(sets["dev"].queries),
        "target": TARGET,
        "start": start,
        "best": {"weights": dict(best.values), "dev": best_score},
        "trials": trials,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"best {TARGET} {best_score:.4f} (start {start['dev']:.4f}): {json.dumps(dict(best.values))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
