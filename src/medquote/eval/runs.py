"""Evaluating retrievers on a BEIR dataset through the same build pipeline as ``medquote build``.

The dataset's ``corpus.jsonl`` becomes a vetted source of a corpus folder in a cache, indexed by
``build_index`` (so its embedding cache makes a second run re-embed nothing); every judged query is run
through each retriever; passage hits become document rankings; ir_measures scores them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from medquote.embed.base import Embedder
from medquote.embed.registry import make_embedder
from medquote.engines.base import EMBEDDED, EngineSpec
from medquote.eval.abstention import AbstentionRow, abstention_curve
from medquote.eval.beir import BeirDataset, load_beir
from medquote.eval.corpus import prepare_index
from medquote.eval.documents import DEPTH, passage_documents, rank_documents
from medquote.eval.metrics import compute_metrics, metric_names
from medquote.index.build import BuildReport
from medquote.index.store import Index
from medquote.retrieval.registry import make_retriever
from medquote.settings import DEFAULT_BACKEND, EVAL_CACHE, RETRIEVERS

log = logging.getLogger(__name__)


# --- running the queries -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetrieverRun:
    """One retriever over the dataset: its rankings, per-query metrics, means and latencies."""

    name: str
    rankings: dict[str, list[tuple[str, float]]]
    per_query: dict[str, dict[str, float]]
    metrics: dict[str, float]
    latencies_ms: tuple[float, ...]


def run_retriever(
    name: str, index: Index, embedder: Embedder, dataset: BeirDataset, *, k: int = 10, progress: bool = False
) -> RetrieverRun:
    from tqdm import tqdm

    retriever = make_retriever(name, index, embedder)
    documents = passage_documents(index)
    depth = max(DEPTH, k)
    rankings: dict[str, list[tuple[str, float]]] = {}
    latencies = []
    if name != "bm25":
        embedder.encode(["warm-up"])  # loading the model is not a query's latency
    for qid, text in tqdm(dataset.queries, desc=f"Querying ({name})", unit="query", disable=not progress):
        started = time.perf_counter()
        wanted = 3 * depth
        while True:  # several passages of one document can fill the list: ask for more until `depth` documents
            hits = retriever.search(text, wanted)
            ranked = rank_documents(hits, documents, depth)
            if len(ranked) >= depth or len(hits) < wanted or wanted >= len(index.passages):
                break
            wanted *= 4
        latencies.append((time.perf_counter() - started) * 1000)
        rankings[qid] = ranked
    per_query = compute_metrics(dataset.qrels, {q: [d for d, _ in r] for q, r in rankings.items()}, k)
    ids = [qid for qid, _ in dataset.queries]
    metrics = {m: float(np.mean([per_query[q][m] for q in ids])) for m in metric_names(k)}
    metrics["latency_p50_ms"] = float(np.percentile(latencies, 50))
    metrics["latency_p95_ms"] = float(np.percentile(latencies, 95))
    return RetrieverRun(name, rankings, per_query, metrics, tuple(latencies))


def write_run(run: RetrieverRun, path: Path | str) -> None:
    """A TREC run file: ``qid Q0 docid rank score name``, top 100 documents per query."""
    with Path(path).open("w", encoding="utf-8") as handle:
        for qid, ranked in run.rankings.items():
            for rank, (doc, score) in enumerate(ranked[:DEPTH], start=1):
                # %.9g round-trips a float32 score, so re-scoring the file sees the same order.
                handle.write(f"{qid} Q0 {doc} {rank} {score:.9g} {run.name}\n")


# --- the whole evaluation ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evaluation:
    dataset: BeirDataset
    index: Index
    build: BuildReport
    k: int
    runs: dict[str, RetrieverRun]
    abstention: AbstentionRow | None = None
    embedder: Embedder | None = None  # what the queries were embedded with (the report re-scores a few)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``medquote eval --json``."""
        data: dict[str, Any] = {
            "dataset": self.dataset.name,
            "queries": len(self.dataset.queries),
            "retrievers": {name: {m: round(v, 6) for m, v in run.metrics.items()} for name, run in self.runs.items()},
            "unknown_qrels": self.dataset.unknown_qrels,
        }
        if self.abstention is not None:
            row = self.abstention
            data["abstention"] = {
                "threshold": row.threshold,
                "answerable": row.answerable,
                "answered_share": round(row.answered_share, 6),
                "unanswerable": row.unanswerable,
                "abstained_share": round(row.abstained_share, 6),
                "correct_share": None if row.correct_share is None else round(row.correct_share, 6),
            }
        return data


def evaluate(
    dataset_dir: Path | str,
    retrievers: Sequence[str] = ("default",),
    *,
    embedder: Embedder | None = None,
    model: Path | str | None = None,
    backend: str = DEFAULT_BACKEND,
    cache_dir: Path | str | None = None,
    k: int = 10,
    limit: int | None = None,
    unanswerable: Sequence[str] | None = None,
    topic: str = "",
    progress: bool = False,
    engine: EngineSpec = EMBEDDED,
) -> Evaluation:
    """Index the dataset (cached), run its judged queries through each retriever, and score them.

    ``embedder`` defaults to the packaged model (or ``model``) on ``backend``; ``unanswerable`` questions add the
    abstention report of the default ``Assistant``. Only the cache folder is written (and, with the Milvus
    ``engine``, a collection of the dataset's own).
    """
    unknown = [name for name in retrievers if name not in RETRIEVERS]
    if unknown or not retrievers:
        raise ValueError(f"unknown retriever(s) {', '.join(unknown)}; use {', '.join(RETRIEVERS)} or all")
    if limit is not None and limit < 1:
        raise ValueError(f"limit {limit}: give a positive number of queries")
    dataset = load_beir(dataset_dir).limited(limit)
    if embedder is None:
        embedder = make_embedder(backend, model, cache_dir=Path(cache_dir or EVAL_CACHE))
    index, report = prepare_index(dataset, embedder, cache_dir=cache_dir, topic=topic, progress=progress, engine=engine)
    runs = {name: run_retriever(name, index, embedder, dataset, k=k, progress=progress) for name in retrievers}
    abstention = None
    if unanswerable is not None:
        from medquote.answer.assistant import Assistant
        from medquote.retrieval.hybrid import HybridRetriever

        assistant = Assistant(HybridRetriever(index, embedder))
        answerable = [(text, dataset.relevant(qid)) for qid, text in dataset.queries]
        [abstention] = abstention_curve(
            assistant, answerable, unanswerable, [assistant.abstention.cut_for(assistant.index)], progress=progress
        )
    return Evaluation(dataset, index, report, k, runs, abstention, embedder)
