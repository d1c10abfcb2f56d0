"""Abstention calibration: how often the assistant answers answerable questions and says "not found"
to unanswerable ones, across thresholds.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from medquote.answer.assistant import Assistant
from medquote.embed.base import MemoEmbedder
from medquote.eval.documents import passage_documents
from medquote.records import Status


@dataclass(frozen=True, slots=True)
class AbstentionRow:
    """How the assistant behaves at one threshold.

    ``answered_share``: answerable questions given quotes. ``correct_share``: answerable questions whose
    quotes include a relevant document. ``abstained_share``: unanswerable questions given no quote
    (a "not found" or an emergency reply). ``precision``: correct answers among all answers given.
    The last two relevance-based ones are None when the answerable questions carry no judgements.
    """

    threshold: float
    answerable: int
    answered_share: float
    correct_share: float | None
    unanswerable: int
    abstained_share: float
    precision: float | None


def abstention_curve(
    assistant: Assistant,
    answerable: Mapping[str, Collection[str]] | Sequence[tuple[str, Collection[str]]] | Sequence[str],
    unanswerable: Sequence[str],
    thresholds: Sequence[float],
    *,
    progress: bool = False,
) -> list[AbstentionRow]:
    """Answer every question at each threshold with the assistant's settings (the assistant is not changed).

    ``answerable`` gives each question with its relevant documents' BEIR ``_id`` (``Source.key``), as a
    mapping or as (question, ids) pairs, or is a plain list of questions when there are no judgements.
    """
    from tqdm import tqdm

    items = list(answerable.items()) if isinstance(answerable, Mapping) else list(answerable)
    judged = not any(isinstance(item, str) for item in items)
    relevant = [(item, ()) if isinstance(item, str) else (item[0], item[1]) for item in items]
    index = assistant.index
    documents = passage_documents(index)
    retriever = assistant.retriever.clone(embedder=MemoEmbedder(assistant.embedder))
    rows = []
    bar = tqdm(total=len(thresholds) * (len(relevant) + len(unanswerable)), desc="Abstention", disable=not progress)
    for threshold in thresholds:
        sweep = Assistant(
            retriever,
            k=assistant.k,
            abstention=replace(assistant.abstention, threshold=float(threshold)),
            resources=assistant.resources,
        )
        answered = correct = wrong = 0
        for question, keys in relevant:
            reply = sweep.answer(question)
            bar.update()
            if reply.status == Status.ANSWERED:
                answered += 1
                quoted = {key for quote in reply.quotes for key in documents[quote.passage.id]}
                correct += bool(quoted & set(keys))
        for question in unanswerable:
            wrong += sweep.answer(question).status == Status.ANSWERED
            bar.update()
        given = answered + wrong
        rows.append(
            AbstentionRow(
                float(threshold),
                len(relevant),
                answered / max(len(relevant), 1),
                correct / max(len(relevant), 1) if judged else None,
                len(unanswerable),
                1 - wrong / max(len(unanswerable), 1),
                (correct / given if given else None) if judged else None,
            )
        )
    bar.close()
    return rows
