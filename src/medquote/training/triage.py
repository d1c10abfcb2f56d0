"""Train the triage classifiers and choose their thresholds; writes src/medquote/models/triage/model.npz.

    .venv/bin/python -m medquote.training.triage

Data: the training set (data/triage/, helper-written and generated) and the dev set (data/triage/
triage_dev.jsonl, hand-written by a helper who saw neither the rules nor the training set, plus a seeded
30 % of each kind in data/triage/, the kinds the dev set lacks). Never a frozen evaluation set: the
messages near one of them are listed (by sha256) in data/triage/near_duplicates.json, written by
benchmarks/triage_near_duplicates.py, and left out here.
The thresholds are chosen on out-of-fold dev predictions: the dev set is cut in five,
and each fifth is scored by classifiers trained on the training set plus the other four fifths; the
final classifiers are then fitted on everything. Reproducible: the same data, embedding model and
scikit-learn version give the same file. Results go to benchmarks/results/triage_train.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medquote.embed.base import MemoEmbedder
from medquote.embed.sbert import SentenceTransformerEmbedder
from medquote.models.files import record
from medquote.records import TriageLevel
from medquote.safety.classifier import ANIMAL, Featurizer, Thresholds, TriageModel
from medquote.safety.cues import CUE_NAMES
from medquote.safety.triage import Evidence, Triager, decide

ROOT = Path(__file__).resolve().parents[3]  # the checkout: src/medquote/training/
CUE_SCALE = 0.5
C_BINARY, C_CATEGORY = 4.0, 8.0
FOLDS = 5
# What the thresholds aim for on the dev set (the targets, with a margin).
RECALL_TARGET = 0.99  # emergencies at level emergency or check
ORDINARY_CHECK_LIMIT = 0.06  # ordinary questions at level check
FALSE_EMERGENCY_LIMIT = 0.015  # non-emergencies at level emergency
# Training or dev messages this close to an evaluation message are left out (no leakage): listed by
# benchmarks/triage_near_duplicates.py in NEAR_FROZEN, which tests/safety/test_triage.py checks is complete.
NEAR_DUPLICATE = 0.9
NEAR_FROZEN = ROOT / "data/triage/near_duplicates.json"
PLACEHOLDER = Thresholds(alarm=0.5, emergency=0.5, rule_emergency=0.5, animal=0.5)


def read(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:  # later sets call an ordinary message "everyday"
        if row.get("kind") == "everyday":
            row["kind"] = "ordinary"
    return rows


def ordinary_questions(medquad: Path, sample: int) -> list[dict]:
    """Everyday questions as non-emergency training rows: the consumer questions written for answer quality
    (dev set and seed set, about the default corpus's medicine) and a seeded sample of MedQuAD questions,
    so asking about a medicine is not mistaken for taking too much of it."""
    import random

    from medquote.ingest.registry import read_documents

    texts = [row["text"] for row in read(ROOT / "data/consumer_dev/questions.jsonl")]
    if (ROOT / "data/consumer_train/questions.jsonl").is_file():
        texts += [row["text"] for row in read(ROOT / "data/consumer_train/questions.jsonl")]
    texts += [row["text"] for row in read(ROOT / "tests/data/seed_eval/queries.jsonl")]
    texts += [line.strip() for line in (ROOT / "tests/data/seed_unanswerable.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]  # fmt: skip
    if sample and medquad.is_dir():
        questions = sorted({d.section for d in read_documents(medquad, "medquad").documents if d.section})
        texts += random.Random(7).sample(questions, min(sample, len(questions)))
    return [{"text": t, "label": "non_emergency", "category": "", "kind": "ordinary"} for t in dict.fromkeys(texts)]


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def candidate_rows(
    train_path: Path, dev_path: Path, extra: list[Path], dev_share: float, medquad: Path, medquad_questions: int
) -> tuple[list[dict], list[dict]]:
    """The training and dev messages before any is left out: the training set, a seeded share of each
    further file for the dev set, and the everyday questions."""
    train, dev = read(train_path), read(dev_path)
    for path in extra:
        kept, held = held_out(read(path), dev_share if path.parent.name == "triage" else 0.0)
        train, dev = train + kept, dev + held
    train += ordinary_questions(medquad, medquad_questions)
    return train, dev


def held_out(rows: list[dict], share: float, seed: int = 11) -> tuple[list[dict], list[dict]]:
    """``rows`` cut in two: the training part, and ``share`` of each kind (seeded) for the dev set."""
    import random

    kinds: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        kinds.setdefault(f"{row['label']}/{row.get('kind', '')}", []).append(i)
    rng = random.Random(seed)
    held = {i for members in kinds.values() for i in rng.sample(members, round(share * len(members)))}
    return [r for i, r in enumerate(rows) if i not in held], [r for i, r in enumerate(rows) if i in held]


def near_duplicates(texts: list[str], others: list[str], threshold: float = NEAR_DUPLICATE) -> list[bool]:
    """For each of ``texts``: whether one of ``others`` is a near-duplicate of it (cosine of their
    character 3-5-gram counts ≥ ``threshold``; hashed, so the answer depends on the two texts alone)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    from medquote.safety.cues import normalise

    vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**20, alternate_sign=False,
                                   norm="l2", preprocessor=normalise)  # fmt: skip
    similarity = vectorizer.transform(texts) @ vectorizer.transform(others).T
    return list(np.asarray(similarity.max(axis=1).todense()).ravel() >= threshold)


