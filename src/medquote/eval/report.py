"""The evaluation as a table (terminal or Markdown), and ``report.md`` with a chart and the worst queries."""

from __future__ import annotations

from pathlib import Path

from medquote.errors import missing_extra
from medquote.eval.metrics import metric_names
from medquote.eval.runs import Evaluation
from medquote.records import Source
from medquote.retrieval.hybrid import HybridRetriever
from medquote.retrieval.registry import make_retriever

WORST = 20


def format_table(result: Evaluation, *, markdown: bool = False) -> str:
    """The per-retriever comparison, as aligned plain text or a Markdown table."""
    header = ["retriever", *metric_names(result.k), "p50 ms", "p95 ms"]
    rows = []
    for name, run in result.runs.items():
        values = [f"{run.metrics[m]:.3f}" for m in metric_names(result.k)]
        values += [f"{run.metrics['latency_p50_ms']:.1f}", f"{run.metrics['latency_p95_ms']:.1f}"]
        rows.append([name, *values])
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    dataset = result.dataset
    title = f"{dataset.name}: {len(dataset.queries)} queries, {dataset.documents} documents"
    lines = [title, ""] + ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in
                                     enumerate(zip(row, widths, strict=True))) for row in [header, *rows]]  # fmt: skip
    if result.abstention is not None:
        a = result.abstention
        lines += [
            "",
            f"Abstention at threshold {a.threshold:.2f}: answered {a.answered_share:.1%} of {a.answerable} "
            f"answerable questions, abstained on {a.abstained_share:.1%} of {a.unanswerable} unanswerable ones",
        ]
    return "\n".join(lines)


def write_report(result: Evaluation, directory: Path) -> Path:
    """``report.md`` with the comparison table, ``metrics.png``, and the worst queries of one retriever."""
    directory.mkdir(parents=True, exist_ok=True)
    _chart(result, directory / "metrics.png")
    dataset = result.dataset
    lines = [
        f"# Retrieval evaluation: {dataset.name}",
        "",
        f"{len(dataset.queries)} queries, {dataset.documents} documents, index {result.index.version} "
        f"(model {result.index.model_name}); {dataset.unknown_qrels} qrels naming unknown queries or "
        f"documents ignored.",
        "",
        format_table(result, markdown=True),
        "",
        "![Metrics by retriever](metrics.png)",
        "",
    ]
    if result.abstention is not None:
        a = result.abstention
        lines += [
            f"Abstention (threshold {a.threshold:.2f}): answered {a.answered_share:.1%} of {a.answerable} "
            f"answerable questions; abstained on {a.abstained_share:.1%} of {a.unanswerable} unanswerable ones.",
            "",
        ]
    lines += _worst_queries(result)
    path = directory / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _worst_queries(result: Evaluation) -> list[str]:
    name = "default" if "default" in result.runs else next(iter(result.runs))
    run = result.runs[name]
    ndcg = f"nDCG@{result.k}"
    documents = {source.key: source for source in result.index.sources.values()}
    texts = dict(result.dataset.queries)

    def first_relevant(qid: str) -> int:
        judged = result.dataset.qrels[qid]
        ranks = [r for r, (doc, _) in enumerate(run.rankings[qid], start=1) if judged.get(doc, 0) > 0]
        return ranks[0] if ranks else 1_000_000  # never found: worst

    worst = sorted(texts, key=lambda q: (run.per_query[q][ndcg], -first_relevant(q)))[:WORST]
    lines = [f"## The {len(worst)} worst queries ({name} retriever)", ""]
    retriever = make_retriever(name, result.index, result.embedder) if result.embedder is not None else None
    for qid in worst:
        found = first_relevant(qid)
        where = f"first relevant at rank {found}" if found < 1_000_000 else "no relevant document retrieved"
        lines += [f"### {qid}: {texts[qid]}", "", f"{ndcg} {run.per_query[qid][ndcg]:.3f}, {where}.", "", "Top 5:", ""]
        for rank, (doc, score) in enumerate(run.rankings[qid][:5], start=1):
            grade = result.dataset.qrels[qid].get(doc)
            mark = f" **(relevant, {grade})**" if grade else ""
            lines.append(f"{rank}. `{doc}` ({score:.3f}){mark} {_describe(documents.get(doc))}")
        lines += ["", "Relevant:", ""]
        for doc, grade in sorted(result.dataset.qrels[qid].items(), key=lambda item: -item[1]):
            if grade > 0:
                lines.append(f"- `{doc}` (grade {grade}) {_describe(documents.get(doc))}")
        if isinstance(retriever, HybridRetriever):
            lines += ["", *_contributions(retriever, result, qid, texts[qid])]
        lines.append("")
    return lines


def _contributions(retriever: HybridRetriever, result: Evaluation, qid: str, text: str, top: int = 5) -> list[str]:
    """Why the best passages ranked where they did: each feature's weighted contribution."""
    scored = retriever.score(text)
    names = list(scored.contributions)
    judged = result.dataset.qrels[qid]
    lines = [
        "Why (weighted feature contributions of the best passages):",
        "",
        "| rank | document | fused | " + " | ".join(names) + " |",
        "|" + "---|" * (len(names) + 3),
    ]
    for rank, position in enumerate(scored.order()[:top], start=1):
        passage = result.index.passages[int(scored.rows[position])]
        doc = result.index.sources[passage.source_id].key
        mark = f" ({judged[doc]})" if judged.get(doc) else ""
        cells = " | ".join(f"{scored.contributions[name][position]:+.3f}" for name in names)
        lines.append(f"| {rank} | `{doc}`{mark} | {scored.fused[position]:.3f} | {cells} |")
    return lines


def _describe(source: Source | None) -> str:
    if source is None:
        return "(not in the index)"
    text = " ".join(source.text.split())
    snippet = text if len(text) <= 150 else text[:150].rsplit(" ", 1)[0] + " …"
    return f"**{source.title}**: {snippet}".replace("|", "\\|")


def _chart(result: Evaluation, path: Path) -> None:
    try:
        import matplotlib
    except ImportError as exc:
        raise missing_extra("matplotlib", "eval", "the evaluation report's chart") from exc

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = metric_names(result.k)
    x = np.arange(len(names))
    width = 0.8 / max(len(result.runs), 1)
    figure, axes = plt.subplots(figsize=(10, 4.5))
    for i, (retriever, run) in enumerate(result.runs.items()):
        axes.bar(x + i * width - 0.4 + width / 2, [run.metrics[m] for m in names], width, label=retriever)
    axes.set_xticks(x, names)
    axes.set_ylim(0, 1)
    axes.set_ylabel("score")
    axes.set_title(f"{result.dataset.name}: {len(result.dataset.queries)} queries")
    axes.legend()
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
