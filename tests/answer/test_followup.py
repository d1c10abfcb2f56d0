"""Follow-ups: a short question without a subject is read with the question before it."""

from __future__ import annotations

import pytest

from medquote.answer.followup import is_follow_up, with_subject

NAMES = ("klonopin", "clonazepam", "rivotril")


@pytest.mark.parametrize("question", ["and with alcohol?", "are they permanent?", "which part of the brain",
                                      "what about driving", "any off label uses?", "why does that happen"])  # fmt: skip
def test_short_questions_without_the_topics_name_are_follow_ups(question):
    assert is_follow_up(question, NAMES)


OWN_SUBJECT = [
    "is klonopin addictive",
    "what are the withdrawal symptoms of clonazepam",
    "my doctor gave me klonopin for panic attacks, how long until it works?",
]


@pytest.mark.parametrize("question", OWN_SUBJECT)
def test_questions_with_their_own_subject_are_not(question):
    assert not is_follow_up(question, NAMES)


def test_a_continuation_that_names_the_topic_is_still_a_follow_up():
    assert is_follow_up("and what about klonopin with alcohol?", NAMES)


def test_the_follow_up_is_searched_after_the_previous_question():
    assert with_subject("are they permanent?", "What are the side effects of Klonopin?") == (
        "What are the side effects of Klonopin: are they permanent?"
    )
