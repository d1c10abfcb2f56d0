"""The benchmark scripts still run (smoke tests on the small seed set; the real runs are in benchmarks/)."""

from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import REPO_ROOT, TESTS


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_tune_retrieval_sweeps_every_weight_on_the_seed_set(tmp_path, real_embedder):
    tune = _script("tune_retrieval")
    out = tmp_path / "tune.json"
    argv = ["--dataset", str(TESTS / "data" / "seed_eval"), "--dev", "0", "--holdout", "0", "--rounds", "1",
            "--cache", str(tmp_path / "cache"), "--out", str(out)]  # fmt: skip
    assert tune.main(argv) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    tried = {name for trial in result["trials"] for name, weight in trial["weights"].items()
             if weight != result["start"]["weights"].get(name)}  # fmt: skip
    assert tried == set(tune.GRIDS)
    assert result["best"]["dev"] >= result["start"]["dev"]
    assert 0 < result["start"]["dev"] <= 1


@pytest.mark.slow
def test_train_triage_is_reproducible_and_writes_a_model_that_loads(tmp_path, real_embedder):
    from medquote.safety.classifier import TriageModel

    train = importlib.import_module("medquote.training.triage")
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.npz"
        argv = [
            "--limit",
            "40",
            "--medquad-questions",
            "0",
            "--out",
            str(out),
            "--results",
            str(tmp_path / f"{run}.json"),
        ]
        assert train.main(argv) == 0
        outputs.append(TriageModel.load(out))
    first, second = outputs
    assert first.classes == second.classes and first.thresholds == second.thresholds
    assert (first.alarm[0] == second.alarm[0]).all() and (first.category[0] == second.category[0]).all()
    assert "animal" in first.classes and 0 < first.thresholds.alarm < 1


@pytest.mark.slow
def test_train_rerank_writes_a_reranker_that_loads_and_beats_the_fused_order_out_of_fold(tmp_path):
    from medquote.retrieval.hybrid import DEFAULT_WEIGHTS
    from medquote.retrieval.rerank import COLUMNS, Reranker

    out, results = tmp_path / "rerank.json", tmp_path / "results.json"
    argv = ["--cache", str(tmp_path / "cache"), "--out", str(out), "--results", str(results)]
    assert importlib.import_module("medquote.training.rerank").main(argv) == 0
    reranker = Reranker.load(out)
    assert len(reranker.coef) == len(COLUMNS) and reranker.fits(dict(DEFAULT_WEIGHTS.values))
    measured = json.loads(results.read_text(encoding="utf-8"))
    assert measured["questions"] >= 250
    assert measured["first_answers_reranked_out_of_fold"] > measured["first_answers_fused"]
