"""The embedding backends side by side: speed, closeness to torch's vectors, retrieval quality, abstention.

    .venv/bin/python benchmarks/backends.py [--backends torch,onnx,onnx-int8] [--medquad-backends torch,onnx-int8]

In one process:
  1. embedding throughput: the same MedQuAD passages (``--passages``, the texts a build embeds) encoded by
     each backend with every core, in turns (``--rounds``, median), with each backend's cosine to torch's
     vectors of the same texts;
  2. question embedding latency: 12 consumer questions, one at a time on one thread (as answering runs);
  3. retrieval quality and abstention: ``medquote eval`` (``dense`` and ``default``) on the seed set and
     on the MedQuAD benchmark sample of benchmarks/eval.py, with each backend's own index (the MedQuAD
     index of a backend takes its full embedding once; later runs find it in ``--cache``), and the
     default assistant's answered / abstained shares at the shipped threshold.
Writes benchmarks/results/backends.json and the "Embedding backends" section of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from query import QUESTIONS
from readme_section import write_section

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- backends:begin -->", "<!-- backends:end -->"


def medquad_texts(dataset: Path, count: int) -> list[str]:
    """The first ``count`` texts a build of the dataset's corpus embeds, in a fixed shuffled order."""
    import random

    from medquote.index.build import chunk_sources, embed_text
    from medquote.index.params import BuildParams
    from medquote.ingest.registry import read_documents
    from medquote.records import Source

    documents = read_documents(dataset / "corpus.jsonl", "beir").documents
    sources = {
        d.key: Source(id=d.key, entry_id="d", key=d.key, title=d.title or "", text=d.text, section=d.section)
        for d in documents
    }
    passages, _ = chunk_sources(sources, BuildParams())
    texts = [embed_text(p, sources[p.source_id], BuildParams()) for p in passages]
    random.Random(3).shuffle(texts)
    return texts[:count]


def throughput(embedders: dict, texts: list[str], rounds: int) -> dict:
    """Passages/s of each embedder on ``texts`` (median of ``rounds`` turns) and cosine to torch's vectors."""
    rates: dict[str, list[float]] = {name: [] for name in embedders}
    vectors = {}
    for embedder in embedders.values():
        embedder.encode(texts[:8])  # load (and export) before timing
    for _ in range(rounds):
        for name, embedder in embedders.items():
            started = time.perf_counter()
            vectors[name] = embedder.encode(texts)
            rates[name].append(len(texts) / (time.perf_counter() - started))
    result = {}
    for name in embedders:
        cosine = np.sum(vectors[name] * vectors["torch"], axis=1)
        result[name] = {
            "passages_per_s": round(statistics.median(rates[name]), 1),
            "rounds": [round(r, 1) for r in rates[name]],
            "cosine_to_torch_mean": round(float(cosine.mean()), 5),
            "cosine_to_torch_min": round(float(cosine.min()), 5),
        }
    for name in embedders:
        result[name]["speed_vs_torch"] = round(result[name]["passages_per_s"] / result["torch"]["passages_per_s"], 2)
    return result


def question_latency(embedders: dict, rounds: int = 20) -> dict:
    timings: dict[str, list[float]] = {name: [] for name in embedders}
    for embedder in embedders.values():
        embedder.encode(QUESTIONS)
    for _ in range(rounds):
        for name, embedder in embedders.items():
            for question in QUESTIONS:
                started = time.perf_counter()
                embedder.encode([question])
                timings[name].append((time.perf_counter() - started) * 1000)
    return {
        name: {"p50_ms": round(float(np.percentile(t, 50)), 2), "p95_ms": round(float(np.percentile(t, 95)), 2)}
        for name, t in timings.items()
    }


