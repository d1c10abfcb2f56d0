"""Train the answerability models ("not found" or quotes) and choose their operating points.

    .venv/bin/python -m medquote.training.abstain

Two regimes (medquote.answer.abstain.AnswerabilityModel), each a logistic regression over
medquote.answer.abstain.FEATURES:

- ``topic`` (a corpus all about one subject): the default corpus with the dev and training consumer sets
  (data/consumer_dev, data/consumer_train: answerable vs on-topic unanswerable and
  off-topic; follow-ups searched with the question they follow) and the seed sets (tests/data/seed_eval
  vs seed_unanswerable.txt);
- ``open`` (many subjects): MedQuAD with every answer indexed; dev questions (outside the benchmark's
  2,000-question test sample) as answerable, and the same questions with every answer of their MedQuAD
  file (their subject) taken out of the candidates as unanswerable — only with ``--open-regression``:
  MedQuAD files overlap (a disease has answers from GARD, GHR and MedlinePlus), so these negatives are
  often still answered, and the fitted regression (out of fold: 47 % answered at 14 % loose; with only
  the answer itself taken out, it chose to answer nothing) lost to the rule the open regime keeps: best
  cosine ≥ 0.55 and a content word among the best three passages.

Never a frozen evaluation set nor tests/data/medquad_unanswerable.txt (the MedQuAD abstention test set). Each
operating point is chosen on out-of-fold predictions (5 folds, the curve averaged over 10 shuffles) to
minimise LOOSE_COST × (unanswerable questions given quotes) + (answerable questions given "not found"):
a loose quote is worse than "not found". Writes src/medquote/models/abstain/model.json,
benchmarks/results/abstain_train.json (with the precision/coverage curves) and abstain_curve.png.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medquote.answer.abstain import FEATURES, AnswerabilityModel, Regime, answerability
from medquote.answer.conversation import Conversation
from medquote.embed.registry import make_embedder
from medquote.engines.registry import load_index
from medquote.eval.answers import load_consumer_set
from medquote.eval.beir import load_beir, read_questions
from medquote.eval.corpus import prepare_index
from medquote.eval.documents import passage_documents
from medquote.eval.medquad_to_beir import medquad_to_beir
from medquote.index.build import build_index
from medquote.models.files import record
from medquote.retrieval.hybrid import HybridRetriever, Scored

ROOT = Path(__file__).resolve().parents[3]  # the checkout: src/medquote/training/
LOOSE_COST = 3.0
C = 10.0
REPEATS = 10
TEST_SAMPLE, TEST_SEED = 2000, 7  # benchmarks/eval.py's MedQuAD test sample, left out
# The open regime's rule: the cosine threshold calibrated on MedQuAD before the regressions.
OPEN_MIN_COSINE = 0.55


# Labelled consumer sets on the default corpus the regression learns from (never a frozen one).
TOPIC_SETS = ("data/consumer_dev", "data/consumer_train")


NAMES = ("klonopin", "clonazepam", "rivotril")  # the default corpus's topic and its synonyms


def searched_as(text: str, previous: tuple[str, ...]) -> str:
    """A question as the assistant searches it after the chat's earlier questions."""
    return Conversation.of(previous, NAMES, "Klonopin").rewrite(text, NAMES, "Klonopin") or text


def topic_questions() -> list[tuple[str, bool]]:
    """(question as searched, answerable) for every labelled question on the default corpus."""
    rows = []
    for folder in TOPIC_SETS:
        if not (ROOT / folder).is_dir():
            continue
        labelled = load_consumer_set(ROOT / folder)
        rows += [(searched_as(q.text, q.previous), q.type == "answerable") for q in labelled.questions]
    rows += [(text, True) for _, text in load_beir(ROOT / "tests/data/seed_eval").queries]
    rows += [(text, False) for text in read_questions(ROOT / "tests/data/seed_unanswerable.txt")]
    return rows


def without(scored: Scored, keep: np.ndarray) -> Scored:
    return Scored(scored.rows[keep], scored.fused[keep], scored.cosine[keep],
                  {name: values[keep] for name, values in scored.contributions.items()})  # fmt: skip


def topic_features(cache: Path, embedder) -> tuple[np.ndarray, np.ndarray]:
    build_index(ROOT / "corpus", cache, embedder)
    retriever = HybridRetriever(load_index(cache, model_name=embedder.name), embedder)
    baseline = retriever.signals.baseline()
    labelled = topic_questions()
    x = [answerability(retriever.index, text, retriever.score(text), baseline) for text, _ in labelled]
    return np.array([[f[n] for n in FEATURES] for f in x]), np.array([a for _, a in labelled])


def _file(document_id: str) -> str:
    """The MedQuAD file of a corpus document ("1_CancerGov_QA/0000013_2_1/0000013_2-1-answer")."""
    return document_id.rsplit("/", 1)[0]


