"""Fault injection on the index side, through the real `medquote` command: a tampered, damaged or
misdirected build is refused with one line (never quoted), `medquote index verify` says so, and
`medquote build` repairs it without --force; a corrupt or old embedding cache is set aside with a warning."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from medquote.cli import main
from medquote.index.manifest import current_build

QUESTION = "How long is clonazepam's half-life?"
REPAIR = "run `medquote build` to repair it"

pytestmark = pytest.mark.slow


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listing(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its sha256: what "nothing changed" compares."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 1, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("medquote: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The seed corpus built once by `medquote build` (real model): a root with corpus/ and index/."""
    from conftest import copy_seed_corpus

    root = tmp_path_factory.mktemp("built")
    copy_seed_corpus(root / "corpus")
    assert main(["build", "--corpus", str(root / "corpus"), "--index", str(root / "index")]) == 0
    return root


@pytest.fixture
def site(built, tmp_path) -> Path:
    """A fresh copy of the built corpus and index (with its caches) to damage."""
    shutil.copytree(built / "corpus", tmp_path / "corpus")
    shutil.copytree(built / "index", tmp_path / "index")
    # The manifest records the corpus it was built from; point it at this copy's.
    manifest_path = current_build(tmp_path / "index") / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["corpus"] = str(tmp_path / "corpus")
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def ask(capsys, site: Path) -> tuple[int, str, str]:
    return run(capsys, "ask", QUESTION, "--index", str(site / "index"), "--json")


def build(capsys, site: Path, *options: str) -> tuple[int, str, str]:
    return run(capsys, "build", "--corpus", str(site / "corpus"), "--index", str(site / "index"), *options)


def assert_repaired_and_answering(capsys, site: Path, reason: str) -> None:
    code, out, err = build(capsys, site)
    assert code == 0 and "Traceback" not in err, err
    assert out.startswith("Repaired the live build, which failed its check: ") and reason in out.splitlines()[0], out
    assert "0 embedded" in out  # from the embedding cache
    assert run(capsys, "index", "verify", "--index", str(site / "index"))[0] == 0
    code, out, err = ask(capsys, site)
    assert code == 0, err
    answer = json.loads(out)
    assert answer["status"] == "answered" and "35 hours" in " ".join(p["text"] for p in answer["passages"])


def tamper_same_length(build_dir: Path) -> None:
    """Change the medical text in passages.jsonl and sources.jsonl the same way, keeping every length."""
    for name in ("passages.jsonl", "sources.jsonl"):
        path = build_dir / name
        text = path.read_text(encoding="utf-8")
        assert "35 hours" in text
        path.write_text(text.replace("35 hours", "95 hours"), encoding="utf-8")


def test_a_fresh_build_verifies(capsys, site):
    code, out, err = run(capsys, "index", "verify", "--index", str(site / "index"))
    assert code == 0 and not err
    assert out.startswith("OK: index ") and "2 sources, 34 passages" in out and out.count("\n") == 1


def test_a_same_length_tamper_of_passages_and_sources_is_refused_and_repaired(capsys, site):
    live = current_build(site / "index")
    tamper_same_length(live)
    before = listing(site / "index")
    code, out, err = ask(capsys, site)
    assert_one_line_error(code, err, str(live / "passages.jsonl"), "changed since it was built", REPAIR)
    assert "95 hours" not in out
    code, out, err = run(capsys, "index", "verify", "--index", str(site / "index"))
    assert_one_line_error(code, err, "passages.jsonl", REPAIR)
    assert listing(site / "index") == before
    assert_repaired_and_answering(capsys, site, "passages.jsonl")


def test_a_tamper_that_also_rewrites_the_file_hashes_is_never_quoted(capsys, site):
    """The files' hashes forged too: the stored text no longer hashes to the one recorded at build."""
    from medquote.index.integrity import file_hashes

    live = current_build(site / "index")
    tamper_same_length(live)
    manifest_path = live / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"] = file_hashes(live)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    before = listing(site / "index")
    code, out, err = ask(capsys, site)
    assert_one_line_error(code, err, "stored text of source klonopin-", "not the text that was built", REPAIR)
    assert "95 hours" not in out
    code, _, err = run(capsys, "index", "verify", "--index", str(site / "index"))
    assert_one_line_error(code, err, "sources.jsonl", "not the text that was built")
    assert listing(site / "index") == before
    assert_repaired_and_answering(capsys, site, "not the text that was built")


