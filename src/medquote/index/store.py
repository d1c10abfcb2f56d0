"""A loaded build (``Index``) and ``read_build``, which refuses anything missing, damaged or built differently.

The engine that searches a build is attached by ``medquote.engines.registry.load_index``, the way callers
load an index.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from medquote.embed.base import query_backend, same_vectors, split_name
from medquote.errors import IndexMismatchError
from medquote.index.integrity import check_files, file_hashes, read_build_manifest, sha256_text, vetted_hashes
from medquote.index.manifest import REPAIR_HINT
from medquote.records import Passage, Source
from medquote.text.tokens import tokenize

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Index:
    """A loaded build: passages (row i is vector i), their sources, and the engine that searches them
    (a ``medquote.engines.base.SearchEngine``, attached by ``medquote.engines.registry.load_index``).

    ``dense`` is the FAISS index when the embedded engine serves the build, None when Milvus does;
    ``bm25`` (bm25s) is always loaded, for the term weights of highlighting.
    """

    directory: Path
    manifest: dict[str, Any]
    passages: list[Passage]
    sources: dict[str, Source]
    dense: Any  # faiss.Index
    bm25: Any  # bm25s.BM25
    # Passage row -> other sources holding the identical passage (stored once).
    also_in: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # Per-passage arrays from medquote.text.qtypes.passage_features.
    features: dict[str, np.ndarray] = field(default_factory=dict)
    engine: Any = None  # medquote.engines.base.SearchEngine
    # The sha256 the corpus's sources.toml lists today, by entry id (empty without that corpus).
    vetted: dict[str, str] = field(default_factory=dict)
    # Sources (by id, the very record) whose stored text has been checked against its hash chain.
    _verified: dict[str, Source] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def built_at(self) -> str:
        return str(self.manifest["built_at"])

    @property
    def model_name(self) -> str:
        return str(self.manifest["model"]["name"])

    @property
    def backend(self) -> str:
        return split_name(self.model_name)[1]

    @property
    def topic(self) -> str:
        return str(self.manifest.get("topic", ""))

    def source_of(self, passage: Passage) -> Source:
        return self.sources[passage.source_id]

    def check_quote(self, passage: Passage) -> None:
        """Refuse (IndexMismatchError) to quote ``passage`` unless its whole hash chain holds: it is an exact
        slice of its source's stored text, that text hashes to the sha256 recorded at build, and the build
        was made from the file ``sources.toml`` lists as vetted today (where the corpus is at hand)."""
        source = self.sources[passage.source_id]
        if source.text[passage.start : passage.end] != passage.text:
            raise IndexMismatchError(
                f"{self.directory}: passage {passage.id} is not the text of source {source.id} it claims to "
                f"quote (passages.jsonl or sources.jsonl was edited after the build); {REPAIR_HINT}"
            )
        if self._verified.get(source.id) is source:
            return
        if self.manifest["source_texts"].get(source.id) != sha256_text(source.text):
            raise IndexMismatchError(
                f"{self.directory}: the stored text of source {source.id} is not the text that was built "
                f"(sources.jsonl was edited after the build); {REPAIR_HINT}"
            )
        built = self.manifest["sources"].get(source.entry_id, {}).get("sha256")
        vetted = self.vetted.get(source.entry_id, built)
        if vetted != built:
            raise IndexMismatchError(
                f"{self.directory}: source {source.entry_id} was built from a file whose sha256 is not the one "
                f"vetted in {self.manifest.get('corpus')}/sources.toml today; run `medquote build` to rebuild it"
            )
        self._verified[source.id] = source

    def uses(self, word: str) -> bool:
        """Whether the indexed passages use ``word`` (all of its BM25 terms are in the vocabulary)."""
        terms = tokenize(word)
        return bool(terms) and all(term in self.bm25.vocab_dict for term in terms)


def read_build(build: Path, *, model_name: str | None = None, read_faiss: bool = True) -> Index:
    """The build folder ``build`` as an Index without its engine, refusing anything damaged or built differently.

    ``model_name`` is the query embedder's name; a different model than the one the index was built
    with would make its vectors meaningless, and another backend would query it with vectors slightly
    off the stored ones, so both are errors. ``read_faiss``: load the FAISS file (the embedded engine
    searches it; Milvus holds its own vectors).
    """
    import bm25s
    import faiss

    manifest = read_build_manifest(build)
    built, queried = split_name(manifest["model"]["name"]), split_name(model_name or "")
    if model_name is not None and built[0] == queried[0] and not same_vectors(built[1], queried[1]):
        raise IndexMismatchError(
            f"{build}: built with the {built[1]} backend but the query embedder runs on {queried[1]}; "
            f"pass --backend {query_backend(built[1])}, or run `medquote build --backend {queried[1]}` to rebuild it"
        )
    if model_name is not None and built[0] != queried[0]:
        raise IndexMismatchError(
            f"{build}: built with model {manifest['model']['name']} but the query model is {model_name}; "
            "pass the --model it was built with, or run `medquote build --model PATH` to rebuild it"
        )
    # Hashing (which releases the GIL) runs beside the parsing; nothing is returned before it agrees.
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(file_hashes, build)
        try:
            passages = [Passage(**json.loads(line)) for line in _lines(build / "passages.jsonl")]
            sources = {}
            for line in _lines(build / "sources.jsonl"):
                source = Source(**json.loads(line))
                sources[source.id] = source
            dense = faiss.read_index(str(build / "dense.faiss")) if read_faiss else None
            bm25 = bm25s.BM25.load(str(build / "bm25"))
            also_in = {int(k): tuple(v) for k, v in manifest.get("also_in", {}).items()}
            with np.load(build / "features.npz") as arrays:
                features = {name: arrays[name] for name in arrays.files}
        except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
            # A file that cannot be parsed is named by its hash when it was changed after the build.
            check_files(build, manifest, hashing.result())
            raise IndexMismatchError(f"{build}: index files are damaged ({type(exc).__name__}); {REPAIR_HINT}") from exc
        check_files(build, manifest, hashing.result())
    counts = manifest["counts"]
    if (
        len(passages) != counts["passages"]
        or (dense is not None and (dense.ntotal != counts["passages"] or dense.d != manifest["model"]["dimension"]))
        or len(sources) != counts["sources"]
        or any(p.source_id not in sources for p in passages)
        or any(len(values) != len(passages) for values in features.values())
    ):
        raise IndexMismatchError(f"{build}: index files disagree with its manifest; {REPAIR_HINT}")
    vetted = vetted_hashes(manifest)
    return Index(build, manifest, passages, sources, dense, bm25, also_in, features, None, vetted)


def _lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [line for line in handle if line.strip()]
