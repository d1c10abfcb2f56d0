"""The `medquote` command line: sources management, build, ask."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medquote.cli import main
from medquote.ingest.manifest import load_corpus


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_is_instant_and_lists_the_commands():
    result = subprocess.run([sys.executable, "-m", "medquote.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("build", "ask", "serve", "sources", "eval", "medquad-to-beir"):
        assert command in result.stdout
    examples = result.stdout.split("examples")[1]
    assert 'medquote ask "What is the half-life of clonazepam?"' in examples and "--index" in examples
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, medquote.cli; print(sorted({'torch','faiss','gradio'} & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
    )
    assert heavy.stdout.strip() == "[]"


def test_sources_add_list_check_vet(capsys, seed_corpus, tmp_path):
    article = tmp_path / "outside.md"
    article.write_text("# Sleep\n\nGood sleep habits help.\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "sources", "--corpus", str(seed_corpus), "add", str(article), "--title", "Sleep habits",
        "--publisher", "Example Health", "--url", "https://example.org/sleep", "--license", "CC BY 4.0",
    )  # fmt: skip
    assert code == 0 and "pending" in out
    assert (seed_corpus / "outside.md").is_file()
    entry = next(e for e in load_corpus(seed_corpus).entries if e.id == "outside")
    assert (entry.publisher, entry.url, entry.license, entry.vetting) == (
        "Example Health", "https://example.org/sleep", "CC BY 4.0", "pending",
    )  # fmt: skip
    assert len(entry.sha256) == 64

    code, out, _ = run(capsys, "sources", "--corpus", str(seed_corpus), "list")
    assert code == 0 and "outside\tpending\toutside.md\tSleep habits" in out
    assert out.splitlines()[0].split("\t")[:4] == ["id", "vetting", "file", "title"]  # a header row

    (seed_corpus / "outside.md").write_text("# Sleep\n\nChanged.\n", encoding="utf-8")
    (seed_corpus / "stray.txt").write_text("unlisted", encoding="utf-8")
    (seed_corpus / "000_bd4c192c6f266751.txt").unlink()
    code, out, _ = run(capsys, "sources", "--corpus", str(seed_corpus), "check")
    assert code == 1
    assert "warning: outside.md: changed since it was vetted" in out  # pending: reported, not blocking
    assert "ERROR: stray.txt: not listed" in out
    assert "ERROR: 000_bd4c192c6f266751.txt: listed as 'klonopin-withdrawal' but missing" in out

    code, out, _ = run(capsys, "sources", "--corpus", str(seed_corpus), "vet", "outside", "--note", "reviewed")
    assert code == 0 and "outside: vetted" in out
    assert next(e for e in load_corpus(seed_corpus).entries if e.id == "outside").vetting_note == "reviewed"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sources", "vet", "nope"], "no source with id 'nope'"),
        (["sources", "add", "missing.txt", "--title", "x"], "missing.txt: no such file"),
        (["ask", "what is klonopin", "--index", "{tmp}/none"], "no index here; run `medquote build`"),
        (["build", "--corpus", "{tmp}/none"], "no such corpus folder"),
        (["sources", "vet", "outside", "--reviewed-on", "2026-11-30"], "--reviewed-on needs --reviewed-by"),
        (["sources", "add", "x.txt", "--title", "x", "--published-on", "May 2024"], "write dates as YYYY-MM-DD"),
    ],
)
def test_errors_are_one_line_with_exit_code_1(capsys, seed_corpus, tmp_path, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if argv[0] == "sources":
        argv[1:1] = ["--corpus", str(seed_corpus)]
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith("medquote: error: ") and message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("command", "option"),
    [(["ask", "what is klonopin"], "--index DIR"), (["serve"], "--index DIR"), (["build"], "--corpus DIR"),
     (["sources", "list"], "--corpus DIR"), (["sources", "check"], "--corpus DIR")],
)  # fmt: skip
def test_run_from_another_folder_the_error_names_the_option_and_where_it_looked(
    capsys, tmp_path, monkeypatch, command, option
):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *command)
    assert code == 1 and option in err and str(tmp_path) in err and err.count("\n") == 1


def test_provenance_is_recorded_and_missing_provenance_is_a_warning(capsys, seed_corpus, tmp_path):
    article = tmp_path / "asthma.md"
    article.write_text("# Asthma\n\nAsthma affects the airways.\n", encoding="utf-8")
    code, _, _ = run(
        capsys, "sources", "--corpus", str(seed_corpus), "add", str(article), "--title", "Asthma",
        "--publisher", "NHS", "--url", "https://example.org/asthma", "--published-on", "2024-05-01",
    )  # fmt: skip
    assert code == 0
    code, _, _ = run(
        capsys, "sources", "--corpus", str(seed_corpus), "vet", "asthma",
        "--reviewed-by", "Dr A. Smith, GP", "--reviewed-on", "2026-11-30",
    )  # fmt: skip
    assert code == 0
    entry = next(e for e in load_corpus(seed_corpus).entries if e.id == "asthma")
    assert (entry.published_on, entry.reviewed_by, entry.reviewed_on) == ("2024-05-01", "Dr A. Smith, GP", "2026-11-30")
    code, out, _ = run(capsys, "sources", "--corpus", str(seed_corpus), "list")
    assert (
        "asthma\tvetted\tasthma.md\tAsthma\tNHS\thttps://example.org/asthma\t2024-05-01\tDr A. Smith, GP 2026-11-30"
        in out
    )
    code, out, _ = run(capsys, "sources", "--corpus", str(seed_corpus), "check")
    assert code == 0  # missing provenance warns, it does not block
    warnings = [line for line in out.splitlines() if "provenance not recorded" in line]
    assert len(warnings) == 2 and all(line.startswith("warning: ") for line in warnings)
    assert "publisher, url, published_on, reviewed_by" in warnings[0] and "asthma" not in " ".join(warnings)
    assert out.rstrip().endswith("All sources match their vetted hashes; no unlisted files.")


def test_a_malformed_manifest_is_a_one_line_error(capsys, seed_corpus):
    (seed_corpus / "sources.toml").write_text("[[source]\nid = ", encoding="utf-8")
    code, _, err = run(capsys, "sources", "--corpus", str(seed_corpus), "list")
    assert code == 1 and "not valid TOML" in err and err.count("\n") == 1


@pytest.mark.slow
def test_build_then_ask_with_the_real_model(capsys, seed_corpus, tmp_path):
    index = tmp_path / "index"
    code, out, _ = run(capsys, "build", "--corpus", str(seed_corpus), "--index", str(index))
    assert code == 0 and "2 sources" in out and "embedded" in out
    code, out, _ = run(capsys, "build", "--corpus", str(seed_corpus), "--index", str(index))
    assert code == 0 and "up to date" in out

    code, out, _ = run(capsys, "ask", "How long is clonazepam's half-life?", "--index", str(index), "--json")
    assert code == 0
    answer = json.loads(out)
    assert answer["status"] == "answered" and answer["emergency"] is None
    assert answer["disclaimer"]
    passage = answer["passages"][0]
    assert set(passage) >= {"text", "highlight", "score", "source"}
    assert set(passage["source"]) >= {"id", "title", "publisher", "url"}
    assert passage["highlight"] in passage["text"] and "35 hours" in passage["highlight"]
    assert isinstance(passage["score"], float)

    code, out, err = run(capsys, "ask", "How long is clonazepam's half-life?", "--index", str(index), "--debug")
    header, first = err.splitlines()[:2]
    assert code == 0 and "35 hours" in out
    # The first candidates are in the reader's order, its P(answers) shown beside the reranker's chance.
    assert header.split()[:6] == ["rank", "reader", "answers", "fused", "cosine", "bm25"] and first.split()[0] == "1"
    chances = [float(line.split()[1]) for line in err.splitlines()[1:6]]
    assert chances == sorted(chances, reverse=True) and all(0 <= c <= 1 for c in chances)

    code, out, _ = run(capsys, "ask", "I took 30 of my klonopin pills", "--index", str(index), "--json")
    emergency = json.loads(out)
    assert code == 0 and emergency["status"] == "emergency" and emergency["emergency"]["resources"]
    assert emergency["triage"]["level"] == "emergency" and emergency["triage"]["category"] == "overdose"
    assert answer["triage"] == {"level": "none", "category": "", "guidance": None}

    code, out, _ = run(capsys, "ask", "how do I change a car tyre", "--index", str(index), "-k", "2")
    out = " ".join(out.split())
    assert code == 0 and "could not find this in the listed sources" in out and "not medical advice" in out

    code, _, err = run(capsys, "ask", "what is klonopin", "--index", str(index), "--model", str(Path(__file__).parent))
    assert code == 1 and "not a sentence-transformers model folder" in err


@pytest.mark.slow
def test_ask_with_another_backend_than_the_index_was_built_with_says_what_to_do(capsys, real_seed_index):
    from medquote.settings import DEFAULT_BACKEND

    other = "onnx-int8"  # int8's vectors are not the index's; torch's and torch-bf16's are (test_bf16.py)
    code, _, err = run(capsys, "ask", "what is klonopin", "--index", str(real_seed_index), "--backend", other)
    assert code == 1 and err.count("\n") == 1
    assert f"built with the {DEFAULT_BACKEND} backend" in err and f"--backend {DEFAULT_BACKEND}" in err
    code, out, _ = run(capsys, "ask", "what is klonopin", "--index", str(real_seed_index), "--json")
    assert code == 0 and json.loads(out)["status"] == "answered"
