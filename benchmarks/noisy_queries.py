"""Make a noisy, consumer-style copy of a BEIR dataset's queries (same corpus and qrels).

    .venv/bin/python benchmarks/noisy_queries.py IN_DATASET OUT_DATASET [--seed 5]

MedQuAD's questions are templated ("What are the symptoms of X ?"); real people write "hi, my son
has X, what signs should i look for", with typos and lower case. Each query gets, deterministically:
  - a rephrasing of its template into consumer wording (when it has a known template),
  - lower case and no final question mark (half the time),
  - one or two typos (adjacent letters swapped, or a letter dropped) in words of 5+ letters,
  - a greeting or context prefix (a third of the time).
The corpus file is linked (not copied) and qrels are copied unchanged.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

# (MedQuAD template, consumer rephrasings); {x} is the focus.
TEMPLATES = [
    (
        r"^What are the symptoms of (?P<x>.+?) \?$",
        ["what signs should i look for with {x}", "how do i know if i have {x}", "{x} symptoms?"],
    ),
    (
        r"^What are the treatments for (?P<x>.+?) \?$",
        ["how is {x} treated", "what can be done for {x}", "is there a cure or treatment for {x}"],
    ),
    (r"^What causes (?P<x>.+?) \?$", ["why do people get {x}", "what is the cause of {x}"]),
    (
        r"^How to diagnose (?P<x>.+?) \?$",
        ["what tests are used to find out if someone has {x}", "how do doctors check for {x}"],
    ),
    (r"^Is (?P<x>.+?) inherited \?$", ["does {x} run in families", "can {x} be passed from parent to child"]),
    (r"^How many people are affected by (?P<x>.+?) \?$", ["how common is {x}", "how rare is {x}"]),
    (
        r"^What are the genetic changes related to (?P<x>.+?) \?$",
        ["what gene mutations cause {x}", "which genes are involved in {x}"],
    ),
    (r"^What is the outlook for (?P<x>.+?) \?$", ["what is the prognosis for {x}", "will someone with {x} get better"]),
    (r"^Who is at risk for (?P<x>.+?)\?? \?$", ["who is likely to get {x}", "what are the risk factors for {x}"]),
    (r"^How to prevent (?P<x>.+?) \?$", ["can {x} be prevented", "how can i avoid getting {x}"]),
    (r"^What is \(are\) (?P<x>.+?) \?$", ["what is {x}", "can you explain what {x} is", "tell me about {x}"]),
]
PREFIXES = ["hi, quick question: ", "hello! ", "my doctor mentioned this. ", "sorry if this is silly but ",
            "asking for my mom - "]  # fmt: skip


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def noisy(question: str, rng: random.Random) -> str:
    text = question.strip()
    for pattern, rewrites in TEMPLATES:
        match = re.match(pattern, text, flags=re.IGNORECASE)
        if match:
            text = rng.choice(rewrites).format(x=match.group("x").strip())
            break
    if rng.random() < 0.5:
        text = text.lower().rstrip(" ?")
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in rng.sample(long_words, min(len(long_words), rng.choice([1, 1, 2]))):
        words[i] = typo(words[i], rng)
    text = " ".join(words)
    if rng.random() < 1 / 3:
        text = rng.choice(PREFIXES) + text
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    (args.target / "qrels").mkdir(parents=True, exist_ok=True)
    corpus = args.target / "corpus.jsonl"
    if not corpus.exists():
        corpus.symlink_to((args.source / "corpus.jsonl").resolve())
    shutil.copyfile(args.source / "qrels" / "test.tsv", args.target / "qrels" / "test.tsv")
    with (
        (args.source / "queries.jsonl").open(encoding="utf-8") as source,
        (args.target / "queries.jsonl").open("w", encoding="utf-8") as target,
    ):
        for line in source:
            if line.strip():
                query = json.loads(line)
                query["text"] = noisy(query["text"], rng)
                target.write(json.dumps(query, ensure_ascii=False) + "\n")
    print(f"wrote noisy queries to {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
