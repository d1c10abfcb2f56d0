"""answer() latency with the reader run two ways, question by question in turns on the default index:
one run on 2 onnxruntime threads (how the reader ran before) and two single-threaded runs side by side
(``Reader(threads=2)`` now). Also checks that both give the same answers.

    .venv/bin/python benchmarks/reader_threads.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from query import QUESTIONS, percentile  # noqa: E402  (benchmarks/query.py, beside this file)


def main() -> int:
    import onnxruntime as ort

    from medquote.answer.assistant import Assistant
    from medquote.embed.registry import make_embedder
    from medquote.engines.registry import load_index
    from medquote.index.manifest import cache_dir
    from medquote.models.reader import Reader
    from medquote.retrieval.hybrid import HybridRetriever

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    index_dir = ROOT / "index"
    embedder = make_embedder("onnx", cache_dir=cache_dir(index_dir), threads=1)
    index = load_index(index_dir, model_name=embedder.name)
    before = Reader(threads=1)
    before._load()  # the same model file, checked; then the session as it was made before: one run, 2 threads
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 2, 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    before._session = ort.InferenceSession(
        str(before.folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
    )
    assistants = {
        "one run on 2 threads (before)": Assistant(HybridRetriever(index, embedder, reader=before)),
        "2 single-thread runs side by side (now)": Assistant(
            HybridRetriever(index, embedder, reader=Reader(threads=2))
        ),
    }
    for assistant in assistants.values():  # warm-up
        for question in QUESTIONS:
            assistant.answer(question)
    timings: dict[str, list[float]] = {name: [] for name in assistants}
    same = asked = 0
    for _ in range(rounds):
        for question in QUESTIONS:
            answers = []
            for name, assistant in assistants.items():
                started = time.perf_counter()
                answers.append(repr(assistant.answer(question)))
                timings[name].append((time.perf_counter() - started) * 1000)
            asked += 1
            same += answers[0] == answers[1]
    for name, values in timings.items():
        print(f"{name}: p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms")
    print(f"same answers {same} / {asked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
