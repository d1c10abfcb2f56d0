"""The chat's behaviour: ``ChatController`` has one method per event of the page, and no layout.

A question goes through two steps: ``start`` (instant, no queue) shows it with a "searching" line and
disables every input, ``finish`` answers it in place of that line and enables them again, so no click
made while a reply is pending can overwrite or reorder the chat. Each reply carries its own id, and a
thumbs click is stored with the reply it was made on. ``ask`` and ``ask_after`` are the HTTP API.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import uuid
from typing import TYPE_CHECKING, Any

import gradio as gr

from medquote.errors import IndexMismatchError, InputError
from medquote.safety import templates
from medquote.ui import wording
from medquote.ui.feedback import FeedbackStore
from medquote.ui.html import (
    PENDING_ID_PREFIX,
    REPLY_ID_PREFIX,
    render_answer,
    render_notice,
    render_pending,
    render_question,
)

if TYPE_CHECKING:
    from medquote.records import Answer
    from medquote.ui.catalog import AssistantLike, Catalog

logger = logging.getLogger(__name__)

_REPLY_ID = re.compile(re.escape(REPLY_ID_PREFIX) + r"([0-9a-f]+)")


def explain(exc: Exception) -> str:
    """What a person reads when answering failed: the one mapping from an error to a message."""
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, IndexMismatchError):  # a tampered or damaged index: never quoted
        logger.error("refused to answer from the index: %s", exc)
        return templates.INTEGRITY_MESSAGE
    logger.error("answering failed", exc_info=exc)
    return templates.FAILURE_MESSAGE


def _meta(answer: Answer, reply_id: str) -> dict[str, Any]:
    """What a thumbs up/down on this reply is stored with."""
    return {
        "reply_id": reply_id,
        "question": answer.question,
        "searched_as": answer.searched_as,
        "passage_ids": [q.passage.id for q in answer.quotes],
        "index_version": answer.index_version,
        "status": answer.status,
    }


def _feedback_note(message: str) -> str:
    return f'<p class="mq-feedback-note" role="status">{html.escape(message)}</p>'


class ChatController:
    """The events of the chat page, each returning the updates of the components it is wired to."""

    def __init__(
        self, assistant: AssistantLike, catalog: Catalog, store: FeedbackStore, ready: threading.Event, controls: int
    ) -> None:
        self.assistant, self.catalog, self.store, self.ready = assistant, catalog, store, ready
        self.controls = controls  # the Ask button, the examples and "Clear chat": off while a reply is pending

    def switch(self, on: bool) -> list[Any]:
        return [gr.update(interactive=on) for _ in range(self.controls)]

    def start(self, text: str, history: list[dict]) -> tuple[Any, ...]:
        """Show the question at once with a "searching" line; turn every input off until it is answered."""
        history = list(history or [])
        if not text or not text.strip():
            history.append({"role": "assistant", "content": render_notice(templates.EMPTY_QUESTION_MESSAGE)})
            return history, history, None, gr.update(interactive=False), *self.switch(False)
        reply_id = uuid.uuid4().hex[:16]
        history.append({"role": "user", "content": render_question(text)})
        history.append({"role": "assistant", "content": render_pending(reply_id)})
        job = {"question": text, "id": reply_id}
        return history, history, job, gr.update(value="", interactive=False), *self.switch(False)

    def finish(self, job: dict | None, history: list[dict], known: dict[str, dict]) -> tuple[Any, ...]:
        """Answer the pending question in place of its "searching" line; turn the inputs back on."""
        history, known = list(history or []), dict(known or {})
        box: dict[str, Any] = gr.update(interactive=True)
        if job:
            marker = f'id="{PENDING_ID_PREFIX}{job["id"]}"'
            at = next((i for i, m in enumerate(history) if marker in str(m.get("content", ""))), None)
            # The chat's state is its earlier questions, kept in this browser session only: a
            # follow-up is searched as the question it stands for.
            previous = [meta["question"] for meta in known.values()]
            try:
                answer = self.assistant.answer(job["question"], previous=previous)
                known[job["id"]] = _meta(answer, job["id"])
                reply = render_answer(answer, job["id"])
            except Exception as exc:
                reply = render_notice(explain(exc))
                if isinstance(exc, InputError):  # the person's text stays, to be corrected
                    box = gr.update(value=job["question"], interactive=True)
            message = {"role": "assistant", "content": reply}
            if at is None:
                history.append(message)
            else:
                history[at] = message
        return history, history, known, None, box, *self.switch(True)

    def on_like(self, known: dict[str, dict], data: gr.LikeData) -> tuple[Any, ...]:
        """A thumbs click: stored with the reply it was made on; the reason box opens."""
        match = _REPLY_ID.search(str(data.value))
        meta = (known or {}).get(match.group(1)) if match else None
        if meta is None or not isinstance(data.liked, bool):
            return gr.update(), gr.update(), gr.update(), gr.update()  # a notice, or not a thumb
        rating = "up" if data.liked else "down"
        try:
            self.store.record(rating=rating, **meta)
        except OSError:
            logger.exception("could not write feedback to %s", self.store.path)
            return gr.update(visible=True), _feedback_note(wording.FEEDBACK_FAILED), gr.update(), None
        note = _feedback_note(wording.FEEDBACK_SAVED)
        return gr.update(visible=True), note, gr.update(value=""), {"reply_id": meta["reply_id"], "rating": rating}

    def on_reason(self, chosen: dict | None, why: str, known: dict[str, dict]) -> tuple[Any, Any]:
        """The optional reason, stored with the rating it explains."""
        meta = (known or {}).get((chosen or {}).get("reply_id", ""))
        if meta is None or not why.strip():
            return gr.update(), gr.update()
        try:
            self.store.record(rating=chosen["rating"], reason=why.strip(), **meta)
        except OSError:
            logger.exception("could not write feedback to %s", self.store.path)
            return _feedback_note(wording.FEEDBACK_FAILED), gr.update()
        return _feedback_note(wording.FEEDBACK_REASON_SAVED), ""

    def on_load(self) -> tuple[Any, ...]:
        """Wait until the sources are loaded, then show the current index and turn the inputs on."""
        self.ready.wait()
        footer_html = (
            f'<p class="mq-footer">Index version {html.escape(self.assistant.index_version)}. '
            "Quotes are shown exactly as stored; open each in its full source to read the context.</p>"
        )
        scope, about = self.catalog.scope_html(), self.catalog.about_html()
        return (
            gr.update(value="", visible=False),
            scope,
            about,
            footer_html,
            gr.update(interactive=True),
            *self.switch(True),
        )

    @staticmethod
    def clear() -> tuple[Any, ...]:
        """ "Clear chat": the conversation, its replies' ids, the question box and the reason box."""
        return [], [], {}, "", gr.update(visible=False)

    def ask(self, question: str) -> dict[str, Any]:
        """Answer a question; the JSON of ``medquote ask --json``."""
        return self.ask_after(question, [])

    def ask_after(self, question: str, history: list[str]) -> dict[str, Any]:
        """Answer a question asked after ``history`` (the conversation's earlier questions, oldest
        first): a follow-up is searched with them, as in the chat."""
        if not (isinstance(history, list) and all(isinstance(h, str) for h in history)):
            raise gr.Error("history must be a list of the earlier questions, as text.", print_exception=False)
        try:
            return self.assistant.answer(question, previous=history or None).to_dict()
        except (InputError, IndexMismatchError) as exc:
            raise gr.Error(explain(exc), print_exception=False) from exc
