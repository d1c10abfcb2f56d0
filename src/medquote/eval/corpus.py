"""A BEIR dataset's index: its corpus registered as a vetted source in a cache folder and built with
``build_index``, the same path as ``medquote sources add`` + ``medquote build``."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from medquote.embed.base import Embedder
from medquote.engines.base import EMBEDDED, EngineSpec
from medquote.engines.registry import load_index
from medquote.errors import MedquoteError
from medquote.eval.beir import BeirDataset
from medquote.files import locked
from medquote.index.build import BuildReport, build_index
from medquote.index.store import Index
from medquote.ingest.manifest import check, file_sha256, load_corpus
from medquote.ingest.register import add_source, set_topic
from medquote.settings import EVAL_CACHE

_SOURCE_ID = "dataset"


def prepare_index(
    dataset: BeirDataset,
    embedder: Embedder,
    *,
    cache_dir: Path | str | None = None,
    topic: str = "",
    progress: bool = False,
    engine: EngineSpec = EMBEDDED,
) -> tuple[Index, BuildReport]:
    """Register the dataset's corpus in ``<cache>/<corpus sha256[:16]>/corpus`` and build its index beside it.

    The same path as ``medquote sources add`` + ``medquote build``; the index's embedding cache makes a
    second run embed nothing. With the Milvus ``engine`` the build is pushed under an alias of its own
    (``<alias>_eval_<key>``), so evaluating never moves the alias a chat serves.
    """
    root = Path(cache_dir or EVAL_CACHE) / file_sha256(dataset.corpus_path)[:16]
    corpus_dir, index_dir = root / "corpus", root / "index"
    root.mkdir(parents=True, exist_ok=True)
    with locked(root / ".lock"):
        try:
            corpus = load_corpus(corpus_dir)
            reusable = [e.title for e in corpus.vetted()] == [dataset.name] and not check(corpus)
        except (MedquoteError, OSError):  # anything missing or half-written is simply registered again
            reusable = False
        if not reusable:
            shutil.rmtree(corpus_dir, ignore_errors=True)
            add_source(
                corpus_dir, dataset.corpus_path, title=dataset.name, source_id=_SOURCE_ID, fmt="beir",
                vetted=True, note="evaluation corpus registered by `medquote eval`",
            )  # fmt: skip
        set_topic(corpus_dir, topic)
        report = build_index(corpus_dir, index_dir, embedder, progress=progress)
        if engine.name == "milvus":
            from medquote.engines.milvus_push import push_build

            engine = replace(engine, alias=f"{engine.alias}_eval_{root.name}")
            push_build(index_dir, engine, progress=progress)
    return load_index(index_dir, model_name=embedder.name, engine=engine), report