def test_a_fully_forged_manifest_is_caught_by_verify_against_the_corpus(capsys, site):
    """Files, file hashes and source-text hashes all rewritten consistently: only the vetted files can tell,
    and `index verify --corpus` re-reads them."""
    from medquote.index.integrity import file_hashes, sha256_text

    code, out, _ = run(capsys, "index", "verify", "--index", str(site / "index"), "--corpus", str(site / "corpus"))
    assert code == 0 and "every source text re-read from its vetted file" in out
    live = current_build(site / "index")
    tamper_same_length(live)
    manifest_path = live / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"] = file_hashes(live)
    for line in (live / "sources.jsonl").read_text(encoding="utf-8").splitlines():
        source = json.loads(line)
        manifest["source_texts"][source["id"]] = sha256_text(source["text"])
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert run(capsys, "index", "verify", "--index", str(site / "index"))[0] == 0  # its own hashes agree
    before = listing(site)
    code, _, err = run(capsys, "index", "verify", "--index", str(site / "index"), "--corpus", str(site / "corpus"))
    assert_one_line_error(code, err, "the stored text of klonopin-", "is not what its vetted file", "medquote build")
    assert listing(site) == before


def test_a_source_re_vetted_after_the_build_is_not_quoted_from_the_old_build(capsys, site):
    """The chain's first link: the build was made from a file sources.toml no longer lists as vetted."""
    manifest = site / "corpus" / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    built = json.loads((current_build(site / "index") / "manifest.json").read_text(encoding="utf-8"))
    for entry in built["sources"].values():
        text = text.replace(entry["sha256"], "0" * 64)
    manifest.write_text(text, encoding="utf-8")
    before = listing(site / "index")
    code, out, err = ask(capsys, site)
    assert_one_line_error(code, err, "not the one vetted in", "sources.toml", "medquote build")
    assert "35 hours" not in out and listing(site / "index") == before


