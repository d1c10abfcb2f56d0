"""Answer quality on consumer questions: does the first quote answer, is "not found" said when it should be?

A consumer set is a folder with ``questions.jsonl`` (``_id``, ``text``, ``type``: answerable /
unanswerable / off_topic, optional ``follow_up_of`` or ``previous``) and ``judgements.jsonl``
(``query_id``, ``article``: the source file, ``span``: a verbatim stretch of it, ``grade``: 2 answers,
1 partly). Spans are found in the sources' stored text, so the judgements hold whatever the passages are
cut into; a quote answers when it covers at least half of a judged span (or a judged span covers half of
it).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from medquote.answer.assistant import Assistant
from medquote.errors import DatasetError
from medquote.index.store import Index
from medquote.records import Answer, Passage, Quote, Status
from medquote.text.normalize import normalize_text

TYPES = ("answerable", "unanswerable", "off_topic")


@dataclass(frozen=True, slots=True)
class ConsumerQuestion:
    id: str
    text: str
    type: str
    previous: tuple[str, ...] = ()  # a follow-up: the questions asked before it in the same chat, oldest first
    style: str = "plain"  # "chat": a message with context before the question (sets that mark it)


@dataclass(frozen=True, slots=True)
class JudgedSpan:
    """A judged stretch of a source's stored text: ``source.text[start:end]``."""

    source_id: str
    start: int
    end: int
    grade: int


@dataclass(frozen=True, slots=True)
class ConsumerSet:
    name: str
    questions: tuple[ConsumerQuestion, ...]
    judgements: dict[str, tuple[tuple[str, str, int], ...]]  # question id → (article file, span, grade)


def load_consumer_set(folder: Path | str) -> ConsumerSet:
    folder = Path(folder)
    try:
        raw_questions = [
            json.loads(line) for line in (folder / "questions.jsonl").open(encoding="utf-8") if line.strip()
        ]
        raw_judgements = _judgements(folder)
    except (OSError, ValueError) as exc:
        raise DatasetError(
            f"{folder}: cannot read questions.jsonl and judgements.jsonl ({exc}); check the folder"
        ) from exc
    # A follow-up names the question before it by id (``follow_up_of``) or gives its text (``previous``).
    texts_by_id = {str(q["_id"]): str(q["text"]) for q in raw_questions}
    unknown = [str(q["_id"]) for q in raw_questions if q.get("follow_up_of") and q["follow_up_of"] not in texts_by_id]
    if unknown:
        raise DatasetError(f"{folder}: follow-ups {', '.join(unknown)} name a question the set does not hold")
    questions = tuple(
        ConsumerQuestion(
            str(q["_id"]),
            str(q["text"]),
            str(q["type"]),
            _earlier(q.get("previous") or texts_by_id.get(q.get("follow_up_of"))),
            str(q.get("style") or "plain"),
        )
        for q in raw_questions
    )
    bad = [q.id for q in questions if q.type not in TYPES]
    if bad:
        raise DatasetError(f"{folder}: questions {', '.join(bad)} have a type other than {', '.join(TYPES)}")
    judgements: dict[str, list[tuple[str, str, int]]] = {}
    for j in raw_judgements:
        judgements.setdefault(str(j["query_id"]), []).append((str(j["article"]), str(j["span"]), int(j["grade"])))
    return ConsumerSet(folder.name, questions, {q: tuple(v) for q, v in judgements.items()})


