"""Latency and memory of ``Assistant.answer()``, query embedding included; cold start of ``medquote serve``.

    .venv/bin/python benchmarks/query.py --index index [--index .cache/.../index] [--backend B] [--cold-start]

For each index: loads an Assistant (questions embedded on the backend the index was built with, or
``--backend``), warms it up, then times ``answer()`` over a fixed list of consumer questions (repeated),
reporting p50 / p95 / max in ms, the load time, and the process's peak RSS. ``--compare B1,B2,…`` also
times ``answer()`` on each index with each backend's question embedder, in turns question by question
(latency only: an index is normally queried with its own backend). ``--cold-start`` also times
``medquote serve --index …`` from its start to the first answer of its ``/ask`` API (median of 3).
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
from medquote.embed.base import Embedder
from medquote.embed.registry import make_embedder
from medquote.engines.registry import load_index
from medquote.index.manifest import built_backend, cache_dir
from medquote.models.reader import Reader
from medquote.retrieval.hybrid import HybridRetriever
from medquote.settings import BACKENDS

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


def measure(index_dir: Path, embedder: Embedder, questions: list[str], rounds: int) -> dict:
    started = time.perf_counter()
    index = load_index(index_dir, model_name=embedder.name)
    assistant = Assistant(HybridRetriever(index, embedder, reader=Reader(threads=2)))  # as from_index
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
        "backend": index.backend,
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


def compare(index_dir: Path, backends: list[str], questions: list[str], rounds: int) -> dict:
    """answer() latency with each backend embedding the questions, in turns (the same index and questions)."""
    index = load_index(index_dir)
    assistants = {
        b: Assistant(
            HybridRetriever(
                index, make_embedder(b, cache_dir=cache_dir(index_dir), threads=1), reader=Reader(threads=2)
            )
        )
        for b in backends
    }
    timings: dict[str, list[float]] = {b: [] for b in backends}
    for assistant in assistants.values():
        for question in questions:
            assistant.answer(question)
    for _ in range(rounds):
        for question in questions:
            for backend, assistant in assistants.items():
                started = time.perf_counter()
                assistant.answer(question)
                timings[backend].append((time.perf_counter() - started) * 1000)
    return {
        b: {"p50_ms": round(statistics.median(t), 1), "p95_ms": round(percentile(t, 0.95), 1)}
        for b, t in timings.items()
    }


def cold_start(index_dir: Path, backend: str, rounds: int = 3, port: int = 7871) -> list[float]:
    """Seconds from starting ``medquote serve`` to the first answer of its ``/ask`` API, ``rounds`` times."""
    import subprocess
    import urllib.request

    seconds = []
    medquote = Path(sys.executable).with_name("medquote")
    for _ in range(rounds):
        started = time.perf_counter()
        command = [str(medquote), "serve", "--index", str(index_dir), "--port", str(port), "--backend", backend]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - started < 120:
                try:
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/gradio_api/call/ask",
                        data=json.dumps({"data": [QUESTIONS[0]]}).encode(),
                        headers={"Content-Type": "application/json"},
                    )
                    event = json.load(urllib.request.urlopen(request, timeout=10))["event_id"]
                    url = f"http://127.0.0.1:{port}/gradio_api/call/ask/{event}"
                    body = urllib.request.urlopen(url, timeout=30).read().decode()
                except OSError:
                    time.sleep(0.05)
                    continue
                if "event: complete" not in body:
                    raise RuntimeError(f"no answer from the server: {body[:200]}")
                seconds.append(round(time.perf_counter() - started, 2))
                break
        finally:
            server.terminate()
            server.wait(timeout=30)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, action="append", required=True, help="index folder (repeatable)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/query.json"))
    parser.add_argument("--backend", choices=BACKENDS, help="default: the one each index was built with")
    parser.add_argument("--cold-start", action="store_true", help="also time `medquote serve` to its first answer")
    parser.add_argument("--compare", default="", help="backends whose answer() latency to compare in turns")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)  # as Assistant.from_index does for serving
    results = []
    for path in args.index:
        backend = args.backend or built_backend(path) or "torch"
        embedder = make_embedder(backend, cache_dir=cache_dir(path), threads=1)  # as Assistant.from_index
        results.append(measure(path, embedder, QUESTIONS, args.rounds))
        if args.compare:
            results[-1]["answer_latency_by_backend"] = compare(path, args.compare.split(","), QUESTIONS, args.rounds)
        if args.cold_start:
            results[-1]["cold_start_seconds"] = cold_start(path, backend)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"cpus": os.cpu_count(), "results": results}, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
