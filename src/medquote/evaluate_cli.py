"""``medquote eval`` and ``medquote medquad-to-beir``, and the evaluation's table, runs and report."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medquote.evaluate import Evaluation

__all__ = ["format_table", "register", "write_report"]

WORST = 20
# medquote.retrieve.RETRIEVERS and "all", spelled out to keep the retrieval stack out of `--help`.
RETRIEVER_CHOICES = ("bm25", "dense", "hybrid", "default", "all")


def register(commands: argparse._SubParsersAction) -> None:
    """Add the evaluation subcommands to the ``medquote`` parser (imports nothing heavy: ``--help`` stays instant)."""
    ev = commands.add_parser("eval", help="measure retrieval on a BEIR dataset (corpus, queries, qrels)")
    ev.add_argument("dataset", type=Path, help="folder with corpus.jsonl, queries.jsonl and qrels/test.tsv")
    ev.add_argument("--retriever", default="default", choices=RETRIEVER_CHOICES, help="default: default")
    ev.add_argument("--k", type=_positive, default=10, help="cutoff of nDCG, MRR and MAP (default 10)")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--save-run", type=Path, metavar="DIR", help="write NAME.trec run files here")
    ev.add_argument("--report", type=Path, metavar="DIR", help="write report.md and metrics.png here")
    ev.add_argument("--cache", type=Path, metavar="DIR", help="index cache (default .cache/medquote-eval)")
    ev.add_argument("--model", help="local sentence-transformers folder (default: packaged all-MiniLM-L6-v2)")
    ev.add_argument("--unanswerable", type=Path, metavar="FILE", help="questions the corpus cannot answer")
    ev.add_argument("--limit", type=_positive, metavar="N", help="only the first N judged queries")
    ev.add_argument("--topic", default="", help='what "this medicine" means in the questions')
    ev.set_defaults(handler=cmd_eval)

    mb = commands.add_parser("medquad-to-beir", help="write MedQuAD as a BEIR dataset (answers as corpus)")
    mb.add_argument("medquad", type=Path, help="MedQuAD folder (or one XML file)")
    mb.add_argument("out", type=Path, help="output folder")
    mb.add_argument("--sample", type=_positive, metavar="N", help="keep N questions, drawn with --seed")
    mb.add_argument("--seed", type=int, default=0)
    mb.add_argument("--sample-corpus", action="store_true", help="keep only the sampled questions' answers")
    mb.set_defaults(handler=cmd_medquad_to_beir)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value}: give a positive number")
    return number


def cmd_eval(args: argparse.Namespace) -> int:
    from medquote.beir import read_questions
    from medquote.evaluate import ALL_RETRIEVERS, evaluate, write_run

    names = ALL_RETRIEVERS if args.retriever == "all" else (args.retriever,)
    unanswerable = read_questions(args.unanswerable) if args.unanswerable else None
    result = evaluate(
        args.dataset, names, model=args.model, cache_dir=args.cache, k=args.k, limit=args.limit,
        unanswerable=unanswerable, topic=args.topic, progress=True,
    )  # fmt: skip
    if result.dataset.unknown_qrels:
        print(
            f"medquote: warning: {result.dataset.unknown_qrels} qrels name a query or document not in the "
            "dataset; they were ignored",
            file=sys.stderr,
        )
    if args.save_run:
        args.save_run.mkdir(parents=True, exist_ok=True)
        for run in result.runs.values():
            write_run(run, args.save_run / f"{run.name}.trec")
    if args.report:
        write_report(result, args.report)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(format_table(result))
        if args.save_run:
            print(f"Runs: {args.save_run}/")
        if args.report:
            print(f"Report: {args.report / 'report.md'}")
    return 0


def cmd_medquad_to_beir(args: argparse.Namespace) -> int:
    from medquote.beir import medquad_to_beir

    conversion = medquad_to_beir(
        args.medquad, args.out, sample=args.sample, seed=args.seed, sample_corpus=args.sample_corpus, progress=True
    )
    print(conversion.summary())
    return 0


def format_table(result: Evaluation, *, markdown: bool = False) -> str:
    """The per-retriever comparison, as aligned plain text or a Markdown table."""
    from medquote.evaluate import metric_names

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
        lines.append("")
    return lines


def _describe(source) -> str:  # noqa: ANN001 - a Source or None
    if source is None:
        return "(not in the index)"
    text = " ".join(source.text.split())
    snippet = text if len(text) <= 150 else text[:150].rsplit(" ", 1)[0] + " …"
    return f"**{source.title}**: {snippet}".replace("|", "\\|")


def _chart(result: Evaluation, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from medquote.evaluate import metric_names

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
