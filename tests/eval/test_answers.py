"""Answer-quality evaluation: judged spans found in the stored sources, quotes graded by overlap."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, REPO_ROOT

from medquote.engines.registry import load_index
from medquote.errors import DatasetError
from medquote.eval.answers import JudgedSpan, evaluate_answers, load_consumer_set, locate, quote_grade
from medquote.index.build import build_index
from medquote.records import Passage, Quote


@pytest.fixture
def index(seed_corpus, tmp_path, fake_embedder):
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    return load_index(tmp_path / "index")


def test_judged_spans_are_found_in_the_stored_text_of_their_source(index):
    span = "For Klonopin, the half-life period is 35 hours."
    [found] = locate(index, (("000_bd4c192c6f266751.txt", span, 2),))
    assert index.sources[found.source_id].text[found.start : found.end] == span
    with pytest.raises(DatasetError, match="not found"):
        locate(index, (("000_bd4c192c6f266751.txt", "A sentence the article never says.", 2),))


def test_a_quote_answers_when_it_covers_half_of_a_judged_span(index):
    source = next(iter(index.sources.values()))
    span = JudgedSpan(source.id, 100, 200, 2)

    def quote(start: int, end: int) -> Quote:
        passage = Passage("p", source.id, source.text[start:end], start, end)
        return Quote(passage, source, 1.0, 0, end - start)

    assert quote_grade(quote(0, 400), [span]) == 2  # contains it
    assert quote_grade(quote(140, 160), [span]) == 2  # a part of it
    assert quote_grade(quote(160, 400), [span]) == 0  # only 40 of its 100 characters
    assert quote_grade(quote(300, 400), [span]) == 0


def test_every_set_of_ours_loads_and_its_spans_are_in_the_default_corpus(index):
    sets = [REPO_ROOT / "data" / name for name in ("consumer_dev", "consumer_train")]
    sets += [DATA / "frozen" / f"consumer_qa{n}" for n in ("", "_2", "_3")]
    for folder in sets:
        dataset = load_consumer_set(folder)
        assert {q.type for q in dataset.questions} == {"answerable", "unanswerable", "off_topic"}
        for judged in dataset.judgements.values():
            assert locate(index, judged)


def test_evaluation_asks_follow_ups_after_their_question_and_summarises(tmp_path, fake_assistant):
    folder = tmp_path / "set"
    folder.mkdir()
    rows = [{"_id": "a", "text": "What are the symptoms of asthma?", "type": "answerable"},
            {"_id": "b", "text": "and at night?", "type": "answerable", "follow_up_of": "a"},
            {"_id": "c", "text": "how do I fix a bike", "type": "off_topic"}]  # fmt: skip
    (folder / "questions.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    (folder / "judgements.jsonl").write_text("", encoding="utf-8")
    fake_assistant.index = type("I", (), {"manifest": {"sources": {}}, "sources": {}})()
    result = evaluate_answers(fake_assistant, load_consumer_set(folder))
    assert fake_assistant.previous == [(), ("What are the symptoms of asthma?",), ()]
    assert result.summary["answerable"] == 2 and result.summary["answered_off_topic"] == 0
    assert result.summary["first_answers"] == 0.0  # nothing judged: no quote counts as answering


def test_a_follow_up_gives_its_previous_question_by_id_or_by_text(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    first = {"_id": "a", "text": "is klonopin a benzo", "type": "answerable"}
    rows = [first, {"_id": "b", "text": "so is it like valium?", "type": "answerable", "previous": first["text"]}]
    (folder / "questions.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    (folder / "judgements.jsonl").write_text("", encoding="utf-8")
    assert [q.previous for q in load_consumer_set(folder).questions] == [(), ("is klonopin a benzo",)]
    rows[1]["previous"] = [first["text"], "and is it strong?"]  # a conversation's earlier turns, in order
    (folder / "questions.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert load_consumer_set(folder).questions[1].previous == (first["text"], "and is it strong?")
    del rows[1]["previous"]
    rows[1]["follow_up_of"] = "z"
    (folder / "questions.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.raises(DatasetError, match="follow-ups b name a question the set does not hold"):
        load_consumer_set(folder)
