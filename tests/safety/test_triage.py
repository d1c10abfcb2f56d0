"""Safety: emergency triage against the labelled set, sensitive topics, dosing questions, input cleaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA

from medquote.errors import InputError
from medquote.records import Emergency
from medquote.safety.checks import clean_question, is_personal_dosing_question, sensitive_topic
from medquote.safety.resources import DEFAULT_RESOURCES, EmergencyResources, load_resources
from medquote.safety.templates import (
    DISCLAIMER,
    EMPTY_QUESTION_MESSAGE,
    MAX_QUESTION_CHARS,
    NOT_FOUND_MESSAGE,
    TRUNCATION_NOTE,
)
from medquote.safety.triage import triage

CATEGORIES = {"suicide", "overdose", "breathing", "chest_pain", "stroke", "allergy", "seizure"}
TRIAGE_SET = [json.loads(line) for line in (DATA / "triage.jsonl").read_text("utf-8").splitlines() if line.strip()]


def test_triage_set_is_big_and_varied_enough() -> None:
    emergencies = [row for row in TRIAGE_SET if row["emergency"]]
    assert len(TRIAGE_SET) >= 80
    assert len(emergencies) >= 45
    assert len(TRIAGE_SET) - len(emergencies) >= 35
    assert {row["category"] for row in emergencies} == CATEGORIES
    assert all(row["category"] is None for row in TRIAGE_SET if not row["emergency"])


@pytest.mark.parametrize("row", TRIAGE_SET, ids=[row["text"][:60] for row in TRIAGE_SET])
def test_triage_labelled_message(row: dict) -> None:
    result = triage(row["text"])
    if row["emergency"]:
        assert result is not None, "missed emergency"
        assert result.category == row["category"]
    else:
        assert result is None, f"false alarm ({result.category if result else ''})"


def test_triage_recall_and_false_positive_rate() -> None:
    emergencies = [row for row in TRIAGE_SET if row["emergency"]]
    others = [row for row in TRIAGE_SET if not row["emergency"]]
    caught = sum(triage(row["text"]) is not None for row in emergencies)
    false_alarms = sum(triage(row["text"]) is not None for row in others)
    recall = caught / len(emergencies)
    false_positive_rate = false_alarms / len(others)
    print(
        f"triage recall={recall:.3f} ({caught}/{len(emergencies)}) "
        f"FPR={false_positive_rate:.3f} ({false_alarms}/{len(others)})"
    )
    assert recall == 1.0
    assert false_positive_rate == 0.0


def test_emergency_carries_the_resources_it_was_given() -> None:
    result = triage("my friend isn't breathing")
    assert isinstance(result, Emergency)
    assert result.message == DEFAULT_RESOURCES.message
    assert result.resources == DEFAULT_RESOURCES.resources

    custom = EmergencyResources(message="Call 999 now.", resources=("Emergency services: 999 (UK)",))
    result = triage("i want to kill myself", custom)
    assert result == Emergency(message="Call 999 now.", resources=("Emergency services: 999 (UK)",), category="suicide")


def test_default_resources_name_the_us_numbers() -> None:
    text = " ".join(DEFAULT_RESOURCES.resources)
    assert "911" in text and "988" in text and "1-800-222-1222" in text
    assert "emergency number" in DEFAULT_RESOURCES.message and "now" in DEFAULT_RESOURCES.message


@pytest.mark.parametrize(
    "question",
    [
        "how many mg should I take",
        "how much klonopin can i take",
        "what dose should I take for anxiety",
        "can I take 2 pills",
        "should I double my dose",
        "How much Klonopin should my son take?",
    ],
)
def test_personal_dosing_questions(question: str) -> None:
    assert is_personal_dosing_question(question)


@pytest.mark.parametrize(
    "question",
    [
        "what is the half-life of klonopin",
        "how long does withdrawal last",
        "what is klonopin used for",
        "how much does klonopin cost",
        "can i drink alcohol with klonopin",
    ],
)
def test_general_questions_are_not_dosing_questions(question: str) -> None:
    assert not is_personal_dosing_question(question)


@pytest.mark.parametrize(
    "question",
    [
        "does klonopin raise the risk of suicide?",
        "what is an overdose of clonazepam",
        "can klonopin make you feel suicidal",
        "is self-harm common on benzodiazepines",
        "what is the lethal dose of klonopin",
    ],
)
def test_sensitive_topics(question: str) -> None:
    assert sensitive_topic(question)
    assert triage(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "what is the half-life of klonopin",
        "can klonopin cause chest pain as a side effect?",
        "what is klonopin used for",
        "i feel odd on klonopin",
    ],
)
def test_ordinary_questions_are_not_sensitive(question: str) -> None:
    assert not sensitive_topic(question)


def test_disclaimer_says_it_is_not_medical_advice() -> None:
    assert "not medical advice" in DISCLAIMER.lower()
    assert "emergency" in DISCLAIMER.lower()
    assert "could not find" in NOT_FOUND_MESSAGE.lower()


@pytest.mark.parametrize("raw", ["", "   ", "\t\n  \r\n", "\x00\x01\x7f", "\u200b\ufeff"])
def test_empty_question_is_refused(raw: str) -> None:
    with pytest.raises(InputError, match="empty"):
        clean_question(raw)
    assert "empty" in EMPTY_QUESTION_MESSAGE.lower()


@pytest.mark.parametrize("raw", [None, 42, b"what is klonopin"])
def test_non_text_question_is_refused(raw: object) -> None:
    with pytest.raises(InputError):
        clean_question(raw)  # type: ignore[arg-type]


def test_control_characters_and_whitespace_are_cleaned() -> None:
    question, notes = clean_question("  what\tis\n\nklonopin\x00\x07 used\u200b for?\r\n ")
    assert question == "what is klonopin used for?"
    assert notes == ()


def test_long_question_is_truncated_at_a_word_with_a_note() -> None:
    raw = ("klonopin " * 300)[:2500]
    question, notes = clean_question(raw)
    assert len(question) <= MAX_QUESTION_CHARS
    assert raw.startswith(question)
    assert question.endswith("klonopin")
    assert notes == (TRUNCATION_NOTE,)
    assert "2,000" in TRUNCATION_NOTE


def test_long_question_without_spaces_is_cut_at_the_limit() -> None:
    question, notes = clean_question("x" * 2500)
    assert question == "x" * MAX_QUESTION_CHARS
    assert notes == (TRUNCATION_NOTE,)


def test_question_at_the_limit_is_kept_whole() -> None:
    raw = "a" * MAX_QUESTION_CHARS
    assert clean_question(raw) == (raw, ())


def test_html_is_kept_as_plain_text() -> None:
    question, _ = clean_question("<script>alert('x')</script> is klonopin <b>safe</b>?")
    assert question == "<script>alert('x')</script> is klonopin <b>safe</b>?"


def test_load_resources_reads_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "uk.toml"
    path.write_text(
        'message = "Call 999 now."\nresources = ["Emergency services: 999 (UK)", "Samaritans: 116 123"]\n',
        encoding="utf-8",
    )
    assert load_resources(path) == EmergencyResources(
        message="Call 999 now.", resources=("Emergency services: 999 (UK)", "Samaritans: 116 123")
    )


@pytest.mark.parametrize(
    "content",
    [
        'message = "Call 999 now."\n',
        'resources = ["999"]\n',
        'message = ""\nresources = ["999"]\n',
        'message = "Call 999 now."\nresources = []\n',
        'message = "Call 999 now."\nresources = "999"\n',
        'message = "Call 999 now."\nresources = [999]\n',
        'message = "Call 999 now."\nresource = ["999"]\n',
        'message = "Call 999 now.\nresources = [',
    ],
)
def test_load_resources_refuses_a_bad_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_resources(path)
    message = str(info.value)
    assert "bad.toml" in message and "\n" not in message


def test_load_resources_refuses_a_missing_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.toml"):
        load_resources(tmp_path / "missing.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00message")
    with pytest.raises(InputError, match="UTF-8"):
        load_resources(binary)
