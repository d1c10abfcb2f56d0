"""Train the answerability model ("not found" or quotes) and choose its operating point.

    .venv/bin/python benchmarks/train_abstain.py

Labelled questions on the default corpus: the dev consumer set (tests/data/dev/consumer_dev: answerable
vs on-topic unanswerable and off-topic; follow-ups searched with the question they follow) and the seed
sets (tests/data/seed_eval queries vs tests/data/seed_unanswerable.txt). Never tests/data/frozen/.
Logistic regression over medquote.answer.abstain.FEATURES; the operating point is chosen on out-of-fold
predictions (5 folds) to minimise LOOSE_COST × (unanswerable questions given quotes) + (answerable
questions given "not found"): a loose quote is worse than "not found". Writes
src/medquote/data/abstain_model.json and benchmarks/results/abstain_train.json (with the
precision/coverage curve) and abstain_curve.png.
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

from medquote.answer.abstain import FEATURES, AnswerabilityModel, answerability
from medquote.answer.followup import with_subject
from medquote.eval.answers import load_consumer_set
from medquote.eval.beir import load_beir, read_questions
from medquote.index.build import build_index
from medquote.index.embed import SentenceTransformerEmbedder
from medquote.index.store import load_index
from medquote.retrieval.hybrid import HybridRetriever

ROOT = Path(__file__).resolve().parents[1]
LOOSE_COST = 3.0
C = 10.0


def questions() -> list[tuple[str, bool]]:
    """(question as searched, answerable) for every labelled question."""
    dev = load_consumer_set(ROOT / "tests/data/dev/consumer_dev")
    texts = {q.id: q.text for q in dev.questions}
    rows = [
        (with_subject(q.text, texts[q.follow_up_of]) if q.follow_up_of else q.text, q.type == "answerable")
        for q in dev.questions
    ]
    rows += [(text, True) for _, text in load_beir(ROOT / "tests/data/seed_eval").queries]
    rows += [(text, False) for text in read_questions(ROOT / "tests/data/seed_unanswerable.txt")]
    return rows


def curve(p: np.ndarray, y: np.ndarray) -> list[dict[str, float]]:
    """For each threshold: coverage (answerable given quotes), loose (unanswerable given quotes), precision."""
    points = []
    for t in np.round(np.arange(0.05, 0.96, 0.025), 3):
        answered = p >= t
        points.append({
            "threshold": float(t),
            "coverage": float(answered[y].mean()),
            "loose": float(answered[~y].mean()),
            "precision": float(y[answered].mean()) if answered.any() else 1.0,
        })  # fmt: skip
    return points


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache/answers-index")
    parser.add_argument("--out", type=Path, default=ROOT / "src/medquote/data/abstain_model.json")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks/results/abstain_train.json")
    args = parser.parse_args(argv)
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    embedder = SentenceTransformerEmbedder(threads=1)
    build_index(ROOT / "corpus", args.cache, embedder)
    retriever = HybridRetriever(load_index(args.cache, model_name=embedder.name), embedder)
    baseline = retriever.signals.baseline()
    labelled = questions()
    x = np.array(
        [[f[name] for name in FEATURES] for f in
         (answerability(retriever.index, text, retriever.score(text), baseline) for text, _ in labelled)]
    )  # fmt: skip
    y = np.array([answerable for _, answerable in labelled])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    out_of_fold = cross_val_predict(LogisticRegression(C=C, max_iter=2000), x, y, cv=folds, method="predict_proba")[
        :, 1
    ]
    points = curve(out_of_fold, y)
    chosen = min(points, key=lambda pt: LOOSE_COST * pt["loose"] + (1 - pt["coverage"]))
    final = LogisticRegression(C=C, max_iter=2000).fit(x, y)
    model = AnswerabilityModel(
        coef=tuple(float(c) for c in final.coef_[0]),
        intercept=float(final.intercept_[0]),
        threshold=chosen["threshold"],
        model_name=embedder.name,
        meta={
            "questions": len(y),
            "answerable": int(y.sum()),
            "loose_cost": LOOSE_COST,
            "C": C,
            "out_of_fold_at_threshold": chosen,
        },  # fmt: skip
    )
    model.save(args.out)
    results = {"features": list(FEATURES), "chosen": chosen, "curve": points, **model.meta}
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _chart(points, chosen, args.results.with_name("abstain_curve.png"))
    print(json.dumps(chosen))
    return 0


def _chart(points: list[dict[str, float]], chosen: dict[str, float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5.5, 4))
    axes.plot([p["coverage"] for p in points], [1 - p["loose"] for p in points], marker=".")
    axes.scatter(
        [chosen["coverage"]], [1 - chosen["loose"]], color="red", zorder=3, label=f"chosen (t = {chosen['threshold']})"
    )
    axes.set_xlabel("answerable questions given quotes")
    axes.set_ylabel('unanswerable questions given "not found"')
    axes.set_title("Answerability, out-of-fold (default corpus)")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