def quality(dataset: Path, backend: str, cache: Path, unanswerable: Path, topic: str = "") -> dict:
    from medquote.eval.beir import read_questions
    from medquote.eval.runs import evaluate

    result = evaluate(
        dataset, ("dense", "default"), backend=backend, cache_dir=cache, topic=topic,
        unanswerable=read_questions(unanswerable), progress=True,
    )  # fmt: skip
    row = result.abstention
    return {
        "model": result.index.model_name,
        **{name: {m: round(run.metrics[m], 4) for m in ("nDCG@10", "Recall@1")} for name, run in result.runs.items()},
        "abstention": {
            "threshold": row.threshold,
            "answered_share": round(row.answered_share, 4),
            "correct_share": None if row.correct_share is None else round(row.correct_share, 4),
            "abstained_share": round(row.abstained_share, 4),
        },
        "first_build_seconds": round(result.build.seconds, 1) if result.build.embedded else None,
    }


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from medquote.embed.registry import make_embedder
    from medquote.eval.medquad_to_beir import medquad_to_beir
    from medquote.ingest.manifest import load_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="torch,onnx,onnx-int8")
    parser.add_argument("--medquad-backends", default="torch,onnx-int8", help="'' to skip MedQuAD")
    parser.add_argument("--medquad", type=Path, default=ROOT.parent / "shared" / "data" / "medquad")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "medquote-eval")
    parser.add_argument("--passages", type=int, default=1000, help="MedQuAD passages for the throughput turns")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "backends.json")
    args = parser.parse_args(argv)
    backends = args.backends.split(",")
    dataset = args.cache / "datasets" / "medquad-q2000-s7"
    if not (dataset / "corpus.jsonl").exists():
        medquad_to_beir(args.medquad, dataset, sample=2000, seed=7, progress=True)

    summary: dict = {"date": dt.date.today().isoformat(), "cpus": os.cpu_count()}
    builders = {b: make_embedder(b, cache_dir=args.cache) for b in backends}
    summary["throughput"] = throughput(builders, medquad_texts(dataset, args.passages), args.rounds)
    summary["throughput"]["passages"] = args.passages
    print(json.dumps(summary["throughput"], indent=2), flush=True)
    askers = {b: make_embedder(b, cache_dir=args.cache, threads=1) for b in backends}
    summary["question_latency"] = question_latency(askers)
    print(json.dumps(summary["question_latency"], indent=2), flush=True)

    topic = load_corpus(ROOT / "corpus").topic
    seed = ROOT / "tests" / "data" / "seed_eval"
    summary["seed"] = {
        b: quality(seed, b, args.cache, ROOT / "tests/data/seed_unanswerable.txt", topic) for b in backends
    }
    summary["medquad"] = {
        b: quality(dataset, b, args.cache, ROOT / "tests/data/medquad_unanswerable.txt")
        for b in filter(None, args.medquad_backends.split(","))
    }
    summary["load_average_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    write_readme(summary)
    print(f"Wrote {args.out} and the 'Embedding backends' section of {README}")
    return 0


def write_readme(summary: dict) -> None:
    speed = summary["throughput"]
    latency = summary["question_latency"]
    rows = [
        "| backend | passages/s (× torch) | cosine to torch: mean / min | question p50 / p95 ms | "
        "seed nDCG@10 / R@1 (default) | seed answered / abstained | MedQuAD nDCG@10 / R@1 (default) | "
        "MedQuAD dense nDCG@10 | MedQuAD answered (right quote) / abstained |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for backend in summary["seed"]:
        s, m = summary["seed"][backend], summary["medquad"].get(backend)
        sa = s["abstention"]
        medquad = ["–", "–", "–"]
        if m is not None:
            ma = m["abstention"]
            medquad = [
                f"{m['default']['nDCG@10']:.3f} / {m['default']['Recall@1']:.3f}",
                f"{m['dense']['nDCG@10']:.3f}",
                f"{ma['answered_share']:.1%} ({ma['correct_share']:.1%}) / {ma['abstained_share']:.0%}",
            ]
        rows.append(
            f"| {backend} | {speed[backend]['passages_per_s']} ({speed[backend]['speed_vs_torch']}×) | "
            f"{speed[backend]['cosine_to_torch_mean']:.4f} / {speed[backend]['cosine_to_torch_min']:.4f} | "
            f"{latency[backend]['p50_ms']} / {latency[backend]['p95_ms']} | "
            f"{s['default']['nDCG@10']:.3f} / {s['default']['Recall@1']:.3f} | "
            f"{sa['answered_share']:.0%} / {sa['abstained_share']:.0%} | " + " | ".join(medquad) + " |"
        )
    section = "\n".join(
        [
            BEGIN,
            "## Embedding backends (`benchmarks/backends.py`)",
            "",
            f"`.venv/bin/python benchmarks/backends.py`, {summary['date']}, in one process: throughput on "
            f"{speed['passages']} MedQuAD passages (the texts a build embeds) with every core, backends in turns "
            "(median of the turns); question embedding one at a time on one thread; then `medquote eval` with "
            "each backend's own index and the default assistant's abstention at the shipped threshold. "
            "Results: `benchmarks/results/backends.json`.",
            "",
            *rows,
            END,
        ]
    )
    write_section(README, BEGIN, END, section)


if __name__ == "__main__":
    sys.exit(main())
