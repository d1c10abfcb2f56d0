"""Both search engines side by side, in one run: build time, query latency (p50 / p95) and memory.

    nice -n 10 .venv/bin/python benchmarks/engines.py [--medquad DATASET] [--sizes 100000,300000] [--queries 200]
        [--hnsw-threshold N]

**MedQuAD** (``--medquad``: the BEIR dataset of ``benchmarks/eval.py``, whose index ``medquote eval`` builds in
``--cache``, embeddings cached):
  - build: a forced rebuild from the embedding cache (the embedded engine: chunking, FAISS, bm25s, files) vs
    pushing that build to Milvus (insert, flush, index, load). Embedding is the same for both and not counted.
  - query: ``HybridRetriever.score`` (the engine's candidates, then medquote's own features) on the first
    ``--queries`` questions, their embeddings computed once and shared, the engines alternating question by
    question.
  - memory: how much a fresh process grows when it loads the index for each engine (the embedded one holds
    the FAISS vectors; with Milvus they live in the server), and the Milvus Lite server's resident memory.
  - quality: nDCG@10 of the default retriever with each engine on the same questions.
**Synthetic** (``--sizes``): N passages of random unit vectors (384-d) and 60 words each drawn from a Zipf
vocabulary of 50,000, at the engine level: the candidate step of ``HybridRetriever.score`` (dense top 200,
BM25 top 200, the vectors and BM25 scores of their union). Queries: a passage's vector plus noise, and 4
mid-frequency words. Dense recall: the share of the exact top 10 among each engine's 200 dense candidates
(medquote rescores candidates itself, so that is what approximate search can lose). Built as medquote
builds: exact below ``--hnsw-threshold`` (200,000) passages, HNSW (M 32, efConstruction 80) from there.

Results: ``benchmarks/results/engines.json`` (sections merged, so sizes can be run one at a time).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np

from medquote.engines import milvus as milvus_engine
from medquote.engines.base import EMBEDDED, EngineSpec
from medquote.engines.embedded import EmbeddedEngine
from medquote.engines.milvus import MilvusEngine, client
from medquote.engines.milvus_push import push_build, write_collection
from medquote.settings import HNSW_THRESHOLD

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the local Milvus Lite server is test tooling, not the product
from milvus_utils import LocalMilvus  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "engines.json"
DEPTH = 200  # HybridRetriever's candidates per side
DIMENSION = 384
HNSW_M = 32


def rss_mb() -> float:
    """This process's resident memory now (MB)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def alternate(work: dict[str, Any], items: list[Any]) -> dict[str, dict[str, float]]:
    """Run ``work[name](item)`` for every item, engines alternating per item; p50 / p95 per engine."""
    for run in work.values():  # warm-up: first calls build caches (Milvus Lite's BM25 index)
        for item in items[:3]:
            run(item)
    timings: dict[str, list[float]] = {name: [] for name in work}
    for item in items:
        for name, run in work.items():
            started = time.perf_counter()
            run(item)
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: percentiles(values) for name, values in timings.items()}


_LOAD = """
import json, sys
from pathlib import Path
import bm25s, faiss, numpy, pymilvus  # imports are not the index
from medquote.engines.base import EngineSpec
from medquote.engines.registry import load_index

def rss():
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024

before = rss()
index = load_index(sys.argv[1], engine=EngineSpec(*json.loads(sys.argv[2])))
print(rss() - before)
"""


def load_rss(index_dir: Path, engine: EngineSpec) -> float:
    """How much a fresh process grows by loading the index for ``engine`` (MB)."""
    spec = json.dumps([engine.name, engine.uri, engine.alias])
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(index_dir), spec], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


# --- MedQuAD: the real build, end to end -------------------------------------------------------------