def test_zeroed_vectors_are_refused_at_load_and_repaired(capsys, site):
    dense = current_build(site / "index") / "dense.faiss"
    data = bytearray(dense.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = bytes(4096)
    dense.write_bytes(bytes(data))
    before = listing(site / "index")
    code, out, err = ask(capsys, site)
    assert_one_line_error(code, err, str(dense), "changed since it was built", REPAIR)
    assert not out and listing(site / "index") == before
    assert_repaired_and_answering(capsys, site, "dense.faiss")


def test_a_missing_bm25_file_is_refused_and_repaired(capsys, site):
    vocab = current_build(site / "index") / "bm25" / "vocab.index.json"
    vocab.unlink()
    code, _, err = ask(capsys, site)
    assert_one_line_error(code, err, REPAIR)
    assert_repaired_and_answering(capsys, site, "vocab.index.json")


def test_current_naming_a_folder_outside_builds_is_not_followed(capsys, site):
    # A complete build outside the index, for CURRENT to point at.
    elsewhere = site / "elsewhere"
    shutil.copytree(current_build(site / "index"), elsewhere)
    pointer = site / "index" / "CURRENT"
    pointer.write_text("../../elsewhere\n", encoding="utf-8")
    before, outside = listing(site), listing(elsewhere)
    code, out, err = ask(capsys, site)
    assert_one_line_error(code, err, str(pointer), "not a build inside", REPAIR)
    code, _, err = run(capsys, "index", "verify", "--index", str(site / "index"))
    assert_one_line_error(code, err, "not a build inside")
    assert not out and listing(site) == before
    assert_repaired_and_answering(capsys, site, "not a build inside")
    assert listing(elsewhere) == outside


def test_current_naming_a_symlink_out_of_builds_is_not_followed(capsys, site):
    elsewhere = site / "elsewhere"
    live = current_build(site / "index")
    shutil.copytree(live, elsewhere)
    outside = listing(elsewhere)
    (live.parent / "escape").symlink_to(elsewhere, target_is_directory=True)
    (site / "index" / "CURRENT").write_text("escape\n", encoding="utf-8")
    code, _, err = ask(capsys, site)
    assert_one_line_error(code, err, "'escape', which is not a build inside", REPAIR)
    assert_repaired_and_answering(capsys, site, "not a build inside")
    assert listing(elsewhere) == outside  # pruning old builds never follows the link


def test_an_unreadable_current_is_one_line_and_repaired(capsys, site):
    pointer = site / "index" / "CURRENT"
    pointer.write_bytes(b"\xff\xfe\x00garbage")
    before = listing(site / "index")
    code, _, err = ask(capsys, site)
    assert_one_line_error(code, err, str(pointer), "cannot be read", REPAIR)
    assert listing(site / "index") == before
    assert_repaired_and_answering(capsys, site, "cannot be read")


def test_an_index_of_an_older_format_is_rebuilt_by_build(capsys, site):
    manifest_path = current_build(site / "index") / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["format_version"] = 3
    del manifest["files"], manifest["source_texts"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    code, _, err = ask(capsys, site)
    assert_one_line_error(code, err, "index format 3 but this medquote reads 4", "medquote build")
    assert_repaired_and_answering(capsys, site, "index format 3")


def _assert_cache_set_aside(capsys, site: Path) -> None:
    cache = site / "index" / "cache" / "embeddings.sqlite"
    code, out, err = build(capsys, site, "--force")
    assert code == 0 and "Traceback" not in err, err
    warnings = [line for line in err.splitlines() if "embedding cache" in line]
    assert len(warnings) == 1 and "moved it to embeddings.sqlite.corrupt-" in warnings[0], err
    assert "34 embedded" in out
    assert len(list(cache.parent.glob("embeddings.sqlite.corrupt-*"))) == 1
    # The new cache works: the next build takes every vector from it.
    code, out, err = build(capsys, site, "--force")
    assert code == 0 and "0 embedded, 34 from cache" in out and "embedding cache" not in err
    code, out, _ = ask(capsys, site)
    assert code == 0 and json.loads(out)["status"] == "answered"


def _garbage(cache: Path) -> None:
    cache.write_bytes(b"this is not a database" * 100)


def _old_layout(cache: Path) -> None:
    cache.unlink()
    db = sqlite3.connect(cache)
    with db:
        db.execute("CREATE TABLE vectors (model TEXT, text_hash TEXT, vector BLOB)")
        db.execute("INSERT INTO vectors VALUES ('m', 'h', x'00')")
    db.close()


def _malformed_pages(cache: Path) -> None:
    """A valid first page (the header opens fine), garbage after it: found only when the vectors are read."""
    data = bytearray(cache.read_bytes())
    assert len(data) > 16384
    data[8192:] = bytes([0xAB]) * (len(data) - 8192)
    cache.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_garbage, _old_layout, _malformed_pages], ids=lambda f: f.__name__.strip("_"))
def test_an_unusable_embedding_cache_is_set_aside_and_rebuilt(capsys, site, damage):
    damage(site / "index" / "cache" / "embeddings.sqlite")
    _assert_cache_set_aside(capsys, site)


def test_concurrent_builds_both_finish_and_leave_one_verified_live_build(capsys, site):
    """Two `medquote build --force` processes at once: the lock lets one publish after the other."""
    import os
    import subprocess
    import sys

    argv = [sys.executable, "-m", "medquote.cli", "build", "--force"]
    argv += ["--corpus", str(site / "corpus"), "--index", str(site / "index")]
    from conftest import REPO_ROOT

    # This checkout's medquote, whatever the environment has installed.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_ROOT / "src")}
    processes = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(p.wait(timeout=600), p.stdout.read().decode(), p.stderr.read().decode()) for p in processes]
    for code, out, err in results:
        assert code == 0 and "Traceback" not in err, err
        assert "0 embedded, 34 from cache" in out
    assert not list((site / "index" / "builds").glob(".tmp-*"))
    code, out, _ = run(capsys, "index", "verify", "--index", str(site / "index"))
    assert code == 0 and out.startswith("OK: index ")


def test_a_folder_named_current_is_refused_by_ask_and_build_and_left_alone(capsys, site):
    pointer = site / "index" / "CURRENT"
    pointer.unlink()
    pointer.mkdir()
    (pointer / "notes.txt").write_text("someone's file", encoding="utf-8")
    before = listing(site)
    code, _, err = ask(capsys, site)
    assert_one_line_error(code, err, str(pointer), "is a folder", "remove it, then run `medquote build`")
    code, _, err = build(capsys, site)
    assert_one_line_error(code, err, str(pointer), "is a folder", "remove it, then run `medquote build`")
    assert listing(site) == before
