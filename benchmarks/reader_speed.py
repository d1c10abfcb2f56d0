"""The reader's inference speed: the shipped int8 ONNX model against fp32 torch of the same architecture.

    .venv/bin/python benchmarks/reader_speed.py [--questions 20] [--rounds 3]
        [--out benchmarks/results/reader_speed.json]

Pairs: the seed eval questions, each with the default corpus's first 8 passages in article order
(the same 8 for every question, so every runtime reads the same pairs), at the reader's 128-token limit.
Runtimes, in turns (median of ``--rounds``), each on 2 threads:
  - ``onnx-int8``: the shipped reader (``medquote.models.reader.Reader(threads=2)``), as answering runs it:
    one pair per single-threaded run, two runs side by side;
  - ``torch-fp32``: sentence-transformers' ``CrossEncoder`` of the packaged all-MiniLM-L6-v2 with a new
    one-logit head, a question's 8 pairs per batch. Its weights are not the reader's (the reader's fp32
    weights are not kept: only the int8 export ships), so this measures speed only, not decisions;
  - ``torch-bf16``: the same under bfloat16 autocast.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from build import save_results  # noqa: E402  (benchmarks/build.py, beside this file)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "reader_speed.json")
    args = parser.parse_args()
    import torch
    from sentence_transformers import CrossEncoder

    from medquote.embed.base import default_model_path
    from medquote.index.chunk import ChunkParams, chunk_text
    from medquote.models.reader import Reader

    torch.set_num_threads(2)
    lines = (ROOT / "tests" / "data" / "seed_eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["text"] for line in lines][: args.questions]
    articles = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    passages = [c.text for i, a in enumerate(articles) for c in chunk_text(f"s{i}", a, ChunkParams())][:8]
    reader = Reader(threads=2)
    reader.logits("warm up", passages[:1])
    cross = CrossEncoder(str(default_model_path()), num_labels=1, max_length=reader.spec.max_length, device="cpu")

    def torch_fp32() -> None:
        for q in questions:
            cross.predict([(q, p) for p in passages], batch_size=8, show_progress_bar=False)

    def torch_bf16() -> None:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            torch_fp32()

    def onnx_int8() -> None:
        for q in questions:
            reader.logits(q, passages)

    runs = {"onnx-int8": onnx_int8, "torch-fp32": torch_fp32, "torch-bf16": torch_bf16}
    for run in runs.values():
        run()  # warm
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - started)
    pairs = len(questions) * len(passages)
    rates = {name: pairs / statistics.median(values) for name, values in seconds.items()}
    results = {
        "pairs": pairs,
        "max_length": reader.spec.max_length,
        "threads": 2,
        "pairs_per_second": {name: round(rate, 1) for name, rate in rates.items()},
        "vs_torch_fp32": {name: round(rate / rates["torch-fp32"], 2) for name, rate in rates.items()},
        "seconds": {name: [round(s, 3) for s in values] for name, values in seconds.items()},
        "load_average_at_end": os.getloadavg(),
    }
    save_results(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