def medquad(dataset: Path, cache: Path, server: LocalMilvus, queries: int) -> dict[str, Any]:
    from medquote.embed.sbert import SentenceTransformerEmbedder
    from medquote.engines.registry import load_index
    from medquote.eval.beir import load_beir
    from medquote.eval.corpus import prepare_index
    from medquote.eval.runs import evaluate
    from medquote.index.build import build_index
    from medquote.retrieval.hybrid import HybridRetriever

    embedder = SentenceTransformerEmbedder(threads=1)
    beir = load_beir(dataset)
    index, _ = prepare_index(beir, embedder, cache_dir=cache, progress=True)
    index_dir, corpus_dir = index.directory.parents[1], index.directory.parents[2] / "corpus"
    del index
    gc.collect()

    started = time.perf_counter()
    report = build_index(corpus_dir, index_dir, embedder, force=True, progress=True)
    embedded_build = time.perf_counter() - started
    milvus = EngineSpec("milvus", server.uri, "bench_medquad")
    push = push_build(index_dir, milvus, progress=True)

    embedded_rss, served_rss = load_rss(index_dir, EMBEDDED), load_rss(index_dir, milvus)
    embedded = load_index(index_dir, model_name=embedder.name)
    started = time.perf_counter()
    served = load_index(index_dir, model_name=embedder.name, engine=milvus)  # with its first searches
    served_load = time.perf_counter() - started
    server_rss = server.memory_mb()

    import faiss

    faiss.omp_set_num_threads(1)  # as a serving process runs (Assistant.from_index)
    questions = [text for _, text in beir.queries[:queries]]
    retrievers = {"embedded": HybridRetriever(embedded, embedder), "milvus": HybridRetriever(served, embedder)}
    vectors = embedder.encode([retrievers["embedded"].query_text(q) for q in questions])
    work = {name: (lambda item, r=r: r.score(item[0], vector=item[1])) for name, r in retrievers.items()}
    latency = alternate(work, list(zip(questions, vectors, strict=True)))

    quality = {}
    for name, engine in (("embedded", EMBEDDED), ("milvus", EngineSpec("milvus", server.uri, "bench_eval"))):
        result = evaluate(dataset, ["default"], embedder=embedder, cache_dir=cache, limit=queries, engine=engine)
        quality[name] = round(result.runs["default"].metrics["nDCG@10"], 4)
    return {
        "dataset": dataset.name,
        "passages": report.passages,
        "queries": len(questions),
        "build_seconds": {
            "embedded": round(embedded_build, 1),
            "milvus_push": round(push.seconds, 1),
            "milvus_load_with_first_search": round(served_load, 1),
        },
        "latency_score_ms": latency,
        "memory_mb": {
            "app_index_embedded": round(embedded_rss),
            "app_index_milvus": round(served_rss),
            "milvus_server_rss": round(server_rss[0]),
            "milvus_server_peak": round(server_rss[1]),
        },
        "ndcg@10_default": quality,
    }


# --- synthetic: the engines alone, at sizes no corpus here reaches ------------------------------------