def open_features(medquad: Path, cache: Path, embedder, count: int) -> tuple[np.ndarray, np.ndarray]:
    dataset_dir = cache / "datasets" / "medquad-all"
    if not (dataset_dir / "queries.jsonl").is_file():
        medquad_to_beir(medquad, dataset_dir, progress=True)
    dataset = load_beir(dataset_dir)
    index, _ = prepare_index(dataset, embedder, cache_dir=cache, progress=True)
    retriever = HybridRetriever(index, embedder)
    baseline = retriever.signals.baseline()
    documents = passage_documents(index)
    ids = sorted(qid for qid, _ in dataset.queries)
    test = set(random.Random(TEST_SEED).sample(ids, min(TEST_SAMPLE, len(ids))))
    dev = random.Random(11).sample([q for q in dataset.queries if q[0] not in test], count)
    rows, labels = [], []
    for qid, text in dev:
        scored = retriever.score(text)
        # Take out every answer of the question's MedQuAD file: the corpus no longer knows its subject.
        files = {_file(doc) for doc in dataset.relevant(qid)}
        held = np.array([not {_file(d) for d in documents[index.passages[int(r)].id]} & files for r in scored.rows])
        rows.append(answerability(index, text, scored, baseline))
        labels.append(True)
        rows.append(answerability(index, text, without(scored, held), baseline))
        labels.append(False)
    return np.array([[f[n] for n in FEATURES] for f in rows]), np.array(labels)


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


def fit(x: np.ndarray, y: np.ndarray) -> tuple[Regime, dict, list[dict[str, float]]]:
    """The regression on all of (x, y), with its operating point chosen out of fold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    # The curve averaged over REPEATS shuffles of the folds: with a few hundred questions, one split's curve
    # jumps by a few questions from one threshold to the next, and its minimum is partly chance.
    curves = []
    for repeat in range(REPEATS):
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=repeat)
        model = LogisticRegression(C=C, max_iter=2000)
        curves.append(curve(cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1], y))
    points = [{key: float(np.mean([c[i][key] for c in curves])) for key in curves[0][i]} for i in range(len(curves[0]))]
    chosen = min(points, key=lambda pt: LOOSE_COST * pt["loose"] + (1 - pt["coverage"]))
    final = LogisticRegression(C=C, max_iter=2000).fit(x, y)
    regime = Regime(tuple(float(c) for c in final.coef_[0]), float(final.intercept_[0]), chosen["threshold"])
    return regime, chosen, points


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache/answers-index")
    parser.add_argument("--medquad", type=Path, default=ROOT.parent / "shared/data/medquad")
    parser.add_argument("--medquad-cache", type=Path, default=ROOT / ".cache/medquote-eval")
    parser.add_argument("--medquad-questions", type=int, default=400)
    parser.add_argument(
        "--open-regression",
        action="store_true",
        help="fit the open regime on MedQuAD too (so far it loses to the rule; see the docstring)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "src/medquote/models/abstain/model.json")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks/results/abstain_train.json")
    args = parser.parse_args(argv)
    embedder = make_embedder(cache_dir=args.cache / "cache", threads=1)
    data = {"topic": topic_features(args.cache, embedder)}
    if args.open_regression:
        data["open"] = open_features(args.medquad, args.medquad_cache, embedder, args.medquad_questions)
    regimes, results = {}, {"features": list(FEATURES), "loose_cost": LOOSE_COST, "C": C}
    # Open corpora keep the rule calibrated on MedQuAD (benchmarks/README.md), unless asked to fit one.
    regimes["open"] = Regime((), 0.0, 0.5, min_cosine=OPEN_MIN_COSINE)
    for name, (x, y) in data.items():
        regimes[name], chosen, points = fit(x, y)
        results[name] = {"questions": len(y), "answerable": int(y.sum()), "chosen": chosen, "curve": points}
        print(name, json.dumps(chosen), flush=True)
    meta = {name: {k: results[name][k] for k in ("questions", "answerable", "chosen")} for name in data}
    AnswerabilityModel(regimes, embedder.name, FEATURES, {"loose_cost": LOOSE_COST, "C": C, **meta}).save(args.out)
    record(args.out)  # manifest.json beside it: the file's sha256, checked when loaded
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _chart(results, args.results.with_name("abstain_curve.png"))
    return 0


def _chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5.5, 4))
    for name, label in (("topic", "default corpus"), ("open", "MedQuAD")):
        if name not in results:  # the open regime is fitted only with --open-regression
            continue
        points, chosen = results[name]["curve"], results[name]["chosen"]
        axes.plot([p["coverage"] for p in points], [1 - p["loose"] for p in points], marker=".", label=label)
        axes.scatter([chosen["coverage"]], [1 - chosen["loose"]], color="red", zorder=3)
    axes.set_xlabel("answerable questions given quotes")
    axes.set_ylabel('unanswerable questions given "not found"')
    axes.set_title("Answerability, out of fold (red: chosen)")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
