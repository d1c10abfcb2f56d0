"""Train the single-topic reranker (medquote.retrieval.rerank) on consumer questions with graded spans.

    .venv/bin/python -m medquote.training.rerank

For every answerable question of the dev and training consumer sets (data/consumer_dev,
data/consumer_train; follow-ups read with the question before, as the assistant reads them):
the default retriever's first ``DEPTH`` candidates in fused order, each labelled by whether it covers a
judged span graded ≥ 1 (as benchmarks/answers.py judges a quote). A logistic regression over
``medquote.retrieval.rerank.COLUMNS`` (standardised) estimates the chance a candidate answers. Reported:
how often the first candidate answers in the fused order and after reranking, 10-fold cross-validated by
question; then the model is fitted on every question and written to src/medquote/models/rerank/model.json.
Never a frozen evaluation set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medquote.answer.assistant import Assistant
from medquote.answer.conversation import Conversation
from medquote.embed.registry import make_embedder
from medquote.engines.registry import load_index
from medquote.eval.answers import load_consumer_set, locate, passage_grade
from medquote.index.build import build_index
from medquote.models.files import record
from medquote.retrieval.hybrid import DEFAULT_WEIGHTS, HybridRetriever
from medquote.retrieval.rerank import COLUMNS, Reranker, candidate_features

ROOT = Path(__file__).resolve().parents[3]  # the checkout: src/medquote/training/
SETS = ("data/consumer_dev", "data/consumer_train")
DEPTH, FOLDS, C = 20, 10, 0.1


def candidate_rows(assistant: Assistant, folders: list[Path]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels and question keys of every answerable question's first candidates (fused order)."""
    index, retriever = assistant.index, assistant.retriever
    rows, labels, groups = [], [], []
    for folder in folders:
        dataset = load_consumer_set(folder)
        for question in dataset.questions:
            if question.type != "answerable":
                continue
            text = question.text
            if question.previous:
                earlier = Conversation.of(question.previous, assistant.names, assistant.topic)
                text = earlier.rewrite(text, assistant.names, assistant.topic) or text
            scored = retriever.score(text)
            top = np.argsort(-scored.fused, kind="stable")[:DEPTH]
            spans = locate(index, dataset.judgements.get(question.id, ()))
            rows.append(candidate_features(index, scored.rows, scored.fused, scored.cosine, scored.contributions, top))
            labels += [passage_grade(index.passages[int(scored.rows[p])], spans) >= 1 for p in top]
            groups += [f"{folder.name}/{question.id}"] * len(top)
    return np.vstack(rows), np.array(labels, dtype=int), np.array(groups)


def first_right(scores: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> float:
    """The share of questions whose best-scored candidate answers."""
    return float(np.mean([labels[groups == q][np.argmax(scores[groups == q])] for q in np.unique(groups)]))


def fit(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    return LogisticRegression(C=C, max_iter=3000).fit((x - mean) / scale, y), mean, scale


def cross_validated(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    predicted = np.zeros(len(x))
    questions = np.random.default_rng(0).permutation(np.unique(groups))
    for fold in np.array_split(questions, FOLDS):
        test = np.isin(groups, fold)
        model, mean, scale = fit(x[~test], y[~test])
        predicted[test] = model.predict_proba((x[test] - mean) / scale)[:, 1]
    return predicted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache/answers-index")
    parser.add_argument("--out", type=Path, default=ROOT / "src/medquote/models/rerank/model.json")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks/results/rerank_train.json")
    args = parser.parse_args(argv)
    embedder = make_embedder(cache_dir=args.cache / "cache", threads=1)
    build_index(ROOT / "corpus", args.cache, embedder)
    retriever = HybridRetriever(load_index(args.cache, model_name=embedder.name), embedder, rerank=False)
    x, y, groups = candidate_rows(Assistant(retriever), [ROOT / folder for folder in SETS])
    fused = x[:, COLUMNS.index("fused")]
    results = {
        "sets": list(SETS),
        "questions": len(np.unique(groups)),
        "candidates_each": DEPTH,
        "C": C,
        "first_answers_fused": round(first_right(fused, y, groups), 4),
        "first_answers_reranked_out_of_fold": round(first_right(cross_validated(x, y, groups), y, groups), 4),
    }
    print(json.dumps(results), flush=True)
    model, mean, scale = fit(x, y)
    reranker = Reranker(
        tuple(float(c) for c in model.coef_[0]),
        float(model.intercept_[0]),
        tuple(float(m) for m in mean),
        tuple(float(s) for s in scale),
        DEPTH,
        dict(DEFAULT_WEIGHTS.values),
        results,
    )
    reranker.save(args.out)
    record(args.out)  # manifest.json beside it: the file's sha256, checked when loaded
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
