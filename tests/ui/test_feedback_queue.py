"""The review queue: thumbs-down replies listed for a maintainer, and exported as a question set to judge."""

from __future__ import annotations

import json

import pytest

from medquote.cli import main
from medquote.errors import DatasetError
from medquote.eval.answers import load_consumer_set
from medquote.ui.feedback import FeedbackStore, read_feedback, review_queue


def _store(path):
    store = FeedbackStore(path)
    store.record(question="What is Klonopin?", rating="down", passage_ids=["a#1"], index_version="v1",
                 status="answered", reply_id="r1")  # fmt: skip
    store.record(question="Is it safe with wine?", rating="up", passage_ids=["a#2"], index_version="v1",
                 status="answered", reply_id="r2")  # fmt: skip
    store.record(question="Can my dog take it?", rating="down", passage_ids=[], index_version="v1",
                 status="no_match", reply_id="r3")  # fmt: skip
    store.record(question="Can my dog take it?", rating="down", passage_ids=[], index_version="v1",
                 status="no_match", reply_id="r3", reason="the vet said something else")  # fmt: skip
    store.record(question="How long does withdrawal last?", rating="down", passage_ids=["b#4"],
                 index_version="v1", status="answered", reply_id="r4")  # fmt: skip
    return path


def test_the_queue_is_thumbs_down_once_per_reply_not_found_and_emergencies_first_then_newest(tmp_path):
    queue = review_queue(read_feedback(_store(tmp_path / "feedback.jsonl")))
    assert [entry["reply_id"] for entry in queue] == ["r3", "r4", "r1"]
    assert queue[0]["reason"] == "the vet said something else"  # the reason record completes the rating


def test_list_and_export_through_the_cli_make_a_set_that_reads_once_judged(capsys, tmp_path):
    feedback = _store(tmp_path / "feedback.jsonl")
    assert main(["feedback", "--feedback", str(feedback), "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["time", "status", "question", "reason", "shown"]
    assert [line.split("\t")[2] for line in lines[1:]] == [
        "Can my dog take it?", "How long does withdrawal last?", "What is Klonopin?"]  # fmt: skip
    folder = tmp_path / "flagged"
    assert main(["feedback", "--feedback", str(feedback), "export", str(folder)]) == 0
    assert "3 thumbs-down replies" in capsys.readouterr().out
    with pytest.raises(DatasetError, match="fb_r3, fb_r4, fb_r1 have a type other than"):
        load_consumer_set(folder)  # not judged yet: the ids still to judge are named
    rows = [json.loads(line) for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["feedback"]["status"] == "no_match" and rows[0]["note"] == "the vet said something else"
    judged = {"fb_r3": "unanswerable", "fb_r4": "answerable", "fb_r1": "answerable"}
    for row in rows:
        row["type"] = judged[row["_id"]]
    (folder / "questions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    span = {"query_id": "fb_r4", "article": "003_aa647966e85bb14d.txt", "span": "withdrawal", "grade": 2}
    (folder / "judgements.jsonl").write_text(json.dumps(span) + "\n", encoding="utf-8")
    judged_set = load_consumer_set(folder)
    assert [q.type for q in judged_set.questions] == ["unanswerable", "answerable", "answerable"]
    assert judged_set.judgements["fb_r4"] == (("003_aa647966e85bb14d.txt", "withdrawal", 2),)


def test_export_never_overwrites_a_set(capsys, tmp_path):
    feedback = _store(tmp_path / "feedback.jsonl")
    folder = tmp_path / "flagged"
    folder.mkdir()
    (folder / "questions.jsonl").write_text('{"_id": "mine"}\n', encoding="utf-8")
    assert main(["feedback", "--feedback", str(feedback), "export", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "already holds a question set; choose a new folder" in err and len(err.strip().splitlines()) == 1
    assert (folder / "questions.jsonl").read_text(encoding="utf-8") == '{"_id": "mine"}\n'


def test_no_feedback_file_is_an_empty_queue(capsys, tmp_path):
    assert main(["feedback", "--feedback", str(tmp_path / "none.jsonl"), "list"]) == 0
    assert "no thumbs-down replies" in capsys.readouterr().out
