"""``medquote eval``, ``medquote medquad-to-beir`` and ``medquote report``: their arguments and handlers.

Registered by ``medquote.cli``; everything heavy is imported inside the handlers, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from medquote.engines.options import add_engine_options, engine_spec
from medquote.options import whole_number
from medquote.settings import (
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_RETRIEVER,
    EVAL_CACHE,
    FEEDBACK_PATH,
    INDEX_DIR,
    RETRIEVERS,
)

__all__ = ["register"]

RETRIEVER_CHOICES = (*RETRIEVERS, "all")


def register(commands: argparse._SubParsersAction) -> None:
    """Add the evaluation subcommands to the ``medquote`` parser (imports nothing heavy: ``--help`` stays instant)."""
    ev = commands.add_parser("eval", help="measure retrieval on a BEIR dataset (corpus, queries, qrels)")
    ev.add_argument("dataset", type=Path, help="folder with corpus.jsonl, queries.jsonl and qrels/test.tsv")
    ev.add_argument("--retriever", default=DEFAULT_RETRIEVER, choices=RETRIEVER_CHOICES, help="default: %(default)s")
    ev.add_argument("--k", type=whole_number(1), default=10, help="cutoff of nDCG, MRR and MAP (default 10)")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--save-run", type=Path, metavar="DIR", help="write NAME.trec run files here")
    ev.add_argument("--report", type=Path, metavar="DIR", help="write report.md and metrics.png here")
    ev.add_argument("--cache", type=Path, default=EVAL_CACHE, metavar="DIR", help="index cache (default %(default)s)")
    ev.add_argument("--model", help="local sentence-transformers folder (default: packaged all-MiniLM-L6-v2)")
    ev.add_argument("--backend", choices=BACKENDS, default=DEFAULT_BACKEND, help="default: %(default)s")
    ev.add_argument("--unanswerable", type=Path, metavar="FILE", help="questions the corpus cannot answer")
    ev.add_argument("--limit", type=whole_number(1), metavar="N", help="only the first N judged queries")
    ev.add_argument("--topic", default="", help='what "this medicine" means in the questions')
    add_engine_options(ev)
    ev.set_defaults(handler=cmd_eval)

    mb = commands.add_parser("medquad-to-beir", help="write MedQuAD as a BEIR dataset (answers as corpus)")
    mb.add_argument("medquad", type=Path, help="MedQuAD folder (or one XML file)")
    mb.add_argument("out", type=Path, help="output folder")
    mb.add_argument("--sample", type=whole_number(1), metavar="N", help="keep N questions, drawn with --seed")
    mb.add_argument("--seed", type=int, default=0)
    mb.add_argument("--sample-corpus", action="store_true", help="keep only the sampled questions' answers")
    mb.set_defaults(handler=cmd_medquad_to_beir)

    review = "one HTML page: a build's quality gate, changed answers, flagged replies"
    report = commands.add_parser("report", help=review)
    report.add_argument("--index", type=Path, default=INDEX_DIR)
    report.add_argument("--build", metavar="VERSION", help="the build whose gate report to show (default: newest)")
    report.add_argument("--feedback", type=Path, default=FEEDBACK_PATH, help="the feedback file `serve` appends to")
    report.add_argument("--out", type=Path, help="where to write the page (default: INDEX/reports/VERSION.html)")
    report.set_defaults(handler=cmd_report)


def cmd_eval(args: argparse.Namespace) -> int:
    from medquote.eval.beir import read_questions
    from medquote.eval.report import format_table, write_report
    from medquote.eval.runs import evaluate, write_run

    names = RETRIEVERS if args.retriever == "all" else (args.retriever,)
    unanswerable = read_questions(args.unanswerable) if args.unanswerable else None
    result = evaluate(
        args.dataset, names, model=args.model, backend=args.backend, cache_dir=args.cache, k=args.k, limit=args.limit,
        unanswerable=unanswerable, topic=args.topic, progress=True, engine=engine_spec(args),
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
    from medquote.eval.medquad_to_beir import medquad_to_beir

    conversion = medquad_to_beir(
        args.medquad, args.out, sample=args.sample, seed=args.seed, sample_corpus=args.sample_corpus, progress=True
    )
    print(conversion.summary())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from medquote.eval.review import find_report, write_review

    path = find_report(args.index, args.build)
    out = write_review(path, args.feedback, args.out or path.with_suffix(".html"))
    print(f"review page written to {out}; open it in a browser")
    return 0
