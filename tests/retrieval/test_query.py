"""How a question is searched: expansion only where a name is missing, the topic's names not as weight."""

from __future__ import annotations

from medquote.retrieval.query import prepare_query, synonyms_in


def corpus_uses(*words: str):
    known = set(words)
    return lambda word: word in known


def test_synonyms_add_a_name_only_where_the_corpus_lacks_the_one_asked_for():
    uses = corpus_uses("klonopin", "alcohol", "drowsiness")
    # The corpus says "klonopin": adding "clonazepam" would only weigh toward passages that also say it.
    assert synonyms_in("is klonopin addictive", uses) == []
    # It never says "xanax" or "alprazolam": nothing it uses to add.
    assert synonyms_in("is xanax stronger", uses) == []
    # Lay words it lacks get the clinical word it uses.
    assert synonyms_in("can i drink wine on it", uses) == ["alcohol"]
    assert synonyms_in("does it make you sleepy", uses) == ["drowsiness"]
    # Without a corpus every synonym is added.
    assert "clonazepam" in synonyms_in("is klonopin addictive")


def test_in_a_single_topic_corpus_the_aspect_decides_not_the_topic_name():
    uses = corpus_uses("klonopin", "clonazepam", "addictive")
    query = prepare_query("is clonazepam addictive?", "Klonopin clonazepam", uses)
    assert query.terms == ("addict",)  # BM25 without the topic's names
    assert query.dense_text == "is Klonopin addictive?"  # one name for the topic on the dense side
    only_topic = prepare_query("what is clonazepam?", "Klonopin clonazepam", uses)
    assert only_topic.terms  # a question that is only the topic keeps it


def test_this_medicine_is_the_topic():
    uses = corpus_uses("klonopin")
    vague = prepare_query("why does this medicine stop working?", "Klonopin clonazepam", uses)
    named = prepare_query("why does Klonopin stop working?", "Klonopin clonazepam", uses)
    assert vague.dense_text == named.dense_text and vague.terms == named.terms
    assert vague.text == "why does this medicine stop working?"  # shown as typed


def test_without_a_topic_the_question_is_searched_as_typed():
    query = prepare_query("what are the symptoms of gout", "", corpus_uses("gout", "symptom"))
    assert query.dense_text == "what are the symptoms of gout" and query.terms == ("symptom", "gout")
