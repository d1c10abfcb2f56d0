"""answer() latency with the reader run two ways, question by question in turns on the default index:
one run on 2 onnxruntime threads (how the reader ran before) and two single-threaded runs side by side
(``Reader(threads=2)`` now). Also checks that both give the same answers.

    .venv/bin/python benchmarks/reader_threads.py ROUNDS
"""

import os
import statistics
import sys
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pathlib import Path

import onnxruntime as ort
from query import QUESTIONS, percentile

from medquote.answer.assistant import Assistant
from medquote.embed.registry import make_embedder
from medquote.engines.registry import load_index
from medquote.index.manifest import cache_dir
from medquote.models.reader import Reader
from medquote.retrieval.hybrid import HybridRetriever

emb = make_embedder("onnx", cache_dir=cache_dir(Path("index")), threads=1)
index = load_index(Path("index"), model_name=emb.name)
old = Reader(threads=1)
old._load()
o = ort.SessionOptions()
o.intra_op_num_threads = 2
o.inter_op_num_threads = 1
o.add_session_config_entry("session.intra_op.allow_spinning", "0")
old._session = ort.InferenceSession(str(old.folder / "model.onnx"), o, providers=["CPUExecutionProvider"])
A = {
    "one run on 2 threads (before)": Assistant(HybridRetriever(index, emb, reader=old)),
    "2 single-thread runs side by side (now)": Assistant(HybridRetriever(index, emb, reader=Reader(threads=2))),
}
for a in A.values():
    for q in QUESTIONS:
        a.answer(q)
t = {s: [] for s in A}
same = n = 0
for _ in range(int(sys.argv[1])):
    for q in QUESTIONS:
        outs = []
        for s, a in A.items():
            st = time.perf_counter()
            r = a.answer(q)
            t[s].append((time.perf_counter() - st) * 1000)
            outs.append(repr(r))
        n += 1
        same += outs[0] == outs[1]
for s, v in t.items():
    print(s, "p50", round(statistics.median(v), 1), "p95", round(percentile(v, 0.95), 1))
print("same answers", same, "/", n)
