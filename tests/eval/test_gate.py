"""The quality gate of `medquote build`: a rebuild that answers the corpus's regression set worse than the
live build is kept unpublished with a report; a harmless change goes live. Through the CLI, real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medquote.cli import main
from medquote.index.manifest import POINTER

pytestmark = pytest.mark.slow

DEV = Path(__file__).resolve().parents[2] / "data" / "consumer_dev"
TRUNCATED = "003_aa647966e85bb14d.txt"
ORIGINAL = Path(__file__).resolve().parents[2] / "corpus" / TRUNCATED


def _regression_set(folder: Path) -> Path:
    """28 questions of the consumer dev set: 20 answered from the article the test truncates, 8 unanswerable."""
    questions = [json.loads(line) for line in (DEV / "questions.jsonl").open(encoding="utf-8")]
    judgements = [json.loads(line) for line in (DEV / "judgements.jsonl").open(encoding="utf-8")]
    from_article = {j["query_id"] for j in judgements if j["article"] == TRUNCATED and j["grade"] == 2}
    plain = [q for q in questions if not q.get("previous") and not q.get("follow_up_of")]
    chosen = [q for q in plain if q["_id"] in from_article][:20] + [q for q in plain if q["type"] == "unanswerable"][:8]
    ids = {q["_id"] for q in chosen}
    folder.mkdir()
    (folder / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in chosen), encoding="utf-8")
    kept = [j for j in judgements if j["query_id"] in ids]
    (folder / "judgements.jsonl").write_text("".join(json.dumps(j) + "\n" for j in kept), encoding="utf-8")
    return folder


@pytest.fixture
def gated_corpus(seed_corpus, tmp_path):
    regression = _regression_set(tmp_path / "regression")
    manifest = seed_corpus / "sources.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + f'\n[quality]\nsets = ["{regression}"]\n', "utf-8")
    return seed_corpus


def _build(capsys, corpus: Path, index: Path, *more: str) -> tuple[int, str, str]:
    code = main(["build", "--corpus", str(corpus), "--index", str(index), *more])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_degrading_rebuild_is_kept_back_with_a_report_and_publish_makes_it_live(
    capsys, gated_corpus, tmp_path, browser
):
    index = tmp_path / "index"
    code, out, _ = _build(capsys, gated_corpus, index)
    assert code == 0 and "quality gate passed" in out and "no live build to compare with" in out
    live = (index / POINTER).read_text().strip()
    # A broken re-download: the article is cut to its first lines and vetted again as it is.
    article = gated_corpus / TRUNCATED
    article.write_text(article.read_text(encoding="utf-8")[:600], encoding="utf-8")
    assert main(["sources", "--corpus", str(gated_corpus), "vet", "klonopin-effects-and-tolerance"]) == 0
    capsys.readouterr()
    code, out, err = _build(capsys, gated_corpus, index)
    error = err.strip().splitlines()[-1]  # after the progress bars, one line
    assert code == 1 and error.startswith("medquote: error:") and "kept unpublished" in error
    assert "first quote answers" in error and "medquote publish" in error
    assert (index / POINTER).read_text().strip() == live  # the live build is unchanged
    kept = next(p.name for p in (index / "builds").iterdir() if p.name not in (live,) and not p.name.startswith("."))
    report = json.loads((index / "reports" / f"{kept}.json").read_text(encoding="utf-8"))
    assert not report["passed"] and report["live"] == live
    changed = report["sets"][0]["changed"]
    assert len(changed) >= 5 and all(c["live"]["status"] and c["new"]["status"] for c in changed)
    assert report["sets"][0]["new"]["first_answers"] < report["sets"][0]["live"]["first_answers"]
    originals = {TRUNCATED: ORIGINAL.read_text(encoding="utf-8"), "now": article.read_text(encoding="utf-8")}
    originals["other"] = (gated_corpus / "000_bd4c192c6f266751.txt").read_text(encoding="utf-8")
    _review_page(capsys, browser, index, kept, report, originals, tmp_path)
    # The maintainer looked and accepts it.
    assert main(["publish", kept, "--index", str(index)]) == 0
    assert (index / POINTER).read_text().strip() == kept and f"{kept} is live" in capsys.readouterr().out


def _beir_set(folder: Path) -> Path:
    """Retrieval regression set: dev questions judged against the two articles by their ids in sources.toml."""
    questions = [json.loads(line) for line in (DEV / "questions.jsonl").open(encoding="utf-8")]
    judgements = [json.loads(line) for line in (DEV / "judgements.jsonl").open(encoding="utf-8")]
    ids = {TRUNCATED: "klonopin-effects-and-tolerance", "000_bd4c192c6f266751.txt": "klonopin-withdrawal"}
    judged = {(j["query_id"], ids[j["article"]]) for j in judgements if j["grade"] == 2}
    kept = [q for q in questions if any(qid == q["_id"] for qid, _ in judged)][:30]
    (folder / "qrels").mkdir(parents=True)
    (folder / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": q["_id"], "text": q["text"]}) + "\n" for q in kept), encoding="utf-8"
    )
    chosen = {q["_id"] for q in kept}
    lines = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{d}\t1" for q, d in sorted(judged) if q in chosen]
    (folder / "qrels" / "test.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


BICYCLE = "How do I patch a bicycle inner tube?"


def test_a_harmless_rebuild_goes_live_with_the_gates_summary(capsys, gated_corpus, tmp_path):
    index = tmp_path / "index"
    beir = _beir_set(tmp_path / "retrieval")
    manifest = gated_corpus / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("sets = [", f'sets = ["{beir}", ').replace("examples = [", f'examples = ["{BICYCLE}", ')
    manifest.write_text(text, encoding="utf-8")
    code, out, _ = _build(capsys, gated_corpus, index)
    # An example question the sources cannot answer is said at build time, not found by a user in the chat.
    assert code == 0 and f'warning: the chat\'s example "{BICYCLE}" gets "not found"' in out
    first = json.loads((index / "reports" / f"{(index / POINTER).read_text().strip()}.json").read_text("utf-8"))
    assert BICYCLE in first["examples_not_found"]
    assert "What are the withdrawal symptoms if I stop taking it suddenly?" not in first["examples_not_found"]
    live = (index / POINTER).read_text().strip()
    leaflet = tmp_path / "sunburn.txt"
    leaflet.write_text(
        "Sunburn\n\nSunburn is skin damage caused by ultraviolet light. Cool the skin with a damp cloth, drink "
        "water, and keep out of the sun until it heals. Use a broad-spectrum sunscreen of SPF 30 or more.\n",
        encoding="utf-8",
    )
    assert main(["sources", "--corpus", str(gated_corpus), "add", str(leaflet), "--title", "Sunburn", "--vetted"]) == 0
    capsys.readouterr()
    code, out, _ = _build(capsys, gated_corpus, index)
    assert code == 0 and "quality gate passed" in out and "(live " in out
    assert (index / POINTER).read_text().strip() != live
    # The BEIR set is measured on both builds by nDCG@10, the consumer set by its answers.
    built = (index / POINTER).read_text().strip()
    report = json.loads((index / "reports" / f"{built}.json").read_text(encoding="utf-8"))
    retrieval, answers = report["sets"]
    assert set(retrieval["new"]) == {"ndcg@10"} and 0.5 < retrieval["new"]["ndcg@10"] <= 1.0
    assert abs(retrieval["new"]["ndcg@10"] - retrieval["live"]["ndcg@10"]) <= 0.02
    assert "first_answers" in answers["new"] and "nDCG@10" in out


def test_accept_quality_drop_skips_the_gate(capsys, gated_corpus, tmp_path):
    code, out, _ = _build(capsys, gated_corpus, tmp_path / "index", "--accept-quality-drop")
    assert code == 0 and "quality gate" not in out


def test_a_malformed_quality_table_is_one_line(capsys, seed_corpus, tmp_path):
    manifest = seed_corpus / "sources.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n[quality]\nsets = []\n", encoding="utf-8")
    code, _, err = _build(capsys, seed_corpus, tmp_path / "index")
    assert code == 1 and "[quality] sets = [] must name question set folders" in err


def _review_page(capsys, browser, index: Path, kept: str, report: dict, texts: dict[str, str], tmp_path: Path) -> None:
    """`medquote report` on the kept build: one page a maintainer opens, read in Chromium as they see it."""
    feedback = tmp_path / "feedback.jsonl"
    flagged = {"time": "2026-12-07T10:00:00+00:00", "reply_id": "r1", "question": "can I stop klonopin suddenly?",
               "rating": "down", "passage_ids": [], "index_version": kept, "status": "no_match",
               "reason": "it should know this"}  # fmt: skip
    feedback.write_text(json.dumps(flagged) + "\n", encoding="utf-8")
    assert main(["report", "--index", str(index), "--feedback", str(feedback)]) == 0
    page_path = index / "reports" / f"{kept}.html"
    assert str(page_path) in capsys.readouterr().out
    page = browser.new_page()
    try:
        page.goto(page_path.resolve().as_uri())
        assert "Quality gate failed" in page.inner_text("#verdict") and f"medquote publish {kept}" in page.inner_text(
            "#verdict"
        )
        first = page.locator("table.figures tr", has_text="first quote answers")
        assert first.get_attribute("class") == "worse"
        rows = page.locator("table.changes tbody tr")
        assert rows.count() == len(report["sets"][0]["changed"])
        # Both builds' first quotes side by side, each exactly as its build's source held it.
        shown = page.locator("table.changes blockquote").all_inner_texts()
        assert shown and all(any(" ".join(q.split()) in " ".join(t.split()) for t in texts.values()) for q in shown)
        assert page.locator("table.feedback tbody tr").count() == 1
        assert "it should know this" in page.inner_text("table.feedback")
        # The abstention curves: both builds, with the threshold marked.
        assert page.locator("figure svg").count() == 1 and "threshold" in page.inner_text("figure")
    finally:
        page.close()
