"""An answer as plain text for the terminal (`medquote ask` without --json)."""

from __future__ import annotations

import math
import textwrap

from medquote.records import Answer, Status, TriageLevel
from medquote.ui import provenance
from medquote.ui.wording import CHECK_TITLE, SEARCHED_AS_LABEL

_WIDTH = 100


def _wrap(text: str, prefix: str = "") -> str:
    lines = []
    for line in text.splitlines() or [""]:
        lines.append(textwrap.fill(line, _WIDTH, initial_indent=prefix, subsequent_indent=prefix) or prefix)
    return "\n".join(lines)


def render_text(answer: Answer) -> str:
    """Emergency guidance (or a triage check) first, how a follow-up was read, notes, then each quote with
    its highlighted sentence and source card, and the disclaimer. Quotes are printed as stored; only the
    » « marks around the highlight are added."""
    parts: list[str] = []
    guidance = answer.emergency or answer.triage.guidance
    if guidance is not None:
        check = answer.triage.level == TriageLevel.CHECK and answer.status != Status.EMERGENCY
        resources = "".join(f"\n   - {resource}" for resource in guidance.resources)
        parts.append(f"{CHECK_TITLE + ': ' if check else '!! '}{guidance.message}{resources}")
    if answer.searched_as:
        parts.append(f"{SEARCHED_AS_LABEL} {answer.searched_as}")
    parts.extend(_wrap(note, "Note: ") for note in answer.notes)
    if answer.status in (Status.NO_MATCH, Status.UNAVAILABLE) and answer.message:
        parts.append(answer.message)
    for number, quote in enumerate(answer.quotes, start=1):
        text = quote.text
        marked = f"{text[: quote.highlight_start]}»{quote.highlight}«{text[quote.highlight_end :]}"
        section = f" — {quote.passage.section}" if quote.passage.section else ""
        parts.append(f"[{number}] {provenance.card(quote.source)}{section}\n{_wrap(marked, '  > ')}")
    parts.append(_wrap(answer.disclaimer))
    return "\n\n".join(parts)


def render_ranking(assistant, question: str, top: int = 10) -> str:
    """Why passages ranked as they did: the best ``top`` candidates with each feature's contribution."""
    scored = assistant.retriever.score(question)
    index = assistant.index
    names = list(scored.contributions)
    # In a single-topic corpus the first candidates are ordered by the reranker's chance of answering.
    reranked = scored.answers is not None
    # The reader's P(answers) decides the order of the first candidates, and whether anything is quoted.
    read = scored.read is not None
    header = ["rank", *(["reader"] if read else []), *(["answers"] if reranked else []), "fused", *names, "passage"]
    lines = ["  ".join(header)]
    for rank, position in enumerate(scored.order()[:top], start=1):
        passage = index.passages[int(scored.rows[position])]
        chance = [f"{scored.read[position]:.3f}" if not math.isnan(scored.read[position]) else "  -  "] if read else []
        chance += [f"{scored.answers[position]:.3f}"] if reranked else []
        parts = [f"{scored.contributions[name][position]:+.3f}" for name in names]
        snippet = " ".join(passage.text.split())[:60]
        cells = [f"{rank:>4}", *chance, f"{scored.fused[position]:.3f}", *parts, f"{passage.source_id}: {snippet}"]
        lines.append("  ".join(cells))
    return "\n".join(lines)
