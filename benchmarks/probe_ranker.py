"""Probe (issue 11): would a learned ranker over the candidates' features beat the fused order?

    .venv/bin/python benchmarks/probe_ranker.py [--set tests/data/dev/consumer_dev] [--index index]

For every answerable question of a consumer set: the default retriever's top 20 candidates, each labelled
by whether it covers a judged span graded ≥ 1 (as benchmarks/answers.py judges a quote). Compares how often
the first candidate is right in the fused order with a logistic regression and a gradient-boosted model
over the same features (each feature's contribution, the fused score, its gap to the best, the rank, the
cosine, the passage length), 10-fold cross-validated by question. Never run it on a frozen set.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from medquote.answer.assistant import Assistant  # noqa: E402
from medquote.answer.followup import is_follow_up, with_subject  # noqa: E402
from medquote.eval.answers import JudgedSpan, load_consumer_set, locate  # noqa: E402
from medquote.records import Passage  # noqa: E402
from medquote.safety.checks import clean_question  # noqa: E402

DEPTH, FOLDS = 20, 10


def covers(passage: Passage, spans: list[JudgedSpan]) -> bool:
    for span in spans:
        overlap = min(span.end, passage.end) - max(span.start, passage.start)
        shorter = min(span.end - span.start, passage.end - passage.start)
        if span.source_id == passage.source_id and overlap > 0 and overlap >= 0.5 * shorter:
            return True
    return False


def candidate_rows(assistant: Assistant, folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels and question ids of every answerable question's top candidates."""
    dataset = load_consumer_set(folder)
    index, retriever = assistant.index, assistant.retriever
    rows, labels, groups = [], [], []
    for question in dataset.questions:
        if question.type != "answerable":
            continue
        text = question.text
        if question.previous and is_follow_up(text, assistant.names):
            text = with_subject(text, clean_question(question.previous)[0])
        scored = retriever.score(text)
        spans = locate(index, dataset.judgements.get(question.id, ()))
        order = scored.order()[:DEPTH]
        best = scored.fused[order[0]]
        for rank, position in enumerate(order):
            passage = index.passages[int(scored.rows[position])]
            contributions = [scored.contributions[name][position] for name in sorted(scored.contributions)]
            extra = [scored.fused[position], scored.fused[position] - best, rank, scored.cosine[position]]
            rows.append([*contributions, *extra, len(passage.text.split())])
            labels.append(covers(passage, spans))
            groups.append(question.id)
    return np.array(rows, dtype=np.float64), np.array(labels, dtype=int), np.array(groups)


def first_right(scores: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> float:
    questions = np.unique(groups)
    return float(np.mean([labels[groups == q][np.argmax(scores[groups == q])] for q in questions]))


def cross_validated(make, x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    predicted = np.zeros(len(x))
    questions = np.random.default_rng(0).permutation(np.unique(groups))
    for fold in np.array_split(questions, FOLDS):
        test = np.isin(groups, fold)
        mean, scale = x[~test].mean(axis=0), x[~test].std(axis=0) + 1e-9
        model = make().fit((x[~test] - mean) / scale, y[~test])
        predicted[test] = model.predict_proba((x[test] - mean) / scale)[:, 1]
    return predicted


def main(argv: list[str] | None = None) -> int:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=ROOT / "tests/data/dev/consumer_dev")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    args = parser.parse_args(argv)
    if "frozen" in args.set.parts:
        parser.error("a frozen set is only measured, never probed")
    x, y, groups = candidate_rows(Assistant.from_index(args.index), args.set)
    fused = x[:, len(x[0]) - 5]  # the fused score: first of the extra columns
    print(f"{len(np.unique(groups))} questions, {len(x)} candidates, {int(y.sum())} that answer")
    print(f"first candidate answers: fused order {first_right(fused, y, groups):.3f}")
    models = {
        "logistic regression": lambda: LogisticRegression(max_iter=2000),
        "gradient boosting": lambda: HistGradientBoostingClassifier(max_depth=3, max_iter=150, learning_rate=0.05),
    }
    for name, make in models.items():
        print(f"first candidate answers: {name} {first_right(cross_validated(make, x, y, groups), y, groups):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
