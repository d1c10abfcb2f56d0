"""medquote and a peer, txtai (hybrid), building and querying the same corpus with the same model, in one run.

    .venv/bin/python benchmarks/peers.py [--only seed|medquad] [--sample N] [--sample-corpus] [--out FILE]

txtai runs in its own virtual environment (``<cache>/txtai-venv``), created here from the package registry
with the local CPU ``torch==2.13.0`` first and ``txtai==9.14.0`` (nothing else is downloaded: both sides
load the packaged all-MiniLM-L6-v2 folder with ``HF_HUB_OFFLINE=1``). For each dataset — the seed set
(``tests/data/seed_eval``) and the MedQuAD benchmark sample of benchmarks/eval.py (2,000 questions, seed
7, against all answers; ``--sample-corpus``: against the sampled questions' answers only) — both index
exactly the same texts: the passages medquote cuts and embeds (source title, section, passage). Then:

* build: medquote's whole ``build_index`` (read, chunk, embed, FAISS, BM25, features, publish) with an
  empty embedding cache, against txtai's ``Embeddings.index`` (embed, FAISS, BM25), each after a warm-up;
* queries: every judged question, one at a time on one thread, timed (medquote's ``default`` retriever
  as ``medquote eval`` runs it; txtai's hybrid ``search``), passages mapped to documents the same way
  (a document scores its best passage) and scored with the same ir_measures metrics.

Writes benchmarks/results/peers.json and the "Peers" section of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readme_section import write_section

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- peers:begin -->", "<!-- peers:end -->"
TORCH = "torch==2.13.0"
TXTAI = "txtai==9.14.0"
PASSAGES_PER_QUERY = 300  # passages asked of txtai per question, mapped to at most 100 documents

# Runs inside the txtai environment: index the passages, time the build and each query, write rankings.
WORKER = r"""
import importlib.metadata, json, os, resource, sys, time
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
import torch
from txtai import Embeddings

job = json.load(open(sys.argv[1], encoding="utf-8"))
passages = [json.loads(line) for line in open(job["passages"], encoding="utf-8")]
embeddings = Embeddings(path=job["model"], hybrid=True, content=False, backend="faiss")
embeddings.transform("warm up the model")  # loading it is not the build
started = time.perf_counter()
embeddings.index([(p["row"], p["text"], None) for p in passages])
build_seconds = time.perf_counter() - started
torch.set_num_threads(1)  # as medquote answers: one question on one thread
embeddings.search("warm up", 10)
rankings, latencies = {}, []
for qid, text in job["queries"]:
    started = time.perf_counter()
    hits = embeddings.search(text, job["limit"])
    latencies.append((time.perf_counter() - started) * 1000)
    rankings[qid] = [[int(uid), float(score)] for uid, score in hits]
json.dump({"build_seconds": build_seconds, "latencies_ms": latencies, "rankings": rankings,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "torch": torch.__version__, "txtai": importlib.metadata.version("txtai")},
          open(job["out"], "w", encoding="utf-8"))
"""


def ensure_txtai(venv: Path) -> Path:
    """The txtai environment's python, creating the environment on first use (registry installs only)."""
    python = venv / "bin" / "python"
    stamp = venv / f".installed-{TXTAI}"
    if not stamp.exists():
        print(f"Creating {venv} with {TORCH} and {TXTAI} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet"]
        # torch first and pinned: txtai then finds it and pulls no CUDA wheels.
        subprocess.run([*pip, TORCH], check=True)
        subprocess.run([*pip, TXTAI], check=True)
        stamp.touch()
    return python


