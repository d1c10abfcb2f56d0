"""`medquote build`: verbatim passages, manifest checks, atomic and incremental builds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import REPO_ROOT, TESTS

from medquote.engines.registry import load_index
from medquote.errors import IndexMismatchError, IndexNotFoundError, ManifestError
from medquote.index.build import build_index
from medquote.index.manifest import current_build
from medquote.ingest.register import vet_source


def test_every_passage_is_an_exact_slice_of_its_stored_source(seed_corpus, tmp_path, fake_embedder):
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    index = load_index(tmp_path / "index", model_name=fake_embedder.name)
    assert len(index.passages) > 10
    for passage in index.passages:
        source = index.sources[passage.source_id]
        assert source.text[passage.start : passage.end] == passage.text
        # The stored text is the file's text up to white space normalisation.
        raw = (seed_corpus / index.manifest["sources"][source.entry_id]["file"]).read_text(encoding="utf-8")
        assert " ".join(passage.text.split()) in " ".join(raw.split())


def test_manifest_describes_the_build(seed_corpus, tmp_path, fake_embedder):
    report = build_index(seed_corpus, tmp_path / "index", fake_embedder)
    manifest = load_index(tmp_path / "index").manifest
    # A name without "+backend" is torch's.
    assert manifest["model"] == {"name": fake_embedder.name, "dimension": fake_embedder.dimension, "backend": "torch"}
    assert manifest["counts"]["passages"] == report.passages
    assert manifest["params"]["chunk"]["target_words"] == 120
    assert set(manifest["sources"]) == {"klonopin-withdrawal", "klonopin-effects-and-tolerance"}
    assert all(len(s["sha256"]) == 64 for s in manifest["sources"].values())
    assert manifest["package_version"] and manifest["built_at"]


def test_sources_carry_the_manifests_provenance_and_a_review_rebuilds(seed_corpus, tmp_path, fake_embedder):
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    source = load_index(tmp_path / "index").sources["klonopin-withdrawal"]
    assert (source.date, source.vetting, source.publisher, source.published_on) == ("2026-11-21", "vetted", None, None)
    assert source.reviewed_by is None and "not clinically reviewed" in source.vetting_note
    vet_source(seed_corpus, "klonopin-withdrawal", reviewed_by="Dr B. Jones, pharmacist", reviewed_on="2026-12-01")
    assert not build_index(seed_corpus, tmp_path / "index", fake_embedder).up_to_date
    source = load_index(tmp_path / "index").sources["klonopin-withdrawal"]
    assert (source.reviewed_by, source.reviewed_on) == ("Dr B. Jones, pharmacist", "2026-12-01")


def test_unchanged_rebuild_embeds_nothing(seed_corpus, tmp_path, fake_embedder):
    first = build_index(seed_corpus, tmp_path / "index", fake_embedder)
    assert first.embedded == first.passages and fake_embedder.calls == first.passages
    again = build_index(seed_corpus, tmp_path / "index", fake_embedder)
    assert again.up_to_date and again.version == first.version
    forced = build_index(seed_corpus, tmp_path / "index", fake_embedder, force=True)
    assert forced.embedded == 0 and forced.cached == forced.passages
    assert fake_embedder.calls == first.passages


def test_editing_one_source_re_embeds_only_its_changed_passages(seed_corpus, tmp_path, fake_embedder):
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    before = {p.text for p in load_index(tmp_path / "index").passages}
    path = seed_corpus / "000_bd4c192c6f266751.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new closing paragraph about tapering.\n", encoding="utf-8")
    vet_source(seed_corpus, "klonopin-withdrawal", note="re-reviewed")
    report = build_index(seed_corpus, tmp_path / "index", fake_embedder)
    after = load_index(tmp_path / "index").passages
    changed = [p for p in after if p.text not in before]
    assert 0 < report.embedded == len(changed) < len(after)


def test_passage_ids_are_stable_and_identical_passages_stored_once(seed_corpus, tmp_path, fake_embedder):
    build_index(seed_corpus, tmp_path / "a", fake_embedder)
    copy = seed_corpus / "copy.txt"
    copy.write_text((seed_corpus / "000_bd4c192c6f266751.txt").read_text(encoding="utf-8"), encoding="utf-8")
    from medquote.ingest.register import add_source

    add_source(seed_corpus, copy, title="A copy", vetted=True)
    build_index(seed_corpus, tmp_path / "b", fake_embedder)
    a, b = load_index(tmp_path / "a"), load_index(tmp_path / "b")
    assert [p.id for p in a.passages] == [p.id for p in b.passages]
    assert len({p.id for p in b.passages}) == len(b.passages)
    assert b.also_in and all(ids == ("copy",) for ids in b.also_in.values())


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("unlisted", "stray.txt: not listed in sources.toml"),
        ("missing", "000_bd4c192c6f266751.txt: listed as 'klonopin-withdrawal' but missing"),
        ("drift", "000_bd4c192c6f266751.txt: changed since it was vetted"),
    ],
)
def test_corpus_problems_stop_the_build_and_keep_the_old_index(seed_corpus, tmp_path, fake_embedder, damage, expected):
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    version = load_index(tmp_path / "index").version
    path = seed_corpus / "000_bd4c192c6f266751.txt"
    if damage == "unlisted":
        (seed_corpus / "stray.txt").write_text("Something nobody vetted.", encoding="utf-8")
    elif damage == "missing":
        path.unlink()
    else:
        path.write_text(path.read_text(encoding="utf-8").replace("35 hours", "3 hours"), encoding="utf-8")
    with pytest.raises(ManifestError, match=expected) as caught:
        build_index(seed_corpus, tmp_path / "index", fake_embedder, force=True)
    assert "\n" not in str(caught.value)
    assert load_index(tmp_path / "index").version == version


def test_pending_sources_are_not_indexed(seed_corpus, tmp_path, fake_embedder):
    vet_source(seed_corpus, "klonopin-withdrawal", status="pending")
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    index = load_index(tmp_path / "index")
    assert {s.entry_id for s in index.sources.values()} == {"klonopin-effects-and-tolerance"}


def test_loading_refuses_a_mismatched_or_damaged_index(seed_corpus, tmp_path, fake_embedder):
    with pytest.raises(IndexNotFoundError, match="medquote build"):
        load_index(tmp_path / "nothing")
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    with pytest.raises(
        IndexMismatchError, match="built with model fake-keywords-8192 .* `medquote build --model PATH`"
    ):
        load_index(tmp_path / "index", model_name="another-model")
    build = current_build(tmp_path / "index")
    (build / "dense.faiss").write_bytes(b"not a faiss index")
    with pytest.raises(IndexMismatchError, match="damaged.*medquote build"):
        load_index(tmp_path / "index")
    (build / "dense.faiss").unlink()
    with pytest.raises(IndexMismatchError, match=r"incomplete \(missing dense.faiss\)"):
        load_index(tmp_path / "index")
    (build / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(IndexMismatchError):
        load_index(tmp_path / "index")


def test_hnsw_above_the_threshold_finds_the_same_best_passages(seed_corpus, tmp_path, fake_embedder):
    from medquote.index.params import BuildParams
    from medquote.retrieval.dense import DenseRetriever

    build_index(seed_corpus, tmp_path / "flat", fake_embedder)
    build_index(seed_corpus, tmp_path / "hnsw", fake_embedder, params=BuildParams(hnsw_threshold=1))
    flat, hnsw = load_index(tmp_path / "flat"), load_index(tmp_path / "hnsw")
    assert "HNSW" in type(hnsw.dense).__name__
    for question in ("klonopin half-life hours", "leg cramps stomach ache", "tolerance receptors"):
        top_flat = DenseRetriever(flat, fake_embedder).search(question, 1)[0].passage.id
        top_hnsw = DenseRetriever(hnsw, fake_embedder).search(question, 1)[0].passage.id
        assert top_flat == top_hnsw


_KILLABLE_BUILD = textwrap.dedent(
    """
    import sys
    from fakes import FakeEmbedder
    from medquote.index.build import build_index
    build_index(sys.argv[1], sys.argv[2], FakeEmbedder(name=sys.argv[3], delay=0.08), force=True)
    """
)


def test_sigkill_at_any_moment_leaves_the_previous_index_loadable(seed_corpus, tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    build_index(seed_corpus, index_dir, fake_embedder)
    before = load_index(index_dir)
    # This checkout's medquote (not whichever one is installed) and the tests' fakes.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), str(TESTS)])}
    killed_while_running = 0
    for attempt, delay in enumerate((0.3, 0.8, 1.2, 1.6, 2.0, 2.4, 2.8, 3.2)):
        process = subprocess.Popen(
            [sys.executable, "-c", _KILLABLE_BUILD, str(seed_corpus), str(index_dir), f"fake-{attempt}"],
            env=env,
        )
        time.sleep(delay)
        if process.poll() is None:
            killed_while_running += 1
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = load_index(index_dir)
        # Either the old build, untouched, or (if the kill came after the swap) a complete new one.
        if after.version == before.version:
            assert [p.text for p in after.passages] == [p.text for p in before.passages]
        else:
            assert len(after.passages) == len(before.passages)
    assert killed_while_running >= 4
    # A build after the kills still works and clears the abandoned temporary folders.
    build_index(seed_corpus, index_dir, fake_embedder, force=True)
    assert not list((index_dir / "builds").glob(".tmp-*"))
    assert json.loads((current_build(index_dir) / "manifest.json").read_text())["counts"]["passages"]


def test_an_index_from_an_older_format_says_to_rebuild(seed_corpus, tmp_path, fake_embedder):
    from medquote.index.manifest import FORMAT_VERSION

    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    manifest_path = current_build(tmp_path / "index") / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["format_version"] = FORMAT_VERSION - 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(
        IndexMismatchError, match=rf"index format {FORMAT_VERSION - 1} .* reads {FORMAT_VERSION}; run `medquote build`"
    ):
        load_index(tmp_path / "index")
    # and `medquote build` does rebuild it: the fingerprint includes the format
    assert not build_index(seed_corpus, tmp_path / "index", fake_embedder).up_to_date
    load_index(tmp_path / "index")


def test_an_index_is_queried_with_the_backend_it_was_built_with(seed_corpus, tmp_path):
    from fakes import FakeEmbedder

    from medquote.index.manifest import built_backend

    build_index(seed_corpus, tmp_path / "index", FakeEmbedder(name="model@0123456789ab+onnx-int8"))
    assert built_backend(tmp_path / "index") == "onnx-int8"
    assert load_index(tmp_path / "index", model_name="model@0123456789ab+onnx-int8").backend == "onnx-int8"
    with pytest.raises(IndexMismatchError, match="built with the onnx-int8 backend .* pass --backend onnx-int8, or"):
        load_index(tmp_path / "index", model_name="model@0123456789ab")
