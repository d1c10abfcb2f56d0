"""medquote: answers health questions by quoting vetted sources verbatim.

``import medquote`` is cheap: the public names below are imported on first use.

Stages, one subpackage each, imports pointing down only (import-linter checks it)::

    text, embed → ingest → index → engines → retrieval ─┐
                                             safety ────┴→ answer → ui → cli   (eval/ may import any;
                                                                               only cli imports eval)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from medquote.settings import VERSION as __version__

_EXPORTS = {
    "Answer": "medquote.records",
    "Emergency": "medquote.records",
    "Hit": "medquote.records",
    "Passage": "medquote.records",
    "Quote": "medquote.records",
    "Source": "medquote.records",
    "Status": "medquote.records",
    "Triage": "medquote.records",
    "TriageLevel": "medquote.records",
    "Assistant": "medquote.answer.assistant",
    "BuildParams": "medquote.index.params",
    "BuildReport": "medquote.index.build",
    "build_index": "medquote.index.build",
    "Index": "medquote.index.store",
    "load_index": "medquote.engines.registry",
    "EngineSpec": "medquote.engines.base",
    "push_build": "medquote.engines.milvus_push",
    "Embedder": "medquote.embed.base",
    "SentenceTransformerEmbedder": "medquote.embed.sbert",
    "HybridRetriever": "medquote.retrieval.hybrid",
    "Weights": "medquote.retrieval.hybrid",
    "Retriever": "medquote.retrieval.base",
    "make_retriever": "medquote.retrieval.registry",
    "triage": "medquote.safety.triage",
}

__all__ = [
    "Answer",
    "Assistant",
    "BuildParams",
    "BuildReport",
    "Embedder",
    "Emergency",
    "EngineSpec",
    "Hit",
    "HybridRetriever",
    "Index",
    "Passage",
    "Quote",
    "Retriever",
    "SentenceTransformerEmbedder",
    "Source",
    "Status",
    "Triage",
    "TriageLevel",
    "Weights",
    "__version__",
    "build_index",
    "load_index",
    "make_retriever",
    "push_build",
    "triage",
]

if TYPE_CHECKING:
    from medquote.answer.assistant import Assistant
    from medquote.embed.base import Embedder
    from medquote.embed.sbert import SentenceTransformerEmbedder
    from medquote.engines.base import EngineSpec
    from medquote.engines.milvus_push import push_build
    from medquote.engines.registry import load_index
    from medquote.index.build import BuildReport, build_index
    from medquote.index.params import BuildParams
    from medquote.index.store import Index
    from medquote.records import Answer, Emergency, Hit, Passage, Quote, Source, Status, Triage, TriageLevel
    from medquote.retrieval.base import Retriever
    from medquote.retrieval.hybrid import HybridRetriever, Weights
    from medquote.retrieval.registry import make_retriever
    from medquote.safety.triage import triage


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'medquote' has no attribute {name!r}")
