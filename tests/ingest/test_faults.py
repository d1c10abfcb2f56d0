"""Faults a user can cause on the corpus side, driven through the real CLI.

Each ends as one line on stderr (``medquote: error: ...``), exit code 1, no traceback, and nothing changed
on disk: the corpus folder (and the index folder) are compared file by file before and after.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import make_pdf

from medquote.cli import main
from medquote.ingest.manifest import file_sha256, load_corpus

REPO = Path(__file__).resolve().parents[2]

# --- helpers -------------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (hidden ones too) with its content hash, or where a symlink points."""
    if not folder.exists():
        return {}
    listing = {}
    for parent, folders, files in os.walk(folder):
        for name in (*folders, *files):
            path = Path(parent) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                listing[key] = "-> " + os.readlink(path)
            elif path.is_dir():
                listing[key] = "folder"
            else:
                listing[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return listing


def cli(capsys, *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *fragments: str) -> str:
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("medquote: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def append_entry(corpus: Path, file: str, sha256: str, *, fmt: str = "txt", entry_id: str = "intruder") -> None:
    with (corpus / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n[[source]]\nid = "{entry_id}"\nfile = "{file}"\ntitle = "Intruder"\nsha256 = "{sha256}"\n'
            f'vetting = "vetted"\nformat = "{fmt}"\n'
        )


def medquad_xml(doc_id: str, answer: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document id="{doc_id}" source="Test">\n<Focus>Asthma</Focus>\n'
        f'<QAPairs><QAPair pid="1"><Question qid="{doc_id}-1" qtype="information">What is asthma ?</Question>'
        f"<Answer>{answer}</Answer></QAPair></QAPairs>\n</Document>\n"
    )


def medquad_folder(folder: Path, files: int) -> Path:
    for n in range(1, files + 1):
        path = folder / f"{n // 3}_Sub" / f"{n:07d}.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(medquad_xml(f"{n:07d}", f"Asthma answer number {n}."), encoding="utf-8")
    return folder


# --- 1. confinement: every source path resolves inside the corpus folder --------------------------


def _outside_file(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Take twice the usual dose.\n", encoding="utf-8")
    return secret


def _escape(kind: str, corpus: Path, tmp_path: Path) -> tuple[str, str]:
    """A manifest ``file`` value that leaves the corpus, and that file's true sha256."""
    if kind == "absolute":
        return "/etc/passwd", file_sha256(Path("/etc/passwd"))
    if kind == "dotdot":
        return os.path.relpath("/etc/passwd", corpus), file_sha256(Path("/etc/passwd"))
    secret = _outside_file(tmp_path)
    if kind == "symlinked file":
        (corpus / "leaflet.txt").symlink_to(secret)
        return "leaflet.txt", file_sha256(secret)
    (corpus / "leaflets").symlink_to(secret.parent, target_is_directory=True)
    return "leaflets/secret.txt", file_sha256(secret)


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlinked file", "symlinked folder"])
def test_a_source_outside_the_corpus_is_refused_by_check_and_build(capsys, seed_corpus, tmp_path, kind):
    file, sha256 = _escape(kind, seed_corpus, tmp_path)
    append_entry(seed_corpus, file, sha256)
    index = tmp_path / "index"
    before = tree(seed_corpus)

    code, out, err = cli(capsys, "sources", "--corpus", seed_corpus, "check")
    assert code == 1 and "Traceback" not in out + err
    assert f"ERROR: {file}: " in out and "outside the corpus folder" in out
    assert "All sources match" not in out

    code, _, err = cli(capsys, "build", "--corpus", seed_corpus, "--index", index)
    assert_one_line_error(code, err, file, "outside the corpus folder")
    assert not index.exists()
    assert tree(seed_corpus) == before


def test_a_folder_source_with_a_link_out_of_the_corpus_is_refused(capsys, seed_corpus, tmp_path):
    folder = medquad_folder(seed_corpus / "medquad", 2)
    secret = _outside_file(tmp_path)
    (folder / "0_Sub" / "0000009.xml").symlink_to(secret)
    append_entry(seed_corpus, "medquad", file_sha256(folder), fmt="medquad")
    before = tree(seed_corpus)

    code, out, _ = cli(capsys, "sources", "--corpus", seed_corpus, "check")
    assert code == 1 and "ERROR: medquad: 0_Sub/0000009.xml is a symlink to" in out
    code, _, err = cli(capsys, "build", "--corpus", seed_corpus, "--index", tmp_path / "index")
    assert_one_line_error(code, err, "0000009.xml is a symlink to", "outside the corpus folder")
    assert tree(seed_corpus) == before


def test_sources_add_refuses_a_link_in_the_corpus_that_leads_out(capsys, seed_corpus, tmp_path):
    secret = _outside_file(tmp_path)
    (seed_corpus / "leaflet.txt").symlink_to(secret)
    before = tree(seed_corpus)
    code, _, err = cli(
        capsys, "sources", "--corpus", seed_corpus, "add", seed_corpus / "leaflet.txt", "--title", "x", "--vetted"
    )
    assert_one_line_error(code, err, "leaflet.txt: a symlink to", "outside the corpus folder")
    assert tree(seed_corpus) == before


def test_sources_add_of_a_link_from_elsewhere_copies_the_content_in(capsys, seed_corpus, tmp_path):
    secret = _outside_file(tmp_path)
    link = tmp_path / "link.txt"
    link.symlink_to(secret)
    code, out, _ = cli(capsys, "sources", "--corpus", seed_corpus, "add", link, "--title", "Dose", "--vetted")
    assert code == 0 and "Added link" in out
    copy = seed_corpus / "link.txt"
    assert copy.is_file() and not copy.is_symlink() and copy.read_bytes() == secret.read_bytes()


# --- 2. validation at add, and the same problems reported by check ------------------------------

BAD_FILES = {
    "empty.txt": (b"", "the file is empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    "latin1.txt": ("Caf\u00e9 au lait.\n".encode("latin-1"), "not valid UTF-8"),
    "blank.md": (b" \n\n\t\n", "only whitespace"),
    "chrome.html": (b"<html><head><script>var x = 1;</script></head><body></body></html>", "no readable text"),
    "cut.pdf": (make_pdf(["Asthma is a chronic disease."])[:300], "truncated or damaged"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_sources_add_refuses_a_file_the_build_would_refuse(capsys, seed_corpus, tmp_path, name):
    content, message = BAD_FILES[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    before = tree(seed_corpus)
    code, _, err = cli(capsys, "sources", "--corpus", seed_corpus, "add", bad, "--title", "Bad", "--vetted")
    assert_one_line_error(code, err, name, message)
    assert tree(seed_corpus) == before


@pytest.mark.parametrize("name", ["chrome.html", "cut.pdf"])
def test_a_parsing_librarys_warnings_do_not_add_lines_to_the_error(seed_corpus, tmp_path, name):
    # In a real process, where the CLI's logging prints warnings to stderr (pytest captures them in-process).
    content, message = BAD_FILES[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HF_HUB_OFFLINE": "1"}
    argv = ["sources", "--corpus", str(seed_corpus), "add", str(bad), "--title", "Bad"]
    result = subprocess.run([sys.executable, "-m", "medquote.cli", *argv], capture_output=True, text=True, env=env)
    assert_one_line_error(result.returncode, result.stderr, name, message)


def test_sources_check_reports_files_the_build_would_refuse(capsys, seed_corpus):
    for number, (name, (content, _)) in enumerate(sorted(BAD_FILES.items())):
        (seed_corpus / name).write_bytes(content)
        append_entry(seed_corpus, name, file_sha256(seed_corpus / name), fmt="", entry_id=f"bad{number}")
    before = tree(seed_corpus)
    code, out, err = cli(capsys, "sources", "--corpus", seed_corpus, "check")
    assert code == 1 and "Traceback" not in out + err
    assert "All sources match" not in out
    for name, (_, message) in BAD_FILES.items():
        assert any(line.startswith(f"ERROR: {name}: ") and message in line for line in out.splitlines()), name
    assert tree(seed_corpus) == before


def test_sources_vet_refuses_a_file_the_build_would_refuse(capsys, seed_corpus):
    (seed_corpus / "empty.txt").write_bytes(b"")
    append_entry(seed_corpus, "empty.txt", file_sha256(seed_corpus / "empty.txt"), entry_id="empty")
    before = tree(seed_corpus)
    code, _, err = cli(capsys, "sources", "--corpus", seed_corpus, "vet", "empty", "--status", "vetted")
    assert_one_line_error(code, err, "empty.txt", "the file is empty")
    assert tree(seed_corpus) == before


# --- 3. sources remove ---------------------------------------------------------------------------


def test_sources_remove_drops_the_entry_and_its_copy(capsys, seed_corpus, tmp_path):
    article = tmp_path / "sleep.md"
    article.write_text("# Sleep\n\nGood sleep habits help.\n", encoding="utf-8")
    before = tree(seed_corpus)
    assert cli(capsys, "sources", "--corpus", seed_corpus, "add", article, "--title", "Sleep")[0] == 0
    assert (seed_corpus / "sleep.md").is_file()

    code, out, _ = cli(capsys, "sources", "--corpus", seed_corpus, "remove", "sleep")
    assert code == 0 and "Removed sleep" in out and "deleted" in out
    assert not (seed_corpus / "sleep.md").exists()
    assert "sleep" not in {e.id for e in load_corpus(seed_corpus).entries}
    assert article.is_file()  # the original outside the corpus is never touched
    assert set(tree(seed_corpus)) == set(before)
    assert cli(capsys, "sources", "--corpus", seed_corpus, "check")[0] == 0


def test_sources_remove_keeps_a_file_outside_the_corpus(capsys, seed_corpus, tmp_path):
    secret = _outside_file(tmp_path)
    append_entry(seed_corpus, str(secret), file_sha256(secret))
    code, out, _ = cli(capsys, "sources", "--corpus", seed_corpus, "remove", "intruder")
    assert code == 0 and "kept" in out
    assert secret.is_file()
    assert "intruder" not in {e.id for e in load_corpus(seed_corpus).entries}


def test_sources_remove_of_an_unknown_id_says_how_to_see_the_ids(capsys, seed_corpus):
    before = tree(seed_corpus)
    code, _, err = cli(capsys, "sources", "--corpus", seed_corpus, "remove", "nope")
    assert_one_line_error(code, err, "no source with id 'nope'", "sources --corpus", "list")
    assert tree(seed_corpus) == before


# --- 4. leftovers: failed writes and killed adds -------------------------------------------------


def _run_limited(argv: list[str], max_bytes: int) -> subprocess.CompletedProcess:
    """Run the real CLI in a process that may write files of at most ``max_bytes`` (``ulimit -f``)."""
    import resource

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "medquote.cli", *argv], capture_output=True, text=True, preexec_fn=limit, env=env
    )


def test_a_full_disk_while_writing_the_manifest_leaves_nothing_behind(seed_corpus, tmp_path):
    article = tmp_path / "sleep.txt"
    article.write_text("Good sleep habits help.\n", encoding="utf-8")
    before = tree(seed_corpus)
    # The 24-byte copy fits; the manifest (about 2 KB) does not.
    result = _run_limited(["sources", "--corpus", str(seed_corpus), "add", str(article), "--title", "Sleep"], 1000)
    assert_one_line_error(result.returncode, result.stderr, "sources.toml: cannot write it", "free disk space")
    assert tree(seed_corpus) == before  # no sources.toml.tmp, no copied file


def test_a_full_disk_while_copying_leaves_nothing_behind(seed_corpus, tmp_path):
    article = tmp_path / "long.txt"
    article.write_text("Asthma is a chronic disease. " * 200, encoding="utf-8")
    before = tree(seed_corpus)
    result = _run_limited(["sources", "--corpus", str(seed_corpus), "add", str(article), "--title", "Long"], 1000)
    assert_one_line_error(result.returncode, result.stderr, "long.txt: cannot copy it into", "nothing was changed")
    assert tree(seed_corpus) == before


def test_check_and_build_ignore_temporary_leftovers(capsys, seed_corpus, tmp_path, fake_embedder):
    from medquote.index.build import build_index

    (seed_corpus / "sources.toml.tmp").write_text("[[source]]\nid = 'half", encoding="utf-8")
    (seed_corpus / ".sources.toml.4242.tmp").write_text("", encoding="utf-8")
    (seed_corpus / ".medquad.adding-4242.tmp").mkdir()
    code, out, _ = cli(capsys, "sources", "--corpus", seed_corpus, "check")
    assert code == 0 and "All sources match" in out
    assert build_index(seed_corpus, tmp_path / "index", fake_embedder).passages > 0


def test_a_killed_add_of_a_folder_does_not_block_adding_it_again(capsys, seed_corpus, tmp_path):
    folder = medquad_folder(tmp_path / "medquad", 9)
    # SIGKILL the real CLI while it copies the folder: on the fourth file.
    script = (
        "import os, shutil, signal, sys\n"
        "copy, calls = shutil.copyfile, []\n"
        "def dying_copy(*args, **kwargs):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 4:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return copy(*args, **kwargs)\n"
        "shutil.copyfile = dying_copy\n"
        "from medquote.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    argv = ["sources", "--corpus", str(seed_corpus), "add", str(folder), "--title", "MedQuAD", "--vetted"]
    assert run_script(script, argv).returncode == -signal.SIGKILL
    assert not (seed_corpus / "medquad").exists()  # a partial copy never appears under the real name
    code, out, _ = cli(capsys, "sources", "--corpus", seed_corpus, "check")
    assert code == 0 and "All sources match" in out  # the leftover is hidden from check

    code, out, err = cli(capsys, *argv)
    assert code == 0 and "Added medquad" in out, err
    assert file_sha256(seed_corpus / "medquad") == file_sha256(folder)
    assert [p.name for p in seed_corpus.iterdir() if p.name.startswith(".")] == []  # the leftover is gone


def run_script(script: str, argv: list[str]) -> subprocess.CompletedProcess:
    """Run ``script`` (which ends by calling the CLI) in a fresh process on this checkout's sources."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, env=env)


def test_an_add_stopped_after_copying_is_finished_by_adding_again(capsys, seed_corpus, tmp_path):
    folder = medquad_folder(tmp_path / "medquad", 3)
    script = (
        "import os, signal, sys\n"
        "import medquote.ingest.register as register\n"
        "register.atomic_write = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from medquote.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    argv = ["sources", "--corpus", str(seed_corpus), "add", str(folder), "--title", "MedQuAD", "--vetted"]
    assert run_script(script, argv).returncode == -signal.SIGKILL
    assert (seed_corpus / "medquad").is_dir()  # copied whole, not yet listed
    code, out, err = cli(capsys, *argv)
    assert code == 0 and "Added medquad" in out, err
    assert cli(capsys, "sources", "--corpus", seed_corpus, "check")[0] == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_corpus_folder_is_one_line(capsys, seed_corpus, tmp_path):
    article = tmp_path / "sleep.txt"
    article.write_text("Good sleep habits help.\n", encoding="utf-8")
    before = tree(seed_corpus)
    seed_corpus.chmod(0o555)
    try:
        code, _, err = cli(capsys, "sources", "--corpus", seed_corpus, "add", article, "--title", "Sleep")
    finally:
        seed_corpus.chmod(0o755)
    assert_one_line_error(code, err, "sleep.txt: cannot copy it into")
    assert tree(seed_corpus) == before


# --- 5. malformed manifest entries -------------------------------------------------------------

SOURCE = '[[source]]\nid = "a"\nfile = "000_bd4c192c6f266751.txt"\ntitle = "A"\nsha256 = "00"\n'
NUMBER_TITLE = SOURCE.replace('title = "A"', "title = 3")
EMPTY_FILE = SOURCE.replace("000_bd4c192c6f266751.txt", "")
MALFORMED = {
    "a string entry": ('source = ["000_bd4c192c6f266751.txt"]\n', "source #1 is str", "not a table"),
    "source not tables": ('source = "a.txt"\n', "`source` must be [[source]] tables"),
    "missing keys": ('[[source]]\nid = "a"\nfile = "x.txt"\n', "source 'a' lacks title, sha256"),
    "a number title": (NUMBER_TITLE, "source 'a' has title = 3"),
    "an empty file": (EMPTY_FILE, "source 'a' has an empty file"),
    "a table url": (SOURCE + 'url = { href = "x" }\n', "source 'a' has url = "),
    "examples a string": ('[corpus]\nexamples = "What is asthma?"\n', "[corpus] examples", "list of quoted"),
    "examples numbers": ("[corpus]\nexamples = [1, 2]\n", "[corpus] examples = [1, 2]"),
    "topic a list": ('[corpus]\ntopic = ["a"]\n', "[corpus] topic"),
    "corpus a string": ('corpus = "klonopin"\n', "`corpus` must be a [corpus] table"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_manifest_entry_is_one_line_naming_entry_and_key(capsys, seed_corpus, tmp_path, case):
    text, *fragments = MALFORMED[case]
    (seed_corpus / "sources.toml").write_text(text, encoding="utf-8")
    before = tree(seed_corpus)
    for argv in (["sources", "--corpus", seed_corpus, "list"], ["sources", "--corpus", seed_corpus, "check"]):
        code, _, err = cli(capsys, *argv)
        assert_one_line_error(code, err, "sources.toml: ", *fragments)
    code, _, err = cli(capsys, "build", "--corpus", seed_corpus, "--index", tmp_path / "index")
    assert_one_line_error(code, err, *fragments)
    assert not (tmp_path / "index").exists()
    assert tree(seed_corpus) == before


# --- 6. the corpus option, and changes made at the same time --------------------------------------


@pytest.mark.parametrize(
    "command", [["list"], ["check"], ["remove", "x"], ["vet", "x"], ["add", "a.txt", "--title", "A"]]
)
def test_corpus_naming_a_file_is_one_line(capsys, tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Asthma is a chronic disease.\n", encoding="utf-8")
    not_a_folder = tmp_path / "corpus.txt"
    not_a_folder.write_text("not a folder\n", encoding="utf-8")
    before = tree(tmp_path)
    code, _, err = cli(capsys, "sources", "--corpus", not_a_folder, *command)
    assert_one_line_error(code, err, "corpus.txt is a file, not a folder; pass --corpus DIR")
    assert tree(tmp_path) == before


def test_concurrent_adds_keep_every_entry(seed_corpus, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HF_HUB_OFFLINE": "1"}
    processes = []
    for n in range(4):
        article = tmp_path / f"article{n}.txt"
        article.write_text(f"Article number {n} about asthma.\n", encoding="utf-8")
        argv = ["sources", "--corpus", str(seed_corpus), "add", str(article), "--title", f"Article {n}"]
        processes.append(subprocess.Popen([sys.executable, "-m", "medquote.cli", *argv], env=env))
    assert [process.wait() for process in processes] == [0] * 4
    ids = {e.id for e in load_corpus(seed_corpus).entries}
    assert {f"article{n}" for n in range(4)} <= ids