def synthetic_corpus(size: int, seed: int = 0) -> tuple[np.ndarray, list[list[str]]]:
    rng = np.random.default_rng(seed)
    vectors = np.empty((size, DIMENSION), dtype=np.float32)
    for first in range(0, size, 100_000):  # in slices: a float64 draw of 1M × 384 would need 3 GB
        block = rng.standard_normal((min(100_000, size - first), DIMENSION), dtype=np.float32)
        vectors[first : first + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    vocabulary = [f"w{rank}" for rank in range(50_000)]
    ranks = np.minimum(rng.zipf(1.1, size=(size, 60)) - 1, 49_999)
    return vectors, [[vocabulary[rank] for rank in row] for row in ranks.tolist()]


def synthetic(size: int, server: LocalMilvus, queries: int, threshold: int = HNSW_THRESHOLD) -> dict[str, Any]:
    import bm25s
    import faiss

    rng = np.random.default_rng(1)
    vectors, words = synthetic_corpus(size)
    hnsw = size >= threshold
    params = {"hnsw_threshold": threshold, "hnsw_m": HNSW_M, "bm25_k1": 1.2, "bm25_b": 0.75}

    faiss.omp_set_num_threads(os.cpu_count() or 1)  # builds use every core (Milvus Lite's do too)
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    if hnsw:
        dense = faiss.IndexHNSWFlat(DIMENSION, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        dense.hnsw.efConstruction = 80
    else:
        dense = faiss.IndexFlatIP(DIMENSION)
    dense.add(vectors)
    bm25 = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    bm25.index(words, show_progress=False)
    embedded_build = time.perf_counter() - started
    embedded_rss = rss_mb() - before

    name = f"bench_synthetic_{size}"
    manifest = {"model": {"dimension": DIMENSION}, "counts": {"passages": size}, "params": params}
    entities = (
        {"row": row, "passage_id": f"p{row}", "source_id": "synthetic", "start": 0, "end": 0,
         "vector": vectors[row].tolist(), "terms": " ".join(words[row])}
        for row in range(size)
    )  # fmt: skip
    started = time.perf_counter()
    write_collection(client(server.uri), name, manifest, entities, progress=True)
    milvus_build = time.perf_counter() - started

    engines = {"embedded": EmbeddedEngine(dense, bm25), "milvus": MilvusEngine(server.uri, name, ef=64 if hnsw else 0)}
    started = time.perf_counter()
    engines["milvus"].warm(DIMENSION)  # as loading a build does: Milvus Lite builds its BM25 index now
    milvus_warm = time.perf_counter() - started
    targets = rng.choice(size, queries, replace=False)
    noisy = vectors[targets] + rng.standard_normal((queries, DIMENSION)).astype(np.float32) * 0.05
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    middle = [f"w{rank}" for rank in range(100, 5_000)]
    terms = [[str(word) for word in rng.choice(middle, 4)] for _ in range(queries)]
    items = list(zip(noisy, terms, strict=True))
    faiss.omp_set_num_threads(1)  # queries as a serving process runs them (Assistant.from_index); builds use both
    latency = alternate({name: (lambda item, e=e: candidates(e, *item)) for name, e in engines.items()}, items)
    first_bm25_search_rss = server.memory_mb()

    exact = np.argpartition(-(noisy @ vectors.T), 10, axis=1)[:, :10]
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    # What medquote needs of the dense side: the exact top 10 among the 200 candidates it rescores itself.
    recall = {}
    for name, engine in engines.items():
        found = [set(engine.dense_top(q, DEPTH)[0]) & set(best) for q, best in zip(noisy, exact, strict=True)]
        recall[name] = round(float(np.mean([len(hits) / 10 for hits in found])), 4)
    client(server.uri).drop_collection(name)
    return {
        "passages": size,
        "dense_index": "HNSW" if hnsw else "exact",
        "queries": queries,
        "build_seconds": {
            "embedded": round(embedded_build, 1),
            "milvus": round(milvus_build, 1),
            "milvus_first_search": round(milvus_warm, 1),
        },
        "latency_candidates_ms": latency,
        "dense_recall@10_in_top200": recall,
        "memory_mb": {
            "embedded_in_process": round(embedded_rss),
            "milvus_server_rss": round(first_bm25_search_rss[0]),
            "milvus_server_peak": round(first_bm25_search_rss[1]),
        },
    }


def candidates(engine: Any, vector: np.ndarray, terms: list[str]) -> None:
    """What ``HybridRetriever.score`` asks of an engine for one question."""
    dense_rows, _ = engine.dense_top(vector, DEPTH)
    lexical_rows, _ = engine.bm25_top(terms, DEPTH)
    rows = np.unique(np.concatenate([dense_rows, lexical_rows]).astype(np.int64))
    engine.vectors(rows)
    engine.bm25_of(terms, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--medquad", type=Path, help="BEIR dataset (e.g. .cache/medquote-eval/datasets/medquad-q2000-s7)"
    )
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "medquote-eval")
    parser.add_argument("--sizes", default="", help="synthetic sizes, comma-separated (e.g. 100000,1000000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--hnsw-threshold", type=int, default=HNSW_THRESHOLD, help="synthetic sizes from which search is HNSW"
    )
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-engines", help="Milvus Lite's data")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    # Milvus Lite answers a search in seconds at a million passages; a chat gives up after CALL_TIMEOUT.
    milvus_engine.CALL_TIMEOUT = 300.0
    results = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    results["machine"] = {
        "cpus": os.cpu_count(),
        **{package: _version(package) for package in ("milvus-lite", "pymilvus", "faiss-cpu", "bm25s")},
    }
    shutil.rmtree(args.work, ignore_errors=True)
    server = LocalMilvus(args.work).start()
    try:
        if args.medquad:
            results["medquad"] = medquad(args.medquad, args.cache, server, args.queries)
            print(json.dumps(results["medquad"], indent=2))
        for size in [int(s) for s in args.sizes.split(",") if s]:
            found = synthetic(size, server, args.queries, args.hnsw_threshold)
            results.setdefault("synthetic", {})[f"{size}-{found['dense_index']}"] = found
            print(json.dumps(found, indent=2))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    finally:
        server.stop()
        shutil.rmtree(args.work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    sys.exit(main())