def medquote_side(dataset, embedder, query_embedder, work: Path, topic: str) -> tuple[dict, list[dict]]:
    """Build (empty embedding cache) and query with medquote; also return the passages it embedded."""
    from medquote.eval.corpus import prepare_index
    from medquote.eval.documents import passage_documents
    from medquote.eval.runs import run_retriever
    from medquote.index.build import embed_text
    from medquote.index.params import BuildParams

    embedder.encode(["warm up the model"])  # loading it (and exporting it, once) is not the build
    index, report = prepare_index(dataset, embedder, cache_dir=work / "medquote", topic=topic, progress=True)
    run = run_retriever("default", index, query_embedder, dataset, progress=True)
    documents = passage_documents(index)
    params = BuildParams(**{k: v for k, v in index.manifest["params"].items() if k != "chunk"})
    passages = [
        {"row": row, "docs": documents[p.id], "text": embed_text(p, index.source_of(p), params)}
        for row, p in enumerate(index.passages)
    ]
    result = {
        "backend": index.backend,
        "passages": report.passages,
        "build_seconds": round(report.seconds, 2),
        "build_passages_per_s": round(report.passages / report.seconds, 1),
        **_quality(run.metrics),
        "query_p50_ms": round(run.metrics["latency_p50_ms"], 2),
        "query_p95_ms": round(run.metrics["latency_p95_ms"], 2),
    }
    return result, passages


