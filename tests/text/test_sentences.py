"""Sentences: where they start and end, for the chunker and the highlighter alike."""

from __future__ import annotations

from medquote.text.sentences import sentence_spans


def test_abbreviations_do_not_end_sentences():
    spans = sentence_spans("Ask Dr. Smith about it, e.g. at the visit. Then stop.")
    assert len(spans) == 2
