"""Answer quality on consumer question sets for the default corpus (issue 11's measure).

    .venv/bin/python benchmarks/answers.py [--set tests/data/dev/consumer_dev] [--frozen]

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
from medquote.eval.answers import evaluate_answers, load_consumer_set
from medquote.index.build import build_index
from medquote.index.embed import make_embedder
from medquote.index.store import load_index
from medquote.retrieval.hybrid import HybridRetriever

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests/data/dev/consumer_dev"
FROZEN = ROOT / "tests/data/frozen/consumer_qa"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", dest="sets")
    parser.add_argument("--frozen", action="store_true", help="also the frozen set (only for a final measure)")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache/answers-index")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    embedder = make_embedder(cache_dir=args.cache / "cache", threads=1)
    build_index(ROOT / "corpus", args.cache, embedder)
    assistant = Assistant(HybridRetriever(load_index(args.cache, model_name=embedder.name), embedder))
    sets = list(args.sets or [DEV]) + ([FROZEN] if args.frozen else [])
    for folder in sets:
        result = evaluate_answers(assistant, load_consumer_set(folder))
        out = ROOT / "benchmarks/results" / f"answers_{folder.name}.json"
        out.write_text(json.dumps({"summary": result.summary, "failures": result.failures()}, indent=2) + "\n")
        print(folder.name, json.dumps(result.summary))
        if not args.quiet:
            for kind, texts in result.failures().items():
                for text in texts:
                    print(f"  {kind}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
