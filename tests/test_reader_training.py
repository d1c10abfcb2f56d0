"""The reader's training: it never reads a frozen set, its data repeats none, and the trainer runs."""

from __future__ import annotations

import ast
import json
import re

import numpy as np
import pytest
from conftest import REPO_ROOT

TRAINER = REPO_ROOT / "src" / "medquote" / "training" / "reader.py"
FROZEN = REPO_ROOT / "tests" / "data" / "frozen"
READER_DATA = REPO_ROOT / "data" / "reader"


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def frozen_questions() -> list[str]:
    return [
        json.loads(line)["text"]
        for path in sorted(FROZEN.glob("*/questions.jsonl"))
        for line in path.open(encoding="utf-8")
        if line.strip()
    ]


@pytest.mark.parametrize("trainer", sorted(TRAINER.parent.glob("*.py")), ids=lambda p: p.stem)
def test_no_trainer_names_a_frozen_set(trainer):
    source = trainer.read_text(encoding="utf-8")
    strings = [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if "frozen/" in s or s == "frozen"]
    assert "tests/data/frozen" not in source


@pytest.mark.parametrize("folder", ["consumer_reader", "medquad_consumer", "consumer_contrast", "consumer_reader_2"])
def test_every_training_question_near_a_frozen_one_is_listed_so_the_trainer_skips_it(folder):
    frozen = [words(t) for t in frozen_questions()]
    assert len(frozen) > 1000  # every frozen set was read
    questions = [json.loads(line) for line in (READER_DATA / folder / "questions.jsonl").open(encoding="utf-8")]
    close = {q["_id"] for q in questions if max(jaccard(words(q["text"]), f) for f in frozen) >= 0.8}
    listed = set(json.loads((READER_DATA / "near_duplicates.json").read_text(encoding="utf-8")).get(folder, ()))
    assert close <= listed


# The frozen conversation set (issue #22) was written after the shipped reader had been trained, by a
# helper who had not seen its data; three of its first turns are questions the reader's training sets
# also ask word for word. The README reports them; the follow-up turns measured for #22 have no such twin.
WRITTEN_AFTER_TRAINING = {
    "Can I drink alcohol while taking Klonopin?",
    "Is it safe to drive after taking Klonopin?",
    "does klonopin affect your memory",
}


def test_older_training_questions_that_repeat_a_frozen_one_are_listed_and_skipped():
    listed = set(json.loads((READER_DATA / "near_duplicates.json").read_text(encoding="utf-8"))["consumer_train"])
    frozen = [words(t) for t in frozen_questions()]
    train = REPO_ROOT / "data" / "consumer_train" / "questions.jsonl"
    for line in train.open(encoding="utf-8"):
        q = json.loads(line)
        if q.get("previous") or q.get("follow_up_of"):
            continue  # the trainer skips follow-ups: read alone they are not the question that was asked
        if max(jaccard(words(q["text"]), f) for f in frozen) >= 0.8:
            assert q["_id"] in listed or q["text"] in WRITTEN_AFTER_TRAINING, q["text"]


def test_the_open_corpus_sets_documents_are_held_out_of_training():
    frozen = json.loads((FROZEN / "open_consumer" / "documents.json").read_text(encoding="utf-8"))
    excluded = json.loads((READER_DATA / "excluded_medquad.json").read_text(encoding="utf-8"))
    assert {d["medquad_file"] for d in frozen} <= {d["medquad_file"] for d in excluded}
    trained_on = json.loads((READER_DATA / "medquad_consumer" / "documents.json").read_text(encoding="utf-8"))
    focuses = {d["focus"].strip().lower() for d in frozen}
    assert not [d for d in trained_on if d["focus"].strip().lower() in focuses]


@pytest.mark.slow
def test_the_trainer_runs_a_few_steps_and_exports_a_loadable_model(tmp_path, real_seed_index, medquad_dir):
    """What CI runs of the trainer, so it cannot rot: 3 steps on 64 pairs, exported, loaded, hash-checked."""
    from medquote.models.reader import Reader
    from medquote.training.reader import main

    work = tmp_path / "work"
    assert main(["--smoke", "--index", str(real_seed_index), "--medquad", str(medquad_dir), "--work", str(work)]) == 0
    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pairs"] == 64 and manifest["seed"] == 12
    assert all(len(digest) == 64 for digest in manifest["data"].values())
    scores = Reader(work / "export").logits("what is clonazepam for", ["Clonazepam treats seizures.", "Keep cool."])
    assert scores.shape == (2,) and bool(np.all(np.isfinite(scores)))
