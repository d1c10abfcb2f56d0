"""The whole `medquote build` command against a plain fp32 encode of the same texts: alternating, repeated.

    .venv/bin/python benchmarks/build_command.py [--subsets 5_NIDDK_QA,9_CDC_QA] [--repeat 3]
        [--backend onnx] [--out benchmarks/results/build_command.json]

Measures the way a user runs it (issue #24): each round runs, one after the other in fresh processes,
  1. ``medquote build --force`` of a MedQuAD corpus (≥ 4,000 passages) with an empty embedding cache
     (the ONNX export kept, as after a user's first build), timed from the command's start to its exit
     (imports, reading, chunking, embedding, BM25, FAISS, writing, publishing);
  2. a plain fp32 ``SentenceTransformer(...).encode(texts)`` of exactly the texts the build embeds,
     sentence-transformers' defaults, the model loaded and warm, timing the encode call only.
The order alternates between rounds (build first, then encode first), so a change in the machine's
load falls on both. Reports each round's passages/s, the median and spread (min-max) of each, and the
ratio of the medians and each round's own ratio. Both processes get the same environment.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from build import MEDQUAD, make_corpus, save_results  # benchmarks/build.py, beside this file

from medquote.embed.base import query_backend
from medquote.embed.registry import build_backend, make_embedder
from medquote.index.build import chunk_sources, embed_text, read_sources
from medquote.index.manifest import cache_dir
from medquote.index.params import BuildParams
from medquote.ingest.manifest import load_corpus
from medquote.settings import BACKENDS, BUILD_BACKEND_AUTO

BIN = Path(sys.executable).parent
PLAIN = """
import json, sys, time
from sentence_transformers import SentenceTransformer
from medquote.embed.base import default_model_path
texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
model = SentenceTransformer(str(default_model_path()), device="cpu", local_files_only=True)
model.encode(["warm up the model and its threads"])
started = time.perf_counter()
model.encode(texts, normalize_embeddings=True)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def empty_index_but_onnx(index_dir: Path) -> None:
    """Remove the index's builds and embedding cache, keeping the ONNX export (made once per model)."""
    cache = cache_dir(index_dir)
    for child in list(index_dir.iterdir()) if index_dir.is_dir() else []:
        if child != cache:
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for child in list(cache.iterdir()) if cache.is_dir() else []:
        if child.name != "onnx":
            shutil.rmtree(child) if child.is_dir() else child.unlink()


def time_build(corpus: Path, index_dir: Path, backend: str) -> float:
    empty_index_but_onnx(index_dir)
    command = [str(BIN / "medquote"), "build", "--corpus", str(corpus), "--index", str(index_dir),
               "--backend", backend, "--force"]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_plain(texts_file: Path) -> float:
    done = subprocess.run([sys.executable, "-c", PLAIN, str(texts_file)], check=True, capture_output=True, text=True)
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2), "max": round(max(values), 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subsets", default="5_NIDDK_QA,9_CDC_QA", help="comma-separated MedQuAD subset folders")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (each: one build and one plain encode)")
    parser.add_argument(
        "--backend", choices=(BUILD_BACKEND_AUTO, *BACKENDS), default=BUILD_BACKEND_AUTO,
        help="the build's embedding backend (default: %(default)s, as `medquote build`)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/build_command.json"))
    args = parser.parse_args()
    if not MEDQUAD.is_dir():
        print(f"MedQuAD not found at {MEDQUAD}", file=sys.stderr)
        return 1
    params = BuildParams()
    with tempfile.TemporaryDirectory(prefix="medquote-bench-") as temporary:
        root = Path(temporary)
        corpus = make_corpus(root, args.subsets.split(","))
        sources, _ = read_sources(load_corpus(corpus), progress=False)
        passages, _ = chunk_sources(sources, params)
        texts = [embed_text(p, sources[p.source_id], params) for p in passages]
        texts_file = root / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        index_dir = root / "index"
        # The ONNX export (the build's, or the questions' for torch-bf16), once, as a user's first build
        # makes it: not part of any timed build.
        backend = build_backend(args.backend)
        make_embedder(query_backend(backend), cache_dir=cache_dir(index_dir)).encode(["export the model once"])
        if backend.startswith("onnx"):
            make_embedder(backend, cache_dir=cache_dir(index_dir)).encode(["export the model once"])
        rounds = []
        for number in range(args.repeat):
            first_build = number % 2 == 0
            timed = {}
            for what in ("build", "plain") if first_build else ("plain", "build"):
                seconds = time_build(corpus, index_dir, args.backend) if what == "build" else time_plain(texts_file)
                timed[what] = seconds
                rate = len(texts) / seconds
                print(f"round {number + 1}/{args.repeat} {what}: {seconds:.1f} s, {rate:.1f} passages/s", flush=True)
            rounds.append({"order": "build first" if first_build else "encode first",
                           "build_seconds": round(timed["build"], 2), "plain_seconds": round(timed["plain"], 2),
                           "ratio": round(timed["plain"] / timed["build"], 3)})  # fmt: skip
    build_rates = [len(texts) / r["build_seconds"] for r in rounds]
    plain_rates = [len(texts) / r["plain_seconds"] for r in rounds]
    results = {
        "subsets": args.subsets.split(","),
        "passages": len(texts),
        "backend": backend,
        "cpus": os.cpu_count(),
        "rounds": rounds,
        "build_passages_per_s": spread(build_rates),
        "plain_encode_passages_per_s": spread(plain_rates),
        "ratio_of_medians": round(statistics.median(build_rates) / statistics.median(plain_rates), 3),
        "round_ratios": spread([r["ratio"] for r in rounds]),
        "load_average_at_end": os.getloadavg(),
    }
    save_results(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
