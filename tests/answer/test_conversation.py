"""Conversations: a follow-up is searched as the question it stands for, its own aspect kept; a full
question is never rewritten."""

from __future__ import annotations

import pytest

from medquote.answer.conversation import Conversation, aspect_of, is_follow_up

NAMES = ("klonopin", "clonazepam", "rivotril")
TOPIC = "Klonopin"


def chat(*questions: str) -> list[str | None]:
    """What each question of a chat is searched as (None: as typed)."""
    conversation, searched = Conversation(), []
    for question in questions:
        searched.append(conversation.rewrite(question, NAMES, TOPIC))
        conversation = conversation.after(question, NAMES, TOPIC)
    return searched


@pytest.mark.parametrize("question", ["and with alcohol?", "are they permanent?", "which part of the brain",
                                      "what about driving", "any off label uses?", "why does that happen",
                                      "is it safe to drive?", "does it go away"])  # fmt: skip
def test_questions_without_a_subject_of_their_own_are_follow_ups(question):
    assert is_follow_up(question, NAMES)


OWN_SUBJECT = [
    "is klonopin addictive",
    "what are the withdrawal symptoms of clonazepam",
    "my doctor gave me klonopin for panic attacks, how long until it works?",
    "and what about klonopin with alcohol?",
    "What is the usual adult dose of ibuprofen for a bad back and a headache?",
]


@pytest.mark.parametrize("question", OWN_SUBJECT)
def test_full_questions_are_never_rewritten(question):
    assert not is_follow_up(question, NAMES)
    assert chat("What are the side effects of Klonopin?", question)[1] is None


def test_a_first_question_is_never_rewritten():
    assert chat("how long does that last?") == [None]


def test_a_pointing_word_is_filled_with_the_previous_aspect_and_the_new_aspect_kept():
    searched = chat("What are the withdrawal symptoms of Klonopin?", "how long does that last?", "is that permanent?")
    assert searched[1] == "how long does withdrawal symptoms of Klonopin last?"
    # The third turn still points at the withdrawal symptoms, not at "how long … last".
    assert searched[2] == "is withdrawal symptoms of Klonopin permanent?"


def test_it_stands_for_the_medicine_unless_the_follow_up_asks_whether_something_passes():
    assert chat("what is klonopin used for?", "does it work for panic attacks?")[1] == (
        "does klonopin work for panic attacks?"
    )
    assert chat("what are the side effects of clonazepam?", "does it go away?")[1] == (
        "does side effects of clonazepam go away?"
    )


def test_a_continuation_is_searched_after_the_medicines_name_so_its_own_aspect_decides():
    searched = chat("can klonopin make you sleepy?", "and with alcohol?", "is it dangerous?")
    assert searched[1] == "klonopin: and with alcohol?"
    assert "sleepy" not in searched[1]
    assert searched[2] == "klonopin: is alcohol dangerous?"


def test_the_medicine_is_named_as_the_chat_named_it_and_else_by_the_topic():
    assert chat("is rivotril a benzo?", "what about kids?")[1] == "rivotril: what about kids?"
    assert chat("what helps with panic attacks?", "what about kids?")[1] == "Klonopin: what about kids?"


def test_the_state_is_the_earlier_questions_alone():
    earlier = ["What are the withdrawal symptoms of Klonopin?", "how long does that last?"]
    conversation = Conversation.of(earlier, NAMES, TOPIC)
    rewritten = "how long does withdrawal symptoms of Klonopin last?"
    assert [t.searched for t in conversation.turns] == [earlier[0], rewritten]
    assert conversation.last.subject == "Klonopin" and conversation.last.aspect == "withdrawal symptoms of Klonopin"


@pytest.mark.parametrize(
    ("question", "aspect"),
    [("What are the withdrawal symptoms of klonopin?", "withdrawal symptoms of klonopin"),
     ("How long does clonazepam stay in the body?", "clonazepam stay in the body"),
     ("klonopin: and with alcohol?", "alcohol")],
)  # fmt: skip
def test_the_aspect_is_the_question_without_its_question_words(question, aspect):
    assert aspect_of(question) == aspect


@pytest.mark.slow
def test_a_follow_up_is_answered_in_the_form_the_reader_finds_an_answer_for_more_surely(real_seed_index):
    """A follow-up is read as its rewrite and as typed after the question before it; the answer is the
    form with the surer answer, says which in ``searched_as``, and quotes the sources verbatim."""
    from medquote.answer.assistant import Assistant

    assistant = Assistant.from_index(real_seed_index)
    first = "What are the withdrawal symptoms of klonopin?"
    follow_up = "why does that happen?"
    rewrite = Conversation.of([first], assistant.names, assistant.topic).rewrite(follow_up, assistant.names)
    answer = assistant.answer(follow_up, previous=[first])
    forms = {rewrite: assistant._quotes(assistant._state, rewrite, None)[1],
             f"{first} {follow_up}": assistant._quotes(assistant._state, f"{first} {follow_up}", None)[1]}  # fmt: skip
    assert answer.searched_as in forms
    assert forms[answer.searched_as] == pytest.approx(max(forms.values()), abs=1e-6)
    assert answer.confidence == pytest.approx(forms[answer.searched_as], abs=1e-6)
    sources = {s.id: s.text for s in assistant.sources}
    assert all(q.passage.text in sources[q.source.id] for q in answer.quotes)
