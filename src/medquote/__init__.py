"""medquote: answers health questions by quoting vetted sources verbatim.

``import medquote`` is cheap: the public names below are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Answer": "medquote.records",
    "Emergency": "medquote.records",
    "Hit": "medquote.records",
    "Passage": "medquote.records",
    "Quote": "medquote.records",
    "Source": "medquote.records",
    "Status": "medquote.records",
    "Assistant": "medquote.answer",
    "BuildParams": "medquote.build",
    "BuildReport": "medquote.build",
    "build_index": "medquote.build",
    "Index": "medquote.index",
    "load_index": "medquote.index",
    "Embedder": "medquote.embed",
    "SentenceTransformerEmbedder": "medquote.embed",
    "Retriever": "medquote.retrieve",
    "make_retriever": "medquote.retrieve",
}

__all__ = [
    "Answer",
    "Assistant",
    "BuildParams",
    "BuildReport",
    "Embedder",
    "Emergency",
    "Hit",
    "Index",
    "Passage",
    "Quote",
    "Retriever",
    "SentenceTransformerEmbedder",
    "Source",
    "Status",
    "__version__",
    "build_index",
    "load_index",
    "make_retriever",
]

if TYPE_CHECKING:
    from medquote.answer import Assistant
    from medquote.build import BuildParams, BuildReport, build_index
    from medquote.embed import Embedder, SentenceTransformerEmbedder
    from medquote.index import Index, load_index
    from medquote.records import Answer, Emergency, Hit, Passage, Quote, Source, Status
    from medquote.retrieve import Retriever, make_retriever


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'medquote' has no attribute {name!r}")
