"""Retrieval experiments on a MedQuAD dev split (disjoint from the benchmark's test sample).

    .venv/bin/python benchmarks/tune_retrieval.py --dataset DIR [--noisy DIR] [--dev 1000]

DIR is the full-corpus MedQuAD BEIR dataset (`medquote medquad-to-beir ../shared/data/medquad DIR`).
The test sample of benchmarks/eval.py (2,000 questions, seed 7) is excluded; the dev questions are a
seeded sample of the rest. Each configuration of the hybrid retriever is scored with the same metrics
as `medquote eval`; query vectors are computed once. Writes benchmarks/results/tune_retrieval.json.
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

from medquote.eval.beir import BeirDataset, load_beir
from medquote.eval.corpus import prepare_index
from medquote.eval.documents import passage_documents, rank_documents
from medquote.eval.metrics import compute_metrics
from medquote.index.embed import MemoEmbedder as _MemoEmbedder
from medquote.index.embed import SentenceTransformerEmbedder
from medquote.retrieval.dense import DenseRetriever
from medquote.retrieval.hybrid import HybridRetriever

TEST_SAMPLE, TEST_SEED = 2000, 7
REPORTED = ("nDCG@10", "MRR@10", "Recall@1", "Recall@10")


def split(dataset: BeirDataset, dev_size: int, seed: int) -> BeirDataset:
    """Dev queries: a seeded sample of the questions NOT in the benchmark's test sample."""
    ids = [qid for qid, _ in dataset.queries]
    test = set(random.Random(TEST_SEED).sample(sorted(ids), min(TEST_SAMPLE, len(ids))))
    rest = [q for q in dataset.queries if q[0] not in test]
    kept = tuple(sorted(random.Random(seed).sample(rest, min(dev_size, len(rest)))))
    qrels = {qid: dataset.qrels[qid] for qid, _ in kept}
    return BeirDataset(dataset.name + "-dev", dataset.directory, kept, qrels, dataset.documents, 0, 0)


def score(retriever, dataset: BeirDataset, documents) -> dict[str, float]:
    rankings = {}
    for qid, text in dataset.queries:
        hits = retriever.search(text, 300)
        rankings[qid] = [doc for doc, _ in rank_documents(hits, documents, 100)]
    per_query = compute_metrics(dataset.qrels, rankings)
    return {m: round(float(np.mean([per_query[q][m] for q, _ in dataset.queries])), 4) for m in REPORTED}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--noisy", type=Path, help="the same dataset with noisy queries (noisy_queries.py)")
    parser.add_argument("--dev", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/tune_retrieval.json"))
    args = parser.parse_args()
    embedder = _MemoEmbedder(SentenceTransformerEmbedder())
    full = load_beir(args.dataset)
    index, _ = prepare_index(full, embedder, progress=True)
    documents = passage_documents(index)
    sets = {"dev": split(full, args.dev, args.seed)}
    if args.noisy:
        noisy = load_beir(args.noisy)
        dev_ids = {qid for qid, _ in sets["dev"].queries}
        kept = tuple(q for q in noisy.queries if q[0] in dev_ids)
        sets["dev-noisy"] = BeirDataset("noisy-dev", noisy.directory, kept, sets["dev"].qrels, noisy.documents, 0, 0)
    configs = {"dense": lambda: DenseRetriever(index, embedder)}
    for dense_weight in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
        for type_weight in (0.0, 0.1, 0.2, 0.3, 0.5):
            configs[f"hybrid w={dense_weight} t={type_weight}"] = lambda d=dense_weight, t=type_weight: HybridRetriever(
                index, embedder, dense_weight=d, type_weight=t
            )
    results = {}
    for name, make in configs.items():
        started = time.perf_counter()
        results[name] = {label: score(make(), data, documents) for label, data in sets.items()}
        print(f"{name:28s} {json.dumps(results[name])}  ({time.perf_counter() - started:.0f} s)", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
