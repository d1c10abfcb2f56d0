"""Latency and memory of ``Assistant.answer()``, query embedding included.

    .venv/bin/python benchmarks/query.py --index index [--index .cache/.../index] [--queries FILE]

For each index: loads an Assistant, warms it up, then times ``answer()`` over a fixed list of consumer
questions (repeated), reporting p50 / p95 / max in ms, the load time, and the process's peak RSS.
Results go to benchmarks/results/query.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import faiss

from medquote.answer.assistant import Assistant
from medquote.index.embed import SentenceTransformerEmbedder
from medquote.index.store import load_index
from medquote.retrieval.hybrid import HybridRetriever

QUESTIONS = [
    "What are the side effects of Klonopin?",
    "how long does clonazepam stay in your system",
    "what are the symptoms of asthma?",
    "is diabetes inherited",
    "How is high blood pressure treated?",
    "what causes migraines",
    "can I drink alcohol while taking this medicine",
    "how many people are affected by cystic fibrosis",
    "What is the outlook for people with Parkinson's disease?",
    "hi there, my mom has kidney disease, what tests diagnose it?",
    "withdrawl symptms when stopping benzos",
    "what is the best pizza in town",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(index_dir: Path, embedder: SentenceTransformerEmbedder, questions: list[str], rounds: int) -> dict:
    started = time.perf_counter()
    index = load_index(index_dir, model_name=embedder.name)
    assistant = Assistant(HybridRetriever(index, embedder))
    load_seconds = time.perf_counter() - started
    for question in questions:  # warm-up: model threads, caches
        assistant.answer(question)
    timings = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            assistant.answer(question)
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "index": str(index_dir),
        "passages": len(index.passages),
        "sources": len(index.sources),
        "dense_index": type(index.dense).__name__,
        "answers_timed": len(timings),
        "load_seconds": round(load_seconds, 2),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "peak_rss_mb_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, action="append", required=True, help="index folder (repeatable)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/query.json"))
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder(threads=1)
    faiss.omp_set_num_threads(1)  # as Assistant.from_index does for serving
    results = [measure(path, embedder, QUESTIONS, args.rounds) for path in args.index]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"cpus": os.cpu_count(), "results": results}, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
