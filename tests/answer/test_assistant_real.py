"""Answering with the real packaged model on the default corpus: what a person asking would get."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DATA

from medquote.answer.assistant import Assistant
from medquote.engines.registry import load_index
from medquote.records import Status, TriageLevel
from medquote.retrieval.hybrid import HybridRetriever
from medquote.safety import templates

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assistant(real_seed_index, real_embedder) -> Assistant:
    return Assistant(HybridRetriever(load_index(real_seed_index), real_embedder))


def _questions() -> list[str]:
    seed = [json.loads(line)["text"] for line in (DATA / "seed_eval" / "queries.jsonl").read_text().splitlines()]
    triage = [json.loads(line)["text"] for line in (DATA / "triage.jsonl").read_text().splitlines()]
    unanswerable = [line for line in (DATA / "seed_unanswerable.txt").read_text().splitlines() if line[:1].isalpha()]
    return seed + unanswerable + triage[::4]


def test_over_many_questions_every_quote_is_verbatim_and_the_disclaimer_is_always_there(assistant):
    seen = set()
    for question in _questions():
        answer = assistant.answer(question)
        seen.add(answer.status)
        assert answer.disclaimer == templates.DISCLAIMER
        assert (answer.status == Status.EMERGENCY) == (answer.emergency is not None)
        assert (answer.status == Status.ANSWERED) == bool(answer.quotes)
        for quote in answer.quotes:
            assert quote.source.text[quote.passage.start : quote.passage.end] == quote.text
            assert quote.highlight in quote.text
    assert seen == {Status.ANSWERED, Status.NO_MATCH, Status.EMERGENCY}


def test_a_generic_name_finds_passages_that_only_use_the_brand_name(assistant):
    answer = assistant.answer("what are the withdrawal symptoms of clonazepam?")
    assert answer.status == Status.ANSWERED
    top = answer.quotes[0].text
    assert "Klonopin" in top and "clonazepam" not in top.lower()


@pytest.mark.parametrize(
    ("vague", "named"),
    [
        ("why does this medicine stop working after a while?", "why does klonopin stop working after a while?"),
        ("what are the side effects of this medication", "what are the side effects of klonopin"),
        ("is it addictive?", "is klonopin addictive?"),
    ],
)
def test_this_medicine_means_the_topic_of_a_single_topic_corpus(assistant, vague, named):
    # Read as the question naming the medicine: the same passage first, the same decision to quote or not.
    scored = [assistant.retriever.score(text) for text in (vague, named)]
    assert scored[0].rows[scored[0].order()[0]] == scored[1].rows[scored[1].order()[0]]
    answer, reference = assistant.answer(vague), assistant.answer(named)
    assert answer.status == reference.status != Status.EMERGENCY
    assert [q.passage.id for q in answer.quotes] == [q.passage.id for q in reference.quotes]


def test_personal_dosing_question_gets_the_prescriber_note_and_no_number_of_its_own(assistant):
    answer = assistant.answer("I take klonopin for panic attacks, should I take a higher dose?")
    # Whether the articles answer it is the answerability model's call; the note is there either way.
    note = templates.DOSING_NOTE if answer.status == Status.ANSWERED else templates.DOSING_ASK_NOTE
    assert answer.status in (Status.ANSWERED, Status.NO_MATCH) and note in answer.notes
    own_text = " ".join([*answer.notes, answer.disclaimer, answer.message or ""])
    assert not re.search(r"\d", own_text)


def test_informational_suicide_question_is_answered_with_resources(assistant):
    answer = assistant.answer("does klonopin raise the risk of suicide?")
    assert answer.status == Status.ANSWERED
    assert any("suicide" in q.text for q in answer.quotes)
    assert answer.triage.level == TriageLevel.CHECK and answer.triage.guidance is not None


def test_from_index_embeds_questions_with_the_backend_the_index_was_built_with(real_seed_index, caplog):
    from medquote.errors import IndexMismatchError
    from medquote.settings import DEFAULT_BACKEND

    with caplog.at_level("WARNING"):
        assistant = Assistant.from_index(real_seed_index)
    assert assistant.index.backend == DEFAULT_BACKEND
    assert assistant.embedder.name.endswith(f"+{DEFAULT_BACKEND}") or DEFAULT_BACKEND == "torch"
    assert "calibrated" not in caplog.text  # every backend of the calibrated model is calibrated
    assert assistant.answer("How long is clonazepam's half-life?").status == Status.ANSWERED
    other = "onnx-int8"  # not the index's vectors; torch's would be (same_vectors), and may query it
    expected = f"built with the {DEFAULT_BACKEND} backend .* --backend {DEFAULT_BACKEND}"
    with pytest.raises(IndexMismatchError, match=expected):
        Assistant.from_index(real_seed_index, backend=other)
