"""Which sentence of a quoted passage answers the question: the one to highlight.

With the reader (the product's default), the sentence it scores highest for the question. Without it,
lexical: question terms weighted by how rare they are in the index, with sentences of the expected answer
type (a duration for "how long", a cause for "why") first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from medquote.records import Passage, Source, context_text
from medquote.text.sentences import sentence_spans
from medquote.text.tokens import tokenize

_DURATION = r"\b\d+(?:\.\d+)?\s*(?:-|to)?\s*\d*\s*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b"
_AMOUNT = r"\b\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|micrograms?|ml|g|grams?|tablets?|pills?|capsules?|doses?)\b"
_CAUSE = r"\b(?:because|due to|caused|causes|results? (?:from|in)|leads? to|happens)\b"
# (question cue, what an answering sentence contains, question words the cue makes redundant)
_ANSWER_TYPES = (
    (re.compile(r"\bhow (?:long|soon)\b", re.I), re.compile(_DURATION, re.I), ("long", "soon")),
    (re.compile(r"\bhow (?:much|many)\b|\bwhat (?:dose|dosage)\b|\bstrengths?\b|\b\d+ ?mg\b", re.I),
     re.compile(_AMOUNT, re.I), ("much", "mani")),
    (re.compile(r"\bwhy\b|\bwhat causes\b", re.I), re.compile(_CAUSE, re.I), ()),
)  # fmt: skip


def expected_answers(question: str) -> list[re.Pattern[str]]:
    """What a sentence answering ``question`` contains, by its wording: a duration for "how long", an
    amount for "how much", a cause for "why"; empty when the wording says nothing."""
    return [answer for cue, answer, _ in _ANSWER_TYPES if cue.search(question)]


def bm25_idf(bm25: Any) -> Callable[[str], float]:
    """Inverse document frequency of a stemmed term in a bm25s index (0 for unknown terms)."""
    indptr = bm25.scores["indptr"]
    total = bm25.scores["num_docs"]
    vocab = bm25.vocab_dict

    def idf(term: str) -> float:
        token = vocab.get(term)
        if token is None:
            return 0.0
        frequency = int(indptr[token + 1] - indptr[token])
        return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))

    return idf


def highlight_span(
    passage: str, question: str, terms: Iterable[str], idf: Callable[[str], float] = lambda _: 1.0
) -> tuple[int, int]:
    """Offsets in ``passage`` of the sentence that best answers ``question``; the first one on a tie."""
    wanted = set(terms)
    expected = []
    for cue, answer, redundant in _ANSWER_TYPES:
        if cue.search(question):
            expected.append(answer)
            wanted.difference_update(redundant)
    best, best_score = (0, len(passage)), (-1, -1.0)
    for start, end in sentence_spans(passage):
        sentence = passage[start:end]
        matched = wanted.intersection(tokenize(sentence))
        # The expected kind of answer outranks word overlap, if the sentence is on the question's topic.
        typed = sum(1 for pattern in expected if pattern.search(sentence)) if matched else 0
        score = (typed, sum(idf(term) for term in matched))
        if score > best_score:
            best, best_score = (start, end), score
    return best


def read_highlights(reader: Any, question: str, quoted: Sequence[tuple[Passage, Source]]) -> list[tuple[int, int]]:
    """For each quoted passage, the offsets of the sentence the reader judges answers ``question`` best
    (read as the passage is, with its source title and section in front); one batch for all of them."""
    candidates: list[tuple[int, int, int]] = []
    texts: list[str] = []
    for number, (passage, source) in enumerate(quoted):
        for start, end in sentence_spans(passage.text):
            sentence = replace(passage, text=passage.text[start:end])
            candidates.append((number, start, end))
            texts.append(context_text(sentence, source))
    best: dict[int, tuple[float, tuple[int, int]]] = {}
    many = len(candidates) > len(quoted)
    scores = reader.probabilities(question, texts) if many else [1.0] * len(candidates)
    for (number, start, end), score in zip(candidates, scores, strict=True):
        if number not in best or score > best[number][0]:
            best[number] = (float(score), (start, end))
    return [best[n][1] if n in best else (0, len(p.text)) for n, (p, _) in enumerate(quoted)]
