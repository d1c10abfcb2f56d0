"""Names and defaults used in more than one place, defined once. Imports nothing of medquote."""

from __future__ import annotations

from pathlib import Path

# The package's version (pyproject.toml's [project] version), recorded in every build's manifest.
VERSION = "0.1.0"

# Folders, relative to where medquote runs.
CORPUS_DIR = Path("corpus")
INDEX_DIR = Path("index")
FEEDBACK_PATH = Path("data") / "feedback.jsonl"
EVAL_CACHE = Path(".cache") / "medquote-eval"

# The chat.
HOST = "127.0.0.1"
PORT = 7860

# Answering: at most this many quotes per answer.
K = 3

# Input formats, by the name a manifest entry or `--format` uses.
FORMATS = ("txt", "md", "html", "pdf", "medquad", "beir")

# Retrievers by name; "reader" is what `medquote ask` and the chat use ("default" without the reader).
RETRIEVERS = ("bm25", "dense", "hybrid", "default", "reader")
DEFAULT_RETRIEVER = "default"

# Search engines by name (`--engine`); "embedded" (FAISS + bm25s files) is the default. A Milvus server's
# live collection is the one this alias names (`--collection`).
ENGINES = ("embedded", "milvus")
MILVUS_ALIAS = "medquote"

# Passages: aim for this many words (whole sentences; see medquote.index.chunk).
CHUNK_WORDS = 120
# From this many passages the dense index is approximate (HNSW) instead of exact.
HNSW_THRESHOLD = 200_000

# Embedding backends (medquote.embed.registry.make_embedder). DEFAULT_BACKEND embeds questions unless an
# index records another, and builds where the CPU has no bfloat16 matrix units. The fastest one whose
# retrieval quality holds (nDCG@10 within 0.005 of torch on the seed set and on MedQuAD): onnx gives
# torch's vectors; onnx-int8 is ~2x faster still but lost 0.024 nDCG@10 on the seed set. torch-bf16 is
# torch with bfloat16 autocast (fp32 weights, layer norms and softmax in fp32): ~2.8x fp32 on a CPU with
# AMX or AVX-512 BF16, ~torch's vectors (benchmarks/README.md "Embedding backends"); `medquote build`
# uses it there (BUILD_BACKEND_AUTO), and its indexes are queried with onnx.
BACKENDS = ("torch", "torch-bf16", "onnx", "onnx-int8")
DEFAULT_BACKEND = "onnx"
BUILD_BACKEND_AUTO = "auto"
# Backends whose vectors are torch's fp32 ones (cosine >= 0.9999): one may query another's index.
SAME_VECTORS = ("torch", "torch-bf16", "onnx")

# Limits of the numeric options, checked when the command line is read (medquote.options).
# More quotes than this is no longer "a few quotes with their sources".
MAX_K = 20
# Passages shorter than the chunker's own minimum (ChunkParams.min_words) would not be cut as asked.
MIN_CHUNK_WORDS = 20
MAX_CHUNK_WORDS = 2000
