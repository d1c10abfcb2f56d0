"""Safety: emergency triage against the labelled set, sensitive topics, dosing questions, input cleaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, REPO_ROOT

from medquote.errors import InputError
from medquote.records import Emergency, Triage, TriageLevel
from medquote.safety.checks import clean_question, is_personal_dosing_question, sensitive_topic
from medquote.safety.classifier import TriageModel
from medquote.safety.cues import CUE_NAMES, cue_vector, units
from medquote.safety.resources import DEFAULT_RESOURCES, EmergencyResources, load_resources
from medquote.safety.templates import (
    DISCLAIMER,
    EMPTY_QUESTION_MESSAGE,
    MAX_QUESTION_CHARS,
    NOT_FOUND_MESSAGE,
    TRUNCATION_NOTE,
)
from medquote.safety.triage import Triager

# The 261-message set the rules were first written against, kept as a regression test.
# ("allergy" is now called "anaphylaxis".)
OLD_NAMES = {"allergy": "anaphylaxis"}
TRIAGE_SET = [json.loads(line) for line in (DATA / "triage.jsonl").read_text("utf-8").splitlines() if line.strip()]
EMERGENCIES = [row for row in TRIAGE_SET if row["emergency"]]
LOOKALIKES = [row for row in TRIAGE_SET if not row["emergency"]]


@pytest.fixture(scope="module")
def triager(real_embedder) -> Triager:
    return Triager(real_embedder)


@pytest.fixture(scope="module")
def rules_only() -> Triager:
    return Triager(None)


def test_regression_set_is_big_and_varied_enough() -> None:
    assert len(EMERGENCIES) >= 45 and len(LOOKALIKES) >= 35
    assert len({row["category"] for row in EMERGENCIES}) == 7


@pytest.mark.slow
def test_every_emergency_of_the_regression_set_still_gets_the_crisis_resources(triager) -> None:
    for row in EMERGENCIES:
        result = triager.assess(row["text"])
        assert result.level != TriageLevel.NONE, row["text"]
        assert result.guidance is not None and result.guidance.resources == DEFAULT_RESOURCES.resources
        assert result.category == OLD_NAMES.get(row["category"], row["category"]), row["text"]


@pytest.mark.slow
def test_regression_look_alikes_rarely_take_the_answer_away(triager) -> None:
    at_emergency = [row["text"] for row in LOOKALIKES if triager.assess(row["text"]).level == TriageLevel.EMERGENCY]
    assert len(at_emergency) / len(LOOKALIKES) <= 0.03, at_emergency


def test_rules_alone_still_flag_the_regression_emergencies(rules_only) -> None:
    """Without a classifier (another embedding model), the rules are the net: a match is an emergency."""
    for row in EMERGENCIES:
        result = rules_only.assess(row["text"])
        assert result.level == TriageLevel.EMERGENCY, row["text"]
        assert result.category == OLD_NAMES.get(row["category"], row["category"])
    assert not [row for row in LOOKALIKES if rules_only.assess(row["text"]).level == TriageLevel.EMERGENCY]


# Our own examples of wording the cues exist for (not from any evaluation set).
@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("I'm not suicidal, just curious how long klonopin lasts", "negated"),
        ("no chest pain or anything, only heartburn", "negated"),
        ("I used to cut myself as a teenager", "past"),
        ("i overdosed back in 2015 and have been clean for 5 years", "past"),
        ("this commute is killing me", "figurative"),
        ("I'm dying to know if it works lol", "figurative"),
        ("what happens if someone takes too many sleeping pills", "general"),
        ("he just took them all right now, help", "now"),
        ("my puppy chewed a blister pack", "animal"),
    ],
)
def test_cues_spot_negation_time_figurative_speech_and_generality(text: str, cue: str) -> None:
    assert cue_vector(text)[CUE_NAMES.index(cue)] == 1.0


def test_units_score_each_sentence_of_a_long_message() -> None:
    text = "How long does klonopin last? I took the whole bottle an hour ago. Is that bad"
    assert units(text) == [text, "How long does klonopin last?", "I took the whole bottle an hour ago.", "Is that bad"]
    assert units("what is klonopin") == ["what is klonopin"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal at all, I just want to know how long klonopin stays in the body",
        "I cut myself when I was a teenager, now the old scars itch, is that normal?",
        "this exam week is killing me lol, can klonopin help with stress?",
        "no chest pain, no shortness of breath, just a mild cough for two days",
    ],
)
def test_denied_past_and_figurative_danger_is_not_an_emergency(triager, text: str) -> None:
    assert triager.assess(text).level != TriageLevel.EMERGENCY


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i just swallowed every pill in my cabinet and feel really sleepy", "overdose"),
        ("my grandpa collapsed in the kitchen and he isn't breathing", "breathing"),
        ("my 2 year old swallowed one of those coin batteries", "child_ingestion"),
    ],
)
def test_an_emergency_gets_guidance_of_its_kind(triager, text: str, category: str) -> None:
    result = triager.assess(text)
    assert result.level == TriageLevel.EMERGENCY and result.category == category
    assert result.guidance.message == DEFAULT_RESOURCES.message


@pytest.mark.slow
def test_one_dangerous_sentence_buried_in_a_long_question_is_found(triager) -> None:
    text = (
        "Hi, I have been on clonazepam 0.5 mg for about a year for panic attacks and my doctor wants to switch me "
        "to something else next month. I swallowed the rest of the bottle about twenty minutes ago. Anyway, "
        "does the new one have fewer side effects and will I gain weight on it?"
    )
    assert triager.assess(text).level != TriageLevel.NONE


@pytest.mark.slow
def test_an_animal_gets_the_vet_guidance_not_the_human_banner(triager) -> None:
    result = triager.assess("my dog just ate two of my klonopin tablets off the floor")
    assert result.level != TriageLevel.NONE and result.category == "animal"
    assert result.guidance.resources == DEFAULT_RESOURCES.animal_resources
    assert "988" not in " ".join(result.guidance.resources)


@pytest.mark.slow
def test_ordinary_questions_get_nothing(triager) -> None:
    for text in ("what is klonopin used for", "how long does clonazepam stay in your system",
                 "can i drink coffee while taking klonopin"):  # fmt: skip
        assert triager.assess(text) == Triage()


@pytest.mark.slow
def test_the_two_levels_show_different_guidance(triager) -> None:
    check = triager.assess("does klonopin raise the risk of suicide?")
    assert check.level == TriageLevel.CHECK
    assert check.guidance.message == DEFAULT_RESOURCES.check_message != DEFAULT_RESOURCES.message
    assert check.guidance.resources == DEFAULT_RESOURCES.resources


def test_resources_it_was_given_are_the_ones_shown(rules_only) -> None:
    custom = EmergencyResources(message="Call 999 now.", resources=("Emergency services: 999 (UK)",))
    result = Triager(None, resources=custom).assess("i want to kill myself")
    assert result == Triage(
        TriageLevel.EMERGENCY, "suicide", Emergency("Call 999 now.", ("Emergency services: 999 (UK)",), "suicide")
    )


def test_default_resources_name_the_us_numbers() -> None:
    text = " ".join(DEFAULT_RESOURCES.resources)
    assert "911" in text and "988" in text and "1-800-222-1222" in text
    assert "emergency number" in DEFAULT_RESOURCES.message and "now" in DEFAULT_RESOURCES.message
    assert "vet" in DEFAULT_RESOURCES.animal_message.lower()


@pytest.mark.slow
def test_public_triage_function_returns_a_triage() -> None:
    import medquote

    result = medquote.triage("my friend isn't breathing")
    assert isinstance(result, Triage) and result.level == TriageLevel.EMERGENCY and result.category == "breathing"


def test_every_training_message_near_a_frozen_one_is_listed_so_the_trainer_leaves_it_out() -> None:
    """Leakage check: nothing the classifier learnt from is (nearly) a message it is judged on. The trainer
    never reads a frozen set; it leaves out the messages listed in data/triage/near_duplicates.json."""
    from medquote.training import triage as train_triage

    frozen = [json.loads(line)["text"] for path in sorted((DATA / "frozen").glob("triage_eval*.jsonl"))
              for line in path.open(encoding="utf-8")]  # fmt: skip
    files = sorted((REPO_ROOT / "data/triage").glob("triage_train*.jsonl"))
    trained = [json.loads(line)["text"] for path in files for line in path.open(encoding="utf-8")]
    dev = REPO_ROOT / "data/triage/triage_dev.jsonl"
    trained += [json.loads(line)["text"] for line in dev.open(encoding="utf-8")]
    close = [text for text, near in zip(trained, train_triage.near_duplicates(trained, frozen), strict=True) if near]
    listed = json.loads(train_triage.NEAR_FROZEN.read_text(encoding="utf-8"))
    assert set(listed["frozen_sets"]) == {str(p.relative_to(REPO_ROOT)) for p in (DATA / "frozen").glob("triage_eval*")}
    missing = [text for text in close if train_triage.text_sha256(text) not in set(listed["sha256"])]
    assert close and not missing, missing[:5]
    # They are few, mostly everyday questions two authors both wrote ("What is a normal resting heart rate?"),
    # and the shipped model left out as many as the list names among its messages.
    assert len(close) <= 0.08 * len(frozen)
    assert TriageModel.load().meta["left_out_near_duplicates_of_frozen"] >= len(set(close))


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
