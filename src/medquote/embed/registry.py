"""The embedding backends by name (``settings.BACKENDS``): each makes an embedder of a model folder.

``torch`` runs the model in sentence-transformers (``sbert``), ``torch-bf16`` the same under bfloat16
autocast, ``onnx`` and ``onnx-int8`` in onnxruntime
(``onnx``, which exports the model on first use). A new runtime is one more entry in ``BACKEND_FACTORIES``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from medquote.embed.base import Embedder, bf16_matmul_supported
from medquote.embed.onnx import OnnxEmbedder
from medquote.embed.sbert import SentenceTransformerEmbedder
from medquote.errors import InputError
from medquote.settings import BACKENDS, BUILD_BACKEND_AUTO, DEFAULT_BACKEND


def _torch(model: Path | str | None, cache_dir: Path, threads: int | None) -> Embedder:
    return SentenceTransformerEmbedder(model, threads=threads)


def _torch_bf16(model: Path | str | None, cache_dir: Path, threads: int | None) -> Embedder:
    return SentenceTransformerEmbedder(model, threads=threads, bf16=True)


def _onnx(quantized: bool) -> Callable[[Path | str | None, Path, int | None], Embedder]:
    def make(model: Path | str | None, cache_dir: Path, threads: int | None) -> Embedder:
        return OnnxEmbedder(model, quantized=quantized, cache_dir=cache_dir, threads=threads)

    return make


# Backends by name (the names are settings.BACKENDS); each makes an embedder of a model folder.
BACKEND_FACTORIES: dict[str, Callable[[Path | str | None, Path, int | None], Embedder]] = {
    "torch": _torch,
    "torch-bf16": _torch_bf16,
    "onnx": _onnx(quantized=False),
    "onnx-int8": _onnx(quantized=True),
}


def make_embedder(
    backend: str = DEFAULT_BACKEND,
    model: Path | str | None = None,
    *,
    cache_dir: Path | str,
    threads: int | None = None,
) -> Embedder:
    """The embedder of ``model`` (default: the packaged all-MiniLM-L6-v2) on ``backend``.

    ``cache_dir`` holds what a backend derives from the model (the ONNX files); ``threads`` caps the
    threads one call uses (default: every core).
    """
    factory = BACKEND_FACTORIES.get(backend)
    if factory is None:
        raise InputError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    return factory(model, Path(cache_dir), threads)


def build_backend(requested: str | None = None) -> str:
    """The backend a build embeds on: ``requested``, or (None or "auto") torch-bf16 where the CPU has
    bfloat16 matrix units and DEFAULT_BACKEND elsewhere."""
    if requested and requested != BUILD_BACKEND_AUTO:
        return requested
    return "torch-bf16" if bf16_matmul_supported() else DEFAULT_BACKEND