def txtai_side(python: Path, dataset, passages: list[dict], model: Path, work: Path) -> dict:
    from medquote.eval.metrics import compute_metrics, metric_names

    passages_file = work / "passages.jsonl"
    passages_file.write_text("".join(json.dumps(p) + "\n" for p in passages), encoding="utf-8")
    job = {
        "passages": str(passages_file), "model": str(model), "queries": dataset.queries,
        "limit": min(PASSAGES_PER_QUERY, len(passages)), "out": str(work / "txtai.json"),
    }  # fmt: skip
    (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
    (work / "worker.py").write_text(WORKER, encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    subprocess.run([str(python), str(work / "worker.py"), str(work / "job.json")], check=True, env=env)
    out = json.loads((work / "txtai.json").read_text(encoding="utf-8"))
    rankings = {}
    for qid, hits in out["rankings"].items():
        best: dict[str, float] = {}
        for row, score in hits:  # a document scores its best passage, as medquote's evaluation does
            for doc in passages[row]["docs"]:
                best.setdefault(doc, score)
        rankings[qid] = list(best)[:100]
    per_query = compute_metrics(dataset.qrels, rankings)
    ids = [qid for qid, _ in dataset.queries]
    metrics = {m: float(np.mean([per_query[q][m] for q in ids])) for m in metric_names()}
    latencies = out["latencies_ms"]
    return {
        "versions": {"txtai": out["txtai"], "torch": out["torch"]},
        "passages": len(passages),
        "build_seconds": round(out["build_seconds"], 2),
        "build_passages_per_s": round(len(passages) / out["build_seconds"], 1),
        **_quality(metrics),
        "query_p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "query_p95_ms": round(float(np.percentile(latencies, 95)), 2),
        "peak_rss_mb": round(out["peak_rss_mb"]),
    }


def _quality(metrics: dict) -> dict:
    return {"nDCG@10": round(metrics["nDCG@10"], 4), "Recall@1": round(metrics["Recall@1"], 4)}


def compare(name: str, dataset_dir: Path, python: Path, args: argparse.Namespace, topic: str = "") -> dict:
    from medquote.embed.base import default_model_path
    from medquote.embed.registry import make_embedder
    from medquote.eval.beir import load_beir

    dataset = load_beir(dataset_dir)
    embedder = make_embedder(args.backend, cache_dir=args.cache)
    query_embedder = make_embedder(args.backend, cache_dir=args.cache, threads=1)
    with tempfile.TemporaryDirectory(prefix="medquote-peers-") as temporary:
        work = Path(temporary)
        print(f"{name}: medquote ({args.backend}) …", flush=True)
        medquote, passages = medquote_side(dataset, embedder, query_embedder, work, topic)
        print(f"{name}: txtai …", flush=True)
        txtai = txtai_side(python, dataset, passages, default_model_path(), work)
    result = {
        "dataset": name,
        "queries": len(dataset.queries),
        "documents": dataset.documents,
        "medquote": medquote,
        "txtai": txtai,
        "build_speedup": round(medquote["build_passages_per_s"] / txtai["build_passages_per_s"], 2),
    }
    print(json.dumps(result, indent=2), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from medquote.settings import DEFAULT_BACKEND

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--medquad", type=Path, default=ROOT.parent / "shared" / "data" / "medquad")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample-corpus", action="store_true", help="MedQuAD: only the sampled questions' answers")
    parser.add_argument("--only", choices=("seed", "medquad"), help="run one dataset; keep the other's results")
    parser.add_argument("--backend", default=DEFAULT_BACKEND, help="medquote's embedding backend")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "peers")
    parser.add_argument("--out", type=Path, default=RESULTS / "peers.json")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    python = ensure_txtai(args.cache / "txtai-venv")
    from medquote.ingest.manifest import load_corpus

    kept = json.loads(args.out.read_text(encoding="utf-8"))["results"] if args.only and args.out.exists() else []
    results = [r for r in kept if (r["dataset"] == "seed set") != (args.only == "seed")]
    if args.only != "medquad":
        # As `medquote eval` is run on it: "this medicine" in its questions means the corpus topic.
        topic = load_corpus(ROOT / "corpus").topic
        results.insert(0, compare("seed set", ROOT / "tests" / "data" / "seed_eval", python, args, topic))
    if args.only != "seed":
        from medquote.eval.medquad_to_beir import medquad_to_beir

        name = f"medquad-q{args.sample}-s{args.seed}" + ("-own-answers" if args.sample_corpus else "")
        dataset = ROOT / ".cache" / "medquote-eval" / "datasets" / name
        if not (dataset / "corpus.jsonl").exists():
            medquad_to_beir(args.medquad, dataset, sample=args.sample, seed=args.seed, sample_corpus=args.sample_corpus)
        label = "MedQuAD sample" + (" (own answers)" if args.sample_corpus else "")
        results.append(compare(label, dataset, python, args))
    summary = {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "medquote_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    write_readme(summary)
    print(f"Wrote {args.out} and the 'Peers' section of {README}")
    return 0


def write_readme(summary: dict) -> None:
    rows = [
        "| dataset | system | passages | build passages/s | query p50 ms | query p95 ms | nDCG@10 | Recall@1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in summary["results"]:
        for system in ("medquote", "txtai"):
            r = result[system]
            label = f"medquote ({r['backend']}, default retriever)" if system == "medquote" else "txtai (hybrid)"
            rows.append(
                f"| {result['dataset']} ({result['queries']} questions, {result['documents']} documents) | {label} | "
                f"{r['passages']} | {r['build_passages_per_s']} | {r['query_p50_ms']} | {r['query_p95_ms']} | "
                f"{r['nDCG@10']:.3f} | {r['Recall@1']:.3f} |"
            )
    speedups = ", ".join(f"{r['dataset']} {r['build_speedup']}×" for r in summary["results"])
    versions = summary["results"][0]["txtai"]["versions"]
    section = "\n".join(
        [
            BEGIN,
            "## Peers side by side (`benchmarks/peers.py`)",
            "",
            f"`.venv/bin/python benchmarks/peers.py`, {summary['date']}: medquote and txtai {versions['txtai']} "
            f"(torch {versions['torch']}, its own virtual environment; hybrid = dense + BM25) index the same "
            "passages (the texts medquote embeds) with the same packaged all-MiniLM-L6-v2 folder, each dataset "
            "in one run; queries one at a time on one thread, medquote's as `medquote eval` runs them. The "
            "MedQuAD rows with `--sample-corpus`: the sampled questions against every answer of their MedQuAD "
            "documents. Results: `benchmarks/results/peers.json`.",
            "",
            *rows,
            "",
            f"medquote's build ÷ txtai's build (passages/s): {speedups} (target ≥ 2×).",
            END,
        ]
    )
    write_section(README, BEGIN, END, section)


if __name__ == "__main__":
    sys.exit(main())
