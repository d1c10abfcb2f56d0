"""torch-bf16, the build's backend on a CPU with bfloat16 units: torch's vectors, queried on onnx."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS_CORPUS

from medquote.answer.assistant import Assistant
from medquote.embed.base import bf16_matmul_supported, query_backend, same_vectors
from medquote.embed.registry import build_backend, make_embedder
from medquote.errors import IndexMismatchError
from medquote.index.manifest import built_backend

pytestmark = pytest.mark.slow
CORPUS = SEEDS_CORPUS
MEDQUOTE = str(Path(sys.executable).parent / "medquote")


def _texts() -> list[str]:
    articles = [path.read_text(encoding="utf-8") for path in sorted(SEEDS_CORPUS.glob("*.txt"))]
    paragraphs = [p.strip() for article in articles for p in article.split("\n\n") if len(p.split()) > 5]
    questions = ["How long does Klonopin stay in the body?", "can i drink on clonazepam", "is it addictive"]
    return paragraphs + questions + articles  # the whole articles are past the 256-token limit


def test_the_build_picks_torch_bf16_exactly_where_the_cpu_multiplies_bf16():
    flags = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").is_file() else ""
    has_units = " amx_bf16" in flags or " avx512_bf16" in flags
    assert bf16_matmul_supported() == has_units
    assert build_backend(None) == build_backend("auto") == ("torch-bf16" if has_units else "onnx")
    assert build_backend("onnx-int8") == "onnx-int8"
    assert query_backend("torch-bf16") == "onnx" and query_backend("onnx-int8") == "onnx-int8"
    assert same_vectors("torch-bf16", "onnx") and same_vectors("torch", "onnx")
    assert not same_vectors("onnx-int8", "onnx") and not same_vectors("torch-bf16", "onnx-int8")


def test_torch_bf16_gives_the_fp32_vectors(torch_embedder, tmp_path):
    texts = _texts()
    bf16 = make_embedder("torch-bf16", cache_dir=tmp_path)
    onnx = make_embedder("onnx", cache_dir=tmp_path)
    vectors = bf16.encode(texts)
    assert vectors.dtype == np.float32 and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    for reference in (torch_embedder.encode(texts), onnx.encode(texts)):
        cosines = (vectors * reference).sum(axis=1)
        assert cosines.min() >= 0.9999, cosines.min()
    # The questions' nearest passages are the same ones.
    passages = slice(0, len(texts) - 5)
    questions = slice(len(texts) - 5, len(texts) - 2)
    reference = onnx.encode(texts)
    for q in range(questions.start, questions.stop):
        assert np.argmax(vectors[passages] @ vectors[q]) == np.argmax(reference[passages] @ reference[q])


def test_a_torch_bf16_build_is_answered_on_onnx_and_refuses_int8_questions(tmp_path):
    index = tmp_path / "index"
    done = subprocess.run(
        [MEDQUOTE, "build", "--corpus", str(CORPUS), "--index", str(index),
         "--backend", "torch-bf16"], capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert built_backend(index) == "torch-bf16"
    # The questions' ONNX file was made by the build, not left for the first question.
    assert list((index / "cache" / "onnx").glob("*/model.onnx"))
    assistant = Assistant.from_index(index)
    assert assistant.embedder.name.endswith("+onnx")
    answer = assistant.answer("What is the half-life of clonazepam?")
    assert answer.status.value == "answered"
    sources = {s.id: s.text for s in assistant.sources}
    assert answer.quotes and all(q.passage.text in sources[q.source.id] for q in answer.quotes)
    with pytest.raises(IndexMismatchError, match="built with the torch-bf16 backend .* --backend onnx"):
        Assistant.from_index(index, backend="onnx-int8")
    done = subprocess.run(
        [MEDQUOTE, "ask", "What is the half-life of clonazepam?", "--index", str(index),
         "--json"], capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0 and json.loads(done.stdout)["status"] == "answered"
