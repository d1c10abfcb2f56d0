"""The shipped reader: loaded offline, checked by hash, a one-line error naming the fix when it is
missing or damaged, and a model that actually reads (measured on the consumer dev set, never a frozen one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from medquote.errors import ModelError
from medquote.models.files import file_sha256
from medquote.models.reader import FOLDER, RETRAIN, Combination, Reader, ReaderSpec

REPO = Path(__file__).resolve().parents[2]


def test_shipped_model_matches_its_description_and_has_a_card():
    spec = ReaderSpec.read(FOLDER)
    assert file_sha256(FOLDER / "model.onnx") == spec.sha256
    card = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "medquote.training.reader" in card and "Held-out figures" in card
    assert set(dict(spec.thresholds)) == {"topic", "open"}
    assert 0.0 < spec.threshold("topic") < 1.0 and 0.0 < spec.further <= 1.0


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "reader"
    shutil.copytree(FOLDER, target)
    return target


def test_damaged_model_is_refused_with_one_line_naming_the_fix(copy: Path):
    data = bytearray((copy / "model.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelError) as caught:
        Reader(copy).logits("Is it safe?", ["Some text."])
    message = str(caught.value)
    assert "damaged" in message and RETRAIN in message and "\n" not in message


def test_missing_model_and_missing_description_are_refused(copy: Path):
    (copy / "model.onnx").unlink()
    with pytest.raises(ModelError, match="missing"):
        Reader(copy).logits("Is it safe?", ["Some text."])
    (copy / "reader.json").unlink()
    with pytest.raises(ModelError, match=RETRAIN.replace(".", r"\.")):
        Reader(copy)


def test_a_passages_score_does_not_depend_on_the_passages_beside_it():
    texts = [
        "Clonazepam is used to treat seizures and panic disorder.",
        "Do not drink alcohol while taking this medicine; it can make the drowsiness worse.",
        "Store the tablets at room temperature, away from light and moisture.",
    ] * 3
    reader = Reader(FOLDER)
    together = reader.logits("can I drink beer on klonopin", texts)
    alone = [float(reader.logits("can I drink beer on klonopin", [t])[0]) for t in texts[:3]]
    np.testing.assert_allclose(together[:3], alone, atol=1e-5)
    assert np.allclose(together[:3], together[3:6], atol=1e-5)


def test_pairs_run_side_by_side_score_as_one_at_a_time_in_the_given_order():
    texts = [
        "Clonazepam is used to treat seizures and panic disorder.",
        "Do not drink alcohol while taking this medicine.",
        "Store the tablets at room temperature, away from light and moisture, and out of reach of children.",
        "Withdrawal symptoms may include anxiety, sleep problems and seizures.",
        "Keep cool.",
    ]
    question = "what are the withdrawal symptoms"
    side_by_side = Reader(FOLDER, threads=2).logits(question, texts)
    one_by_one = Reader(FOLDER, threads=1).logits(question, texts)
    assert np.array_equal(side_by_side, one_by_one)
    assert int(np.argmax(side_by_side)) == 3 and len(set(side_by_side.tolist())) == len(texts)


def test_combination_without_rerank_is_the_calibrated_reader():
    spec = ReaderSpec.read(FOLDER)
    z = np.array([-3.0, 0.0, 2.5])
    alone = Combination(spec.scale, intercept=spec.shift).probabilities(z)
    np.testing.assert_allclose(alone, 1 / (1 + np.exp(-(spec.scale * z + spec.shift))))
    combined = spec.combination("topic")
    # At the same place and reranker chance, a higher reader score never lowers P(answers).
    at_first = [float(combined.probabilities(np.array([v]), np.array([0.3]))[0]) for v in np.sort(z)]
    assert combined.reader > 0 and at_first == sorted(at_first)
    # A candidate the reranker gave no chance for counts as an even one.
    np.testing.assert_allclose(combined.probabilities(z, np.full(3, np.nan)), combined.probabilities(z))


@pytest.mark.slow
def test_reader_tells_answers_from_near_misses_on_the_dev_set(real_seed_index):
    """On the consumer dev set (held out of training), an answering candidate outscores a non-answering
    candidate of the same question far more often than chance."""
    from sklearn.metrics import roc_auc_score

    from medquote.answer.assistant import Assistant
    from medquote.eval.answers import load_consumer_set, locate, passage_grade
    from medquote.records import context_text

    assistant = Assistant.from_index(real_seed_index, reader=False)
    index, reader = assistant.index, Reader(FOLDER, threads=2)
    dataset = load_consumer_set(REPO / "data" / "consumer_dev")
    labels, scores = [], []
    for q in [q for q in dataset.questions if q.type == "answerable" and not q.previous][:40]:
        spans = locate(index, dataset.judgements.get(q.id, ()))
        scored = assistant.retriever.score(q.text)
        passages = [index.passages[int(scored.rows[p])] for p in scored.order()[:8]]
        grades = [passage_grade(p, spans) for p in passages]
        if max(grades) < 2 or min(grades) > 0:
            continue
        z = reader.logits(q.text, [context_text(p, index.source_of(p)) for p in passages])
        labels += [int(g == 2) for g in grades if g != 1]
        scores += [float(s) for s, g in zip(z, grades, strict=True) if g != 1]
    assert len(labels) > 100
    # A regression guard, not the target: the shipped model's card gives 0.76-0.78 on this set.
    assert roc_auc_score(labels, scores) > 0.7
