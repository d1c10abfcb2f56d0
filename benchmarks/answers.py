"""Answer quality on consumer question sets for the default corpus (issue 11's measure).

    .venv/bin/python benchmarks/answers.py [--set data/consumer_dev] [--frozen] [--no-reader]
    .venv/bin/python benchmarks/answers.py --open tests/data/frozen/open_consumer --medquad-index DIR

Builds the default corpus (corpus/) with the packaged model into a cache folder, asks every question
through ``Assistant.answer`` (follow-ups after the question they follow) and judges the quotes against
the verbatim spans of the set (``medquote.eval.answers``). Tuning happens on the dev set only;
``--frozen`` adds tests/data/frozen/consumer_qa, to be run once a change is final. Writes
benchmarks/results/answers_<set>.json with every failure listed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medquote.answer.assistant import Assistant
from medquote.embed.registry import make_embedder
from medquote.eval.answers import (
    AnswerEvaluation,
    evaluate_answers,
    evaluate_open,
    full_question_rewrites,
    load_consumer_set,
)
from medquote.index.build import build_index

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data/consumer_dev"
FROZEN = ROOT / "tests/data/frozen/consumer_qa"


def per_question(result: AnswerEvaluation) -> list[dict]:
    """Every question with what it got: the per-question file of a measurement."""
    return [
        {"id": r.question.id, "type": r.question.type, "style": r.question.style, "text": r.question.text,
         "status": str(r.answer.status), "previous": list(r.question.previous),
         "searched_as": r.answer.searched_as, "grades": list(r.grades), "highlight": r.highlight,
         "first_quote": r.answer.quotes[0].text[:160] if r.answer.quotes else None}
        for r in result.rows
    ]  # fmt: skip


def report(result: AnswerEvaluation, name: str, quiet: bool) -> None:
    out = ROOT / "benchmarks/results" / f"answers_{name}.json"
    data = {"summary": result.summary, "failures": result.failures(), "questions": per_question(result)}
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(name, json.dumps(result.summary))
    if not quiet:
        for kind, texts in result.failures().items():
            for text in texts:
                print(f"  {kind}: {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", dest="sets")
    parser.add_argument("--frozen", action="store_true", help="also the frozen set (only for a final measure)")
    parser.add_argument("--open", type=Path, action="append", default=[], help="an open-corpus set (by answer id)")
    parser.add_argument("--medquad-index", type=Path, help="the MedQuAD index the --open sets are asked on")
    parser.add_argument("--no-reader", action="store_true", help="answer without the reader (the rules before it)")
    parser.add_argument("--suffix", default="", help="added to each result file's name")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache/answers-index")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    reader = not args.no_reader
    sets = list(args.sets or ([] if args.open else [DEV])) + ([FROZEN] if args.frozen else [])
    if sets:
        embedder = make_embedder(cache_dir=args.cache / "cache", threads=1)
        build_index(ROOT / "corpus", args.cache, embedder)
        assistant = Assistant.from_index(args.cache, reader=reader)
        for folder in sets:
            dataset = load_consumer_set(folder)
            result = evaluate_answers(assistant, dataset)
            rewrites = full_question_rewrites(dataset, assistant.names, assistant.topic)
            result.summary["full_questions_rewritten_after_the_one_before"] = len(rewrites)
            report(result, folder.name + args.suffix, args.quiet)
            for text in rewrites if not args.quiet else ():
                print(f"  full question rewritten: {text}")
    if args.open:
        assistant = Assistant.from_index(args.medquad_index, reader=reader)
        for folder in args.open:
            report(evaluate_open(assistant, folder), folder.name + args.suffix, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
