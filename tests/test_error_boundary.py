"""The error boundary: every failure of every command is one line on stderr saying what to do, exit code 1
(130 on Ctrl-C, 141 quietly on a closed pipe), never a traceback, and nothing changed on disk."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from medquote.cli import BROKEN_PIPE, main

PROGRESS = re.compile(r"^\s*[\w -]+:\s*\d+%\|")
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_ROOT / "src")}


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with its sha256 ("dir" for a folder)."""
    if root.is_file():
        return {root.name: hashlib.sha256(root.read_bytes()).hexdigest()}
    return {
        str(p.relative_to(root)): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
    }


def one_error_line(err: str) -> str:
    """The only line of ``err``, which must be a medquote error and no traceback."""
    assert "Traceback" not in err and "Exception ignored" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("medquote: error: "), err
    assert "; " in lines[0]  # what happened; what to do
    return lines[0]


def fails(capsys, tmp_path: Path, *argv: str) -> str:
    """Run ``medquote argv``: it must fail with one line, exit 1, and change nothing under ``tmp_path``."""
    before = snapshot(tmp_path)
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert snapshot(tmp_path) == before
    return one_error_line(err)


def without_progress(err: str) -> str:
    """``err`` without the progress bars a build draws on stderr (tqdm's ``Name:  40%|███  | 4/10``)."""
    return "\n".join(line for line in err.splitlines() if not PROGRESS.match(line))


def run_cli(*argv: str, stdout=subprocess.PIPE, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "medquote.cli", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        timeout=300,
        **options,
    )


# --- numeric options, read when the command line is ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["ask", "What is asthma?", "-k", "0"], "-k: 0 is out of range; give a whole number from 1 to 20"),
        (["ask", "What is asthma?", "-k", "-1"], "-k: -1 is out of range"),
        (["ask", "What is asthma?", "-k", "21"], "-k: 21 is out of range"),
        (["ask", "What is asthma?", "-k", "three"], "-k: 'three' is not a whole number"),
        (["build", "--target-words", "0"], "--target-words: 0 is out of range; give a whole number from 20 to 2000"),
        (["build", "--hnsw-threshold", "0"], "--hnsw-threshold: 0 is out of range; give a whole number of at least 1"),
        (["serve", "--port", "0"], "--port: 0 is out of range; give a whole number from 1 to 65535"),
        (["serve", "--port", "70000"], "--port: 70000 is out of range"),
        (["eval", "dataset", "--limit", "0"], "--limit: 0 is out of range"),
        (["eval", "dataset", "--k", "-2"], "--k: -2 is out of range"),
        (["medquad-to-beir", "medquad", "out", "--sample", "0"], "--sample: 0 is out of range"),
    ],
)
def test_numeric_options_out_of_range_are_one_line(capsys, tmp_path, monkeypatch, argv, said):
    monkeypatch.chdir(tmp_path)
    line = fails(capsys, tmp_path, *argv)
    assert said in line and "--help" in line


@pytest.mark.parametrize("argv", [["nonsense"], ["ask"], ["sources", "add", "x.md"], ["build", "--nope"]])
def test_any_malformed_command_line_is_one_line_and_exit_1(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    assert "see `medquote" in fails(capsys, tmp_path, *argv)


# --- folders: a file where a folder is expected, a folder that cannot be written -------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "What is asthma?", "--index", "{file}"],
        ["serve", "--index", "{file}", "--port", "{port}"],
        ["build", "--index", "{file}", "--corpus", "{corpus}"],
        ["build", "--corpus", "{file}"],
        ["sources", "--corpus", "{file}", "list"],
        ["sources", "--corpus", "{file}", "check"],
        ["sources", "--corpus", "{file}", "add", "{article}", "--title", "T"],
    ],
)
def test_index_or_corpus_naming_a_file_is_one_line(capsys, tmp_path, seed_corpus, argv):
    file = tmp_path / "not-a-folder.txt"
    file.write_text("just a file\n", encoding="utf-8")
    article = tmp_path / "article.md"
    article.write_text("# Sleep\n\nGood sleep habits help.\n", encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    values = {"file": file, "corpus": seed_corpus, "article": article, "port": port}
    line = fails(capsys, tmp_path, *(a.format(**values) for a in argv))
    assert str(file) in line and "is a file, not a folder" in line


def test_an_index_under_a_file_is_refused_before_building(capsys, tmp_path, seed_corpus):
    """Works as root too: no permission bit stops root, but nothing can be created inside a file."""
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    line = fails(capsys, tmp_path, "build", "--corpus", str(seed_corpus), "--index", str(file / "index"))
    assert "is a file, not a folder" in line and "--index" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder; the case under a file covers root")
def test_an_unwritable_corpus_is_refused_before_adding(capsys, tmp_path, seed_corpus):
    article = tmp_path / "article.md"
    article.write_text("# Sleep\n\nGood sleep habits help.\n", encoding="utf-8")
    seed_corpus.chmod(0o500)
    try:
        line = fails(capsys, tmp_path, "sources", "--corpus", str(seed_corpus), "add", str(article), "--title", "T")
    finally:
        seed_corpus.chmod(0o700)
    assert "cannot write in this folder" in line and "--corpus" in line


# --- files the operating system refuses, or that are not what they should be ---------------------------


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p.mkdir(), "Cannot read emergency resources file"),
        (lambda p: None, "Cannot read emergency resources file"),
        (lambda p: p.write_bytes(b'message = "\xff\xfe"\n'), "is not UTF-8 text"),
    ],
)
def test_a_bad_resources_file_is_one_line(capsys, tmp_path, make, said):
    resources = tmp_path / "resources.toml"
    make(resources)
    line = fails(capsys, tmp_path, "ask", "What is asthma?", "--resources", str(resources), "--index", str(tmp_path))
    assert said in line


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (PermissionError(13, "Permission denied", "/srv/corpus/sources.toml"), "/srv/corpus/sources.toml: permission"),
        (OSError(28, "No space left on device", "/srv/index/x"), "no space left on the device; free some space"),
        (OSError(27, "File too large", "/srv/index/x"), "/srv/index/x: a file grew past the file-size limit"),
        (IsADirectoryError(21, "Is a directory", "/srv/x"), "/srv/x: a folder where a file was expected"),
        (NotADirectoryError(20, "Not a directory", "/srv/x"), "a file stands where a folder was expected"),
        (FileNotFoundError(2, "No such file or directory", "/srv/x"), "/srv/x: no such file or folder"),
        (sqlite3.DatabaseError("file is not a database"), "a database file cannot be read (file is not a database)"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "a file is not UTF-8 text"),
        (RuntimeError("write error in dense.faiss: 1 != 2 (File too large)"), "grew past the file-size limit"),
        (RuntimeError("something\nnobody expected"), "unexpected RuntimeError: something nobody expected; rerun"),
    ],
)
def test_every_kind_of_failure_inside_a_command_is_one_line(capsys, tmp_path, seed_corpus, monkeypatch, fault, said):
    """A fault injected where the command reads the corpus: whatever it is, one line and exit 1."""
    import medquote.ingest.manifest

    def broken(*args, **kwargs):
        raise fault

    monkeypatch.setattr(medquote.ingest.manifest, "load_corpus", broken)
    assert said in fails(capsys, tmp_path, "sources", "--corpus", str(seed_corpus), "list")


