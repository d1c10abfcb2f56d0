"""Sentence splitting: where the sentences (and list items) of a normalised text start and end.

The chunker cuts passages along these spans and the highlighter picks the answering one from them, so
both agree on what a sentence is. Changing a rule here changes the passages: bump
``medquote.index.chunk.CHUNKER_VERSION`` with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before white space and
# something that can start a sentence; or where an inline bullet ("... tired. - Fever") starts.
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=[A-Z0-9"'“‘(\[•-])|\s+(?=[-•]\s)""")
_ABBREVIATIONS = frozenset("dr mr mrs ms prof st vs etc e.g i.e approx no fig al inc jr sr u.s mg ml ca".split())


def line_spans(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of every line of ``text`` (split at \\n only), empty lines included."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def sentences_in(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans within ``text[start:end]``, skipping breaks after abbreviations."""
    begin = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[begin : match.start()].rsplit(None, 1)
        last_word = before[-1].lower().rstrip(".!?\"'”’)]") if before else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        if match.start() > begin:
            yield begin, match.start()
        begin = match.end()
    if end > begin:
        yield begin, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (and list item) offsets in ``text``, line by line."""
    return [span for start, end in line_spans(text) if end > start for span in sentences_in(text, start, end)]