def fit(rows: list[dict], embedder: MemoEmbedder, featurizer: Featurizer, meta: dict) -> TriageModel:
    """The three classifiers fitted on ``rows`` (whole messages)."""
    from sklearn.linear_model import LogisticRegression

    texts = [row["text"] for row in rows]
    vectors = embedder.encode(texts)
    full = featurizer.full(vectors, texts)
    alarming = [row.get("kind") != "ordinary" for row in rows]
    danger = [row["label"] != "non_emergency" for row in rows]
    alarm = LogisticRegression(C=C_BINARY, max_iter=5000, class_weight="balanced").fit(full, alarming)
    emergency = LogisticRegression(C=C_BINARY, max_iter=5000, class_weight="balanced").fit(full, danger)
    kinds = [i for i, row in enumerate(rows) if row["label"] != "non_emergency"]
    dense = featurizer.dense(vectors[kinds], [texts[i] for i in kinds])
    category = LogisticRegression(C=C_CATEGORY, max_iter=5000, class_weight="balanced").fit(
        dense, [rows[i]["category"] for i in kinds]
    )
    classes = tuple(str(c) for c in category.classes_)
    assert ANIMAL in classes
    return TriageModel(
        alarm=(alarm.coef_[0].astype(np.float32), float(alarm.intercept_[0])),
        emergency=(emergency.coef_[0].astype(np.float32), float(emergency.intercept_[0])),
        category=(category.coef_.astype(np.float32), category.intercept_.astype(np.float32)),
        classes=classes,
        featurizer=featurizer,
        model_name=embedder.name,
        thresholds=PLACEHOLDER,
        meta=meta,
    )


def rates(rows: list[dict], levels: list[TriageLevel]) -> dict[str, float]:
    danger = [lv for r, lv in zip(rows, levels, strict=True) if r["label"] != "non_emergency"]
    others = [lv for r, lv in zip(rows, levels, strict=True) if r["label"] == "non_emergency"]
    ordinary = [lv for r, lv in zip(rows, levels, strict=True) if r.get("kind") == "ordinary"]
    return {
        "recall": float(np.mean([lv != TriageLevel.NONE for lv in danger])),
        "at_emergency": float(np.mean([lv == TriageLevel.EMERGENCY for lv in danger])),
        "false_emergency": float(np.mean([lv == TriageLevel.EMERGENCY for lv in others])),
        "ordinary_check": float(np.mean([lv == TriageLevel.CHECK for lv in ordinary])),
    }


def choose_thresholds(rows: list[dict], found: list[Evidence]) -> tuple[Thresholds, dict[str, float]]:
    """Emergency thresholds (with and without a rule match): the pair putting the most real emergencies at
    level emergency while false emergencies stay within their limit. Alarm: the highest threshold keeping
    recall at its target, raised if ordinary questions at check would pass their limit."""
    grid = [round(float(t), 3) for t in np.arange(0.05, 1.0, 0.025)]

    def measure(thresholds: Thresholds) -> dict[str, float]:
        return rates(rows, [decide(f, thresholds) for f in found])

    best = (-1.0, 0.975, 0.975)
    for rule_t in grid:
        for t in grid:
            r = measure(Thresholds(alarm=1.1, emergency=t, rule_emergency=rule_t, animal=0.5))
            if r["false_emergency"] <= FALSE_EMERGENCY_LIMIT and r["at_emergency"] > best[0]:
                best = (r["at_emergency"], t, rule_t)
    _, emergency, rule_emergency = best
    measured = {t: measure(Thresholds(t, emergency, rule_emergency, 0.5)) for t in grid}
    meeting = [t for t in grid if measured[t]["recall"] >= RECALL_TARGET]
    alarm = max(meeting) if meeting else grid[0]
    if measured[alarm]["ordinary_check"] > ORDINARY_CHECK_LIMIT:
        alarm = next((t for t in grid if t >= alarm and measured[t]["ordinary_check"] <= ORDINARY_CHECK_LIMIT), 0.95)
    thresholds = Thresholds(alarm, emergency, rule_emergency, 0.5)
    return thresholds, measure(thresholds)


