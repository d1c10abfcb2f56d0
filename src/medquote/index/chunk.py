"""Split a normalised source text into passages that are exact slices of it.

Passages follow sentences and paragraphs: a passage never cuts a sentence, prefers to end at a paragraph
break, and never spans two sections. A heading is not part of any passage's text; it travels with the
passages under it as ``section``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from medquote.records import Passage
from medquote.text.sentences import line_spans, sentences_in

_BULLET = re.compile(r"^(?:[-*•‣◦▪]|\d{1,2}[.)])\s")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_WORD = re.compile(r"\S+")
# Bump when the cutting rules change, so that `medquote build` knows an index is stale.
CHUNKER_VERSION = 3


@dataclass(frozen=True, slots=True)
class ChunkParams:
    """How passages are cut. Recorded in the index manifest."""

    target_words: int = 120
    # Below this many words a passage keeps growing across a paragraph break.
    min_words: int = 20
    overlap_sentences: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "version": CHUNKER_VERSION,
            "target_words": self.target_words,
            "min_words": self.min_words,
            "overlap_sentences": self.overlap_sentences,
        }


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence (or list item) located in the source text."""

    start: int
    end: int
    words: int
    paragraph: int
    section: str | None


def passage_id(text: str) -> str:
    """A stable id from the passage's text alone, so identical passages share one id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def is_heading(line: str, next_line: str | None) -> bool:
    """A short title-like line followed by body text."""
    if _MD_HEADING.match(line):
        return True
    if next_line is None or _BULLET.match(line):
        return False
    words = line.split()
    if not words or len(words) > 12:
        return False
    if line[-1] in ".,;:" or line[-1].islower() and len(words) > 6:
        return False
    # "Key Points", "Why does this happen?", "What Should You Know Before Taking Klonopin?"
    return line.endswith("?") or sum(w[0].isupper() for w in words if w[0].isalpha()) >= len(words) / 2


def _units(text: str, section: str | None) -> list[_Unit]:
    lines = list(line_spans(text))
    units: list[_Unit] = []
    paragraph = 0
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line:
            paragraph += 1
            continue
        following = next((text[s:e] for s, e in lines[i + 1 :] if e > s), None)
        if is_heading(line, following):
            md = _MD_HEADING.match(line)
            section = (md.group(1) if md else line).strip()
            paragraph += 1
            continue
        for s, e in sentences_in(text, start, end):
            units.append(_Unit(s, e, len(_WORD.findall(text[s:e])), paragraph, section))
    return units


def chunk_text(
    source_id: str, text: str, params: ChunkParams = ChunkParams(), *, section: str | None = None
) -> list[Passage]:
    """Cut ``text`` into passages; each passage's ``text == text[start:end]``.

    ``section`` is the heading of passages before the text's first own heading.
    """
    units = _units(text, section)
    passages: list[Passage] = []
    current: list[_Unit] = []

    def flush() -> None:
        if not current:
            return
        start, end = current[0].start, current[-1].end
        body = text[start:end]
        passages.append(Passage(passage_id(body), source_id, body, start, end, current[0].section))

    for unit in units:
        if current:
            words = sum(u.words for u in current)
            new_section = unit.section != current[-1].section
            too_long = words + unit.words > params.target_words
            # A lead-in ("The common side effects are,") stays with the list it introduces.
            leads_in = text[current[-1].end - 1] in ":,"
            paragraph_break = unit.paragraph != current[-1].paragraph and words >= params.min_words and not leads_in
            if new_section or too_long or paragraph_break:
                flush()
                keep = params.overlap_sentences if not new_section else 0
                current = current[len(current) - keep :] if keep else []
                # An overlap that alone fills the passage would repeat forever.
                if sum(u.words for u in current) + unit.words > params.target_words:
                    current = []
        current.append(unit)
    flush()
    return passages