def test_verbose_also_logs_the_traceback_of_an_unexpected_failure(capsys, caplog, tmp_path, seed_corpus, monkeypatch):
    import medquote.ingest.manifest

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(medquote.ingest.manifest, "load_corpus", broken)
    assert main(["--verbose", "sources", "--corpus", str(seed_corpus), "list"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert line == "medquote: error: unexpected RuntimeError: boom; rerun with --verbose for details"
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and logged[0].exc_info[0] is RuntimeError  # the traceback, for whoever asked for it


def test_ctrl_c_is_one_line_and_exit_130(capsys, tmp_path, seed_corpus, monkeypatch):
    import medquote.ingest.manifest

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(medquote.ingest.manifest, "load_corpus", interrupted)
    before = snapshot(tmp_path)
    assert main(["sources", "--corpus", str(seed_corpus), "list"]) == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["medquote: interrupted; nothing was changed"]
    assert snapshot(tmp_path) == before


# --- a real process: closed pipe, file-size limit, port in use -----------------------------------------


def test_a_closed_pipe_ends_quietly_with_141(seed_corpus):
    """`medquote sources list | head -0`: the reader is gone before medquote writes."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = run_cli("sources", "--corpus", str(seed_corpus), "list", stdout=write)
    finally:
        os.close(write)
    assert result.returncode == BROKEN_PIPE
    assert result.stderr == ""  # no traceback, no "Exception ignored … BrokenPipeError"


@pytest.mark.slow
def test_ask_into_a_closed_pipe_ends_quietly(real_seed_index):
    """`medquote ask … | head`: the reader is gone before the answer is written."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = run_cli("ask", "What is Klonopin used for?", "--index", str(real_seed_index), stdout=write)
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (BROKEN_PIPE, "")


@pytest.mark.slow
def test_a_build_past_the_file_size_limit_is_one_line_and_keeps_the_live_build(real_seed_index, tmp_path):
    """`ulimit -f`: the write fails with EFBIG (SIGXFSZ is ignored), said in one line; the live build stays."""
    index = tmp_path / "index"
    shutil.copytree(real_seed_index, index)
    corpus = real_seed_index.parent / "corpus"
    live = [p for p in snapshot(index) if not p.startswith("cache")]
    before = {p: h for p, h in snapshot(index).items() if p in live}
    limit = 16 * 1024  # smaller than the dense index of the seed corpus

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    # The fixture's backend, so the vectors come from its cache and the first big write is the dense index.
    backend = ("--backend", "onnx")
    result = run_cli(
        "build", "--force", "--corpus", str(corpus), "--index", str(index), *backend, preexec_fn=small_files
    )
    assert result.returncode == 1
    line = one_error_line(without_progress(result.stderr))
    assert "file-size limit" in line
    after = {p: h for p, h in snapshot(index).items() if not p.startswith("cache")}
    assert after == before  # the live build, CURRENT and builds/ as they were; no staging folder left


def test_serve_on_a_port_in_use_is_one_line_naming_the_port(capsys, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = fails(capsys, tmp_path, "serve", "--index", str(tmp_path), "--port", str(port))
    assert f"port {port} on 127.0.0.1 is already in use" in line and "--port" in line


def test_gradio_finding_the_port_taken_is_the_same_one_line_error(fake_assistant, tmp_path):
    """The race check_port cannot see: the port is taken between the check and Gradio's launch."""
    from medquote.errors import UsageError
    from medquote.ui.app import build_app, launch

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        demo = build_app(fake_assistant, feedback_path=tmp_path / "f.jsonl")
        with pytest.raises(UsageError, match=f"port {port} on 127.0.0.1 is already in use"):
            launch(demo, port=port, prevent_thread_lock=True, quiet=True)