def out_of_fold(
    train: list[dict], dev: list[dict], embedder: MemoEmbedder, featurizer: Featurizer, meta: dict
) -> list[Evidence]:
    """Each dev message's evidence from classifiers fitted without its fold (the thresholds are chosen on it)."""
    fold_of = np.arange(len(dev)) % FOLDS
    np.random.default_rng(0).shuffle(fold_of)
    found: list[Evidence | None] = [None] * len(dev)
    for fold in range(FOLDS):
        held = [i for i in range(len(dev)) if fold_of[i] == fold]
        rest = [dev[i] for i in range(len(dev)) if fold_of[i] != fold]
        triager = Triager(embedder, model=fit(train + rest, embedder, featurizer, meta))
        for i in held:
            found[i] = triager.evidence(dev[i]["text"])
        print(f"fold {fold + 1}/{FOLDS} scored", flush=True)
    return found  # type: ignore[return-value]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=ROOT / "data/triage/triage_train.jsonl")
    parser.add_argument("--dev", type=Path, default=ROOT / "data/triage/triage_dev.jsonl")
    parser.add_argument(
        "--extra",
        type=Path,
        nargs="*",
        default=sorted((ROOT / "data/triage").glob("triage_train_*.jsonl")),
        help="further training files (default: every triage_train_*.jsonl beside the training set in data/triage)",
    )
    parser.add_argument(
        "--dev-share",
        type=float,
        default=0.3,
        help="this share of each further file's messages (by kind, seeded) joins the dev set the thresholds are "
        "chosen on, so kinds the dev set lacks (means/lethality, their look-alikes) weigh in the choice",
    )
    parser.add_argument("--medquad", type=Path, default=ROOT.parent / "shared/data/medquad")
    parser.add_argument("--medquad-questions", type=int, default=1000)
    parser.add_argument("--limit", type=int, help="use every Nth message only (a quick smoke run)")
    parser.add_argument(
        "--leave-out",
        type=Path,
        default=NEAR_FROZEN,
        help="sha256 of the messages to leave out (those near an evaluation message; see data/triage/README.md)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "src/medquote/models/triage/model.npz")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks/results/triage_train.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    import sklearn

    embedder = MemoEmbedder(SentenceTransformerEmbedder())
    train, dev = candidate_rows(args.train, args.dev, args.extra, args.dev_share, args.medquad, args.medquad_questions)
    if args.limit:
        train, dev = train[:: args.limit], dev[:: args.limit]
    listed = set(json.loads(args.leave_out.read_text(encoding="utf-8"))["sha256"]) if args.leave_out else set()
    before = len(train) + len(dev)
    train = [row for row in train if text_sha256(row["text"]) not in listed]
    dev = [row for row in dev if text_sha256(row["text"]) not in listed]
    left_out = before - len(train) - len(dev)
    print(f"left out {left_out} messages near an evaluation message", flush=True)
    featurizer = Featurizer(CUE_SCALE)
    print(f"embedding {len(train)} training and {len(dev)} dev messages …", flush=True)
    embedder.encode([row["text"] for row in train + dev])
    sources = [args.train, *args.extra, args.dev]
    ordinary_from = "data/consumer_dev, data/consumer_train, tests/data/seed_eval, tests/data/seed_unanswerable.txt"
    if args.medquad_questions and args.medquad.is_dir():
        ordinary_from += f", {args.medquad_questions} MedQuAD questions (seed 7)"
    meta = {
        "left_out_near_duplicates_of_frozen": left_out,
        "files": {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sources if p.is_file()},
        "training_messages": len(train),
        "ordinary_questions_from": ordinary_from,
        "C": {"alarm": C_BINARY, "emergency": C_BINARY, "category": C_CATEGORY},
        "scikit_learn": sklearn.__version__,
    }  # fmt: skip
    thresholds, achieved = choose_thresholds(dev, out_of_fold(train, dev, embedder, featurizer, meta))
    final = fit(train + dev, embedder, featurizer, meta)
    model = TriageModel(final.alarm, final.emergency, final.category, final.classes, featurizer, embedder.name,
                        thresholds, meta)  # fmt: skip
    model.save(args.out)
    record(args.out)  # manifest.json beside it: the file's sha256, checked when loaded
    results = {"thresholds": asdict(thresholds), "dev_out_of_fold": achieved, "cues": list(CUE_NAMES), **meta}
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results["thresholds"]), json.dumps(achieved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
