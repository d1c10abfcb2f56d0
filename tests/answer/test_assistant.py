"""Answering: verbatim quotes, the disclaimer on every status, triage before retrieval, abstention."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from conftest import DATA

from medquote.answer.abstain import Abstention
from medquote.answer.assistant import Assistant
from medquote.engines.registry import load_index
from medquote.errors import IndexMismatchError, InputError
from medquote.index.build import build_index
from medquote.index.manifest import current_build
from medquote.ingest.register import vet_source
from medquote.records import Status, TriageLevel
from medquote.retrieval.hybrid import HybridRetriever
from medquote.safety import templates

QUESTIONS = [
    "What are the side effects of Klonopin?",
    "klonopin half-life hours",
    "leg cramps stomach ache withdrawal",
    "tolerance receptors metabolizing",
    "does klonopin raise the risk of suicide?",
    "how many mg should I take",
    "what is the capital of France",
    "<script>alert(1)</script> GABA receptors",
    "I want to kill myself",
    "my friend is not breathing",
]


@pytest.fixture
def assistant(seed_corpus, tmp_path, fake_embedder) -> Assistant:
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    # Keyword vectors give far lower cosines than the real model, whose answerability model this is:
    # a low cut keeps the logic testable (an unrelated question still scores below it).
    return Assistant(
        HybridRetriever(load_index(tmp_path / "index"), fake_embedder),
        abstention=Abstention(threshold=0.04),
        index_dir=tmp_path / "index",
    )


def _triage_messages() -> list[str]:
    lines = (DATA / "triage.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def test_every_quote_is_verbatim_and_every_answer_has_the_disclaimer(assistant):
    statuses = set()
    for question in QUESTIONS + _triage_messages():
        answer = assistant.answer(question)
        statuses.add(answer.status)
        assert answer.disclaimer == templates.DISCLAIMER
        assert answer.to_dict()["disclaimer"] == templates.DISCLAIMER
        for quote in answer.quotes:
            assert quote.text == quote.source.text[quote.passage.start : quote.passage.end]
            assert quote.highlight and quote.highlight in quote.text
    assert statuses == {Status.ANSWERED, Status.NO_MATCH, Status.EMERGENCY}


def test_emergencies_are_answered_before_any_retrieval(assistant, monkeypatch):
    calls = []
    original = assistant._state.retriever.score
    monkeypatch.setattr(assistant._state.retriever, "score", lambda q, **kw: calls.append(q) or original(q, **kw))
    answer = assistant.answer("my husband took a whole bottle of klonopin and won't wake up")
    assert answer.status == Status.EMERGENCY and not answer.quotes and calls == []
    assert "911" in " ".join(answer.emergency.resources)
    assistant.answer("What are the side effects of Klonopin?")
    assert calls


def test_informational_look_alike_gets_quotes_and_crisis_resources(assistant):
    answer = assistant.answer("does klonopin raise the risk of suicide?")
    assert answer.status == Status.ANSWERED
    assert answer.triage.level == TriageLevel.CHECK
    assert answer.triage.guidance.resources == assistant.resources.resources
    assert answer.to_dict()["triage"]["level"] == "check"


def test_personal_dosing_question_gets_the_prescriber_note(assistant):
    answer = assistant.answer("how much klonopin should I take for my anxiety?")
    assert answer.status == Status.ANSWERED and templates.DOSING_NOTE in answer.notes
    assert answer.message is None


def test_personal_dosing_question_with_nothing_to_quote_still_says_to_ask_the_prescriber(assistant):
    answer = assistant.answer("how much zebrafish food should I take for my anxiety?")
    assert answer.status == Status.NO_MATCH and answer.notes == (templates.DOSING_ASK_NOTE,)
    assert templates.DOSING_NOTE not in answer.notes  # it speaks of quotes below, and there are none


def test_off_topic_question_is_not_found(assistant):
    answer = assistant.answer("what is the capital of France")
    assert answer.status == Status.NO_MATCH and answer.quotes == ()
    assert answer.message == templates.NOT_FOUND_MESSAGE


def test_bad_input(assistant):
    for empty in ("", "   ", "\x00\x07\n\t"):
        with pytest.raises(InputError):
            assistant.answer(empty)
    long = assistant.answer("klonopin withdrawal " * 200)
    assert templates.TRUNCATION_NOTE in long.notes and len(long.question) <= templates.MAX_QUESTION_CHARS
    html = assistant.answer('<img src=x onerror="alert(1)"> GABA receptors')
    assert html.question.startswith("<img src=x")


def test_a_quote_whose_source_text_changed_after_the_build_is_refused_not_quoted(assistant):
    index = assistant.index
    passage = assistant.answer("klonopin half-life hours").quotes[0].passage
    source = index.sources[passage.source_id]
    index.sources[source.id] = replace(source, text=source.text.replace("35 hours", "3 hours"))
    with pytest.raises(IndexMismatchError, match="is not the text of source .*medquote build"):
        assistant.answer("klonopin half-life hours")


def test_answers_come_from_a_rebuilt_index_without_a_restart(assistant, seed_corpus, fake_embedder):
    old = assistant.index_version
    path = seed_corpus / "000_bd4c192c6f266751.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nZebrafish research is unrelated to Klonopin.\n")
    vet_source(seed_corpus, "klonopin-withdrawal")
    build_index(seed_corpus, assistant.index_dir, fake_embedder)
    assert assistant.reload_if_changed(wait=True)
    assert assistant.index_version != old
    answer = assistant.answer("zebrafish research")
    assert any("Zebrafish" in q.text for q in answer.quotes)


def test_a_tampered_new_build_is_not_switched_to(assistant, seed_corpus, fake_embedder, caplog, monkeypatch):
    # import-linter, run in-process by tests/test_layers.py, configures logging with existing loggers disabled.
    monkeypatch.setattr(logging.getLogger("medquote.answer.assistant"), "disabled", False)
    old = assistant.index_version
    path = seed_corpus / "000_bd4c192c6f266751.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nZebrafish research is unrelated to Klonopin.\n")
    vet_source(seed_corpus, "klonopin-withdrawal")
    build_index(seed_corpus, assistant.index_dir, fake_embedder)
    passages = current_build(assistant.index_dir) / "passages.jsonl"
    passages.write_text(passages.read_text(encoding="utf-8").replace("35 hours", "95 hours"), encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="medquote.answer"):
        assert assistant.reload_if_changed(wait=True)
    assert assistant.index_version == old
    assert "passages.jsonl: damaged or changed since it was built" in caplog.text and "Traceback" not in caplog.text
    answer = assistant.answer("klonopin half-life hours")
    assert any("35 hours" in q.text for q in answer.quotes)


def test_concurrent_questions(assistant):
    barrier = threading.Barrier(8)

    def ask(question: str) -> str:
        barrier.wait(timeout=10)
        return assistant.answer(question).status

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(ask, QUESTIONS[:8]))
    assert statuses == [assistant.answer(q).status for q in QUESTIONS[:8]]