def _judgements(folder: Path) -> list[dict]:
    """A set's judgements: ``judgements.jsonl``, or ``judgements.tsv`` (query_id, article, span, grade)."""
    if not (folder / "judgements.jsonl").exists() and (folder / "judgements.tsv").exists():
        with (folder / "judgements.tsv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [json.loads(line) for line in (folder / "judgements.jsonl").open(encoding="utf-8") if line.strip()]


def _earlier(previous: str | list[str] | None) -> tuple[str, ...]:
    """A question's ``previous``: one question's text, or the chat's earlier questions in order."""
    if not previous:
        return ()
    return (str(previous),) if isinstance(previous, str) else tuple(str(p) for p in previous)


def locate(index: Index, judged: tuple[tuple[str, str, int], ...], *, strict: bool = True) -> list[JudgedSpan]:
    """Where each judged span lies in its source's stored text (matched on normalised white space).

    Not ``strict`` (a rebuild's quality gate), a span its source no longer holds is left out: no quote
    can then be graded as answering with it."""
    by_file = {meta["file"]: source_id for source_id, meta in index.manifest["sources"].items()}
    spans = []
    for article, span, grade in judged:
        source_id = by_file.get(article)
        if (source_id is None or source_id not in index.sources) and not strict:
            continue
        if source_id is None or source_id not in index.sources:
            raise DatasetError(f"judged span in {article}, which is not a source of the index; build the right corpus")
        text = index.sources[source_id].text
        needle = normalize_text(span)
        start = text.find(needle)
        if start < 0 and not strict:
            continue
        if start < 0:
            raise DatasetError(f"judged span not found in {article} as stored: {span[:60]!r}")
        spans.append(JudgedSpan(source_id, start, start + len(needle), grade))
    return spans


def quote_grade(quote: Quote, spans: list[JudgedSpan]) -> int:
    """The best grade of a judged span the quote covers at least half of (or that covers half of it)."""
    return passage_grade(quote.passage, spans)


def passage_grade(passage: Passage, spans: list[JudgedSpan]) -> int:
    """The best grade of a judged span the passage covers at least half of (or that covers half of it)."""
    best = 0
    for span in spans:
        if span.source_id != passage.source_id:
            continue
        overlap = min(span.end, passage.end) - max(span.start, passage.start)
        if overlap > 0 and overlap >= 0.5 * min(span.end - span.start, passage.end - passage.start):
            best = max(best, span.grade)
    return best


@dataclass(frozen=True, slots=True)
class Judged:
    question: ConsumerQuestion
    answer: Answer
    grades: tuple[int, ...]  # of the quotes, in order
    highlight: int = 0  # the grade of the first quote's highlighted sentence (0 when nothing is quoted)

    @property
    def answered(self) -> bool:
        return self.answer.status == Status.ANSWERED


@dataclass(frozen=True, slots=True)
class AnswerEvaluation:
    dataset: str
    rows: tuple[Judged, ...]
    summary: dict[str, Any] = field(default_factory=dict)

    def failures(self) -> dict[str, list[str]]:
        """Question texts by the way they went wrong."""
        out: dict[str, list[str]] = {"first_quote_does_not_answer": [], "not_found_but_answerable": [],
                                     "quoted_but_unanswerable": [], "off_topic_answered": []}  # fmt: skip
        for row in self.rows:
            q = row.question
            if q.type == "answerable" and not row.answered:
                out["not_found_but_answerable"].append(q.text)
            elif q.type == "answerable" and row.grades and row.grades[0] == 0:
                out["first_quote_does_not_answer"].append(q.text)
            elif q.type == "unanswerable" and row.answered:
                out["quoted_but_unanswerable"].append(q.text)
            elif q.type == "off_topic" and row.answered:
                out["off_topic_answered"].append(q.text)
        return out


def evaluate_answers(
    assistant: Assistant, dataset: ConsumerSet, *, strict: bool = True, progress: str = ""
) -> AnswerEvaluation:
    """Ask every question (a follow-up after the question it follows, in the same chat) and judge the quotes.

    ``progress``: a label for a progress bar on stderr (none when empty)."""
    from tqdm import tqdm

    index = assistant.index
    rows = []
    for q in tqdm(dataset.questions, desc=progress, unit="question", disable=not progress, leave=False):
        answer = assistant.answer(q.text, previous=q.previous)
        spans = locate(index, dataset.judgements.get(q.id, ()), strict=strict)
        grades = tuple(quote_grade(quote, spans) for quote in answer.quotes)
        rows.append(Judged(q, answer, grades, highlight_grade(answer, spans)))
    return AnswerEvaluation(dataset.name, tuple(rows), summarise(rows))


def full_question_rewrites(dataset: ConsumerSet, names: tuple[str, ...], topic: str) -> list[str]:
    """The set's full questions (those asked without a previous one) that would be rewritten as follow-ups
    if asked right after the question before them in the set: a full question never should be."""
    from medquote.answer.conversation import Conversation

    firsts = [q for q in dataset.questions if not q.previous]
    return [
        q.text
        for before, q in zip(firsts, firsts[1:], strict=False)
        if Conversation.of([before.text], names, topic).rewrite(q.text, names, topic) is not None
    ]


def highlight_grade(answer: Answer, spans: list[JudgedSpan]) -> int:
    """The grade of the first quote's highlighted sentence: does the sentence a reader's eye goes to hold it?"""
    if not answer.quotes:
        return 0
    quote = answer.quotes[0]
    p = quote.passage
    start, end = p.start + quote.highlight_start, p.start + quote.highlight_end
    sentence = replace(p, text=quote.highlight, start=start, end=end)
    return passage_grade(sentence, spans)


def load_open_set(folder: Path | str) -> tuple[tuple[ConsumerQuestion, ...], dict[str, dict[str, int]]]:
    """An open-corpus set: ``questions.jsonl`` as a consumer set's, ``judgements.jsonl`` by MedQuAD answer id
    (``query_id``, ``answer_id``, ``grade``)."""
    folder = Path(folder)
    try:
        raw = [json.loads(line) for line in (folder / "questions.jsonl").open(encoding="utf-8") if line.strip()]
        judged = [json.loads(line) for line in (folder / "judgements.jsonl").open(encoding="utf-8") if line.strip()]
    except (OSError, ValueError) as exc:
        raise DatasetError(
            f"{folder}: cannot read questions.jsonl and judgements.jsonl ({exc}); check the folder"
        ) from exc
    questions = tuple(
        ConsumerQuestion(str(q["_id"]), str(q["text"]), str(q["type"]), (), str(q.get("style") or "plain")) for q in raw
    )
    grades: dict[str, dict[str, int]] = {}
    for j in judged:
        by_answer = grades.setdefault(str(j["query_id"]), {})
        by_answer[str(j["answer_id"])] = max(int(j["grade"]), by_answer.get(str(j["answer_id"]), 0))
    return questions, grades


def evaluate_open(assistant: Assistant, folder: Path | str) -> AnswerEvaluation:
    """Ask an open-corpus set over a MedQuAD index: a quote answers when its source is a judged answer
    (a MedQuAD source's key ends with its question id)."""
    questions, grades = load_open_set(folder)
    rows = []
    for q in questions:
        answer = assistant.answer(q.text)
        judged = grades.get(q.id, {})
        found = tuple(judged.get(quote.source.key.rsplit("/", 1)[-1], 0) for quote in answer.quotes)
        rows.append(Judged(q, answer, found, found[0] if found else 0))
    return AnswerEvaluation(Path(folder).name, tuple(rows), summarise(rows))


def summarise(rows: list[Judged]) -> dict[str, Any]:
    answerable = [r for r in rows if r.question.type == "answerable"]
    unanswerable = [r for r in rows if r.question.type == "unanswerable"]
    off_topic = [r for r in rows if r.question.type == "off_topic"]

    def share(items: list[Judged], test: Any) -> float | None:
        return round(sum(1 for r in items if test(r)) / len(items), 4) if items else None

    follow_ups = [r for r in answerable if r.question.previous]
    unanswered_follow_ups = [r for r in rows if r.question.previous and r.question.type != "answerable"]
    chat = [r for r in answerable if r.question.style == "chat"]
    correct = [r for r in answerable if r.grades and r.grades[0] >= 1]
    return {
        "answerable": len(answerable),
        "first_answers": share(answerable, lambda r: bool(r.grades) and r.grades[0] >= 1),
        "top3_answers": share(answerable, lambda r: any(g >= 1 for g in r.grades[:3])),
        "not_found_answerable": share(answerable, lambda r: not r.answered),
        "unanswerable": len(unanswerable),
        "answered_unanswerable": share(unanswerable, lambda r: r.answered),
        "off_topic": len(off_topic),
        "answered_off_topic": sum(1 for r in off_topic if r.answered),
        "follow_ups": len(follow_ups),
        "follow_up_first_answers": share(follow_ups, lambda r: bool(r.grades) and r.grades[0] >= 1),
        "follow_up_top3_answers": share(follow_ups, lambda r: any(g >= 1 for g in r.grades[:3])),
        "follow_up_not_found": share(follow_ups, lambda r: not r.answered),
        "follow_up_unanswerable": len(unanswered_follow_ups),
        "answered_follow_up_unanswerable": share(unanswered_follow_ups, lambda r: r.answered),
        "follow_ups_rewritten": share([r for r in rows if r.question.previous], lambda r: bool(r.answer.searched_as)),
        "first_turns_rewritten": sum(1 for r in rows if not r.question.previous and r.answer.searched_as),
        "chat": len(chat),
        "chat_first_answers": share(chat, lambda r: bool(r.grades) and r.grades[0] >= 1),
        "chat_not_found": share(chat, lambda r: not r.answered),
        "highlight_answers_of_correct": share(correct, lambda r: r.highlight >= 1),
        "mean_quotes": round(sum(len(r.grades) for r in rows if r.answered) / max(1, sum(r.answered for r in rows)), 3),
    }
