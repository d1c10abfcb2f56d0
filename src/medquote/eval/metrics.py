"""Retrieval metrics from ir_measures (trec_eval's definitions), per query and in our display order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from medquote.errors import missing_extra


def metric_names(k: int = 10) -> list[str]:
    """Reported metric names, in display order (k = 10 gives nDCG@10, MRR@10, MAP@10, ...)."""
    names = [f"nDCG@{k}", f"MRR@{k}", f"MAP@{k}", "Recall@1", "Recall@5", f"Recall@{k}", "Recall@100", "P@5"]
    return list(dict.fromkeys(names))


# Our metric names → ir_measures' measure names.
_LIBRARY_NAMES = {"nDCG": "nDCG", "MRR": "RR", "MAP": "AP", "Recall": "R", "P": "P"}


def _ir_measures() -> Any:
    try:
        import ir_measures
    except ImportError as exc:
        raise missing_extra("ir_measures", "eval", "medquote eval") from exc
    return ir_measures


def _measures(k: int) -> dict[str, Any]:
    ir_measures = _ir_measures()

    measures = {}
    for name in metric_names(k):
        family, cutoff = name.split("@")
        measures[name] = ir_measures.parse_measure(f"{_LIBRARY_NAMES[family]}@{cutoff}")
    return measures


def compute_metrics(
    qrels: Mapping[str, Mapping[str, int]], rankings: Mapping[str, Sequence[str]], k: int = 10
) -> dict[str, dict[str, float]]:
    """Per-query metrics of ranked document ids, for every query in ``qrels`` (0 when nothing was retrieved).

    ir_measures computes them with trec_eval's definitions: nDCG with linear gain (the graded score),
    the others count a score ≥ 1 as relevant, AP@k divides by all relevant documents, P@5 by 5. Its
    providers break score ties differently (trec_eval by doc id, the MS MARCO one by input order), so
    they are given strictly decreasing scores from the ranks: every metric sees exactly our order.
    """
    ir_measures = _ir_measures()

    measures = _measures(k)
    library_qrels = [ir_measures.Qrel(q, d, int(s)) for q, judged in qrels.items() for d, s in judged.items()]
    run = [
        ir_measures.ScoredDoc(q, doc, float(len(docs) - rank))
        for q, docs in rankings.items()
        if q in qrels
        for rank, doc in enumerate(docs)
    ]
    per_query = {q: dict.fromkeys(measures, 0.0) for q in qrels}
    name_of = {str(m): name for name, m in measures.items()}
    for metric in ir_measures.iter_calc(list(measures.values()), library_qrels, run):
        if metric.query_id in per_query:
            per_query[metric.query_id][name_of[str(metric.measure)]] = float(metric.value)
    return per_query
