"""Passages: exact slices, whole sentences, headings as sections."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from medquote.index.chunk import ChunkParams, chunk_text
from medquote.text.normalize import normalize_text
from medquote.text.sentences import sentence_spans

WORDS = st.sampled_from("klonopin dose the brain calm withdrawal GABA seizures e.g. Dr. 35 mg hours".split())
SENTENCE = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(WORDS, min_size=1, max_size=30),
    st.sampled_from([".", "?", "!", "", "."]),
)
PARAGRAPH = st.builds(" ".join, st.lists(SENTENCE, min_size=1, max_size=8))
HEADING = st.sampled_from(["## Side effects", "Why does this happen?", "Key Points", "- a list item."])
TEXT = st.builds(
    lambda blocks: normalize_text("\n\n".join(blocks)),
    st.lists(st.one_of(PARAGRAPH, PARAGRAPH, HEADING), min_size=1, max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=5, max_value=150), st.integers(min_value=0, max_value=2))
def test_passages_are_ordered_exact_slices_made_of_whole_sentences(text, target, overlap):
    params = ChunkParams(target_words=target, min_words=min(20, target), overlap_sentences=overlap)
    passages = chunk_text("s", text, params)
    boundaries = {end for _, end in sentence_spans(text)}
    starts = {start for start, _ in sentence_spans(text)}
    for passage in passages:
        assert text[passage.start : passage.end] == passage.text
        assert passage.text == passage.text.strip() and passage.text
        assert passage.end in boundaries and passage.start in starts
    assert [p.start for p in passages] == sorted(p.start for p in passages)
    if overlap == 0:
        assert all(a.end <= b.start for a, b in zip(passages, passages[1:], strict=False))


def test_target_length_is_kept_unless_one_sentence_is_longer():
    sentence = "Klonopin is a benzodiazepine used for seizures and panic disorder."  # 10 words
    text = " ".join([sentence] * 40)
    passages = chunk_text("s", text, ChunkParams(target_words=30))
    assert all(len(p.text.split()) <= 30 for p in passages)
    long = "word " * 80 + "end."
    assert [p.text for p in chunk_text("s", long.strip(), ChunkParams(target_words=30))] == [long.strip()]


def test_a_heading_travels_with_its_passages_and_is_not_quoted():
    text = normalize_text(
        "Intro text about Klonopin that is long enough to stand alone as a passage here.\n\n"
        "Will the Klonopin side effects I experience be permanent?\n\n"
        "The common side effects of Klonopin are,\n\n• Unsteadiness\n• Dizziness\n\n"
        "## Dosing\n\nFollow the regimen prescribed by your physician."
    )
    passages = chunk_text("s", text, ChunkParams(target_words=50, min_words=5))
    sections = {p.section for p in passages}
    assert sections == {None, "Will the Klonopin side effects I experience be permanent?", "Dosing"}
    assert all("## Dosing" not in p.text and "be permanent?" not in p.text for p in passages)
    bullets = next(p for p in passages if "Unsteadiness" in p.text)
    assert bullets.text.startswith("The common side effects") and bullets.text.endswith("Dizziness")


def test_document_section_applies_until_the_text_has_its_own_heading():
    passages = chunk_text("s", "Signs include fever.", section="What are the symptoms of X ?")
    assert passages[0].section == "What are the symptoms of X ?"
