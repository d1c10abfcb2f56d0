"""The Gradio chat: ``build_app(assistant)`` makes the UI, ``launch`` starts it, ``serve`` runs it until stopped.

The Chatbot gets our own pre-escaped HTML (see ``medquote.ui.html``) with Markdown and LaTeX off, so
nothing a user or a source wrote is ever re-interpreted; Gradio's sanitiser stays on as a second guard.
"""

from __future__ import annotations

import html
import logging
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import gradio as gr

from medquote.errors import InputError
from medquote.records import Answer, Source
from medquote.safety.templates import FAILURE_MESSAGE
from medquote.settings import HOST, PORT
from medquote.ui.feedback import FeedbackStore
from medquote.ui.html import render_answer, render_notice, render_question, render_sources

if TYPE_CHECKING:
    from collections.abc import Sequence

logger = logging.getLogger(__name__)

TITLE = "medquote"
DESCRIPTION = (
    "Answers to health questions are quoted word for word from vetted sources, "
    "each with where it comes from. This is not medical advice."
)
PLACEHOLDER = (
    '<p class="mq-placeholder-title">Ask a question about a condition, symptom or medicine.</p>'
    "<p>The reply quotes the vetted sources word for word and links to each one.</p>"
)
# The system's own fonts: nothing to download, and they read well on every platform.
SYSTEM_FONTS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif")
CONCURRENCY = 4
# Questions waiting beyond this many are turned away at once with "the queue is full", not left hanging.
MAX_QUEUE = 64
MAX_EXAMPLES = 6


def launch_options() -> dict[str, Any]:
    """Styling for ``Blocks.launch`` (Gradio 6 takes theme and CSS there, not in ``Blocks``)."""
    return {
        "css": resources.files("medquote.ui").joinpath("static/medquote.css").read_text(encoding="utf-8"),
        "theme": gr.themes.Default(primary_hue="teal", secondary_hue="slate", neutral_hue="slate", font=SYSTEM_FONTS),
    }


class AssistantLike(Protocol):
    """What the app needs from ``medquote.answer.assistant.Assistant``."""

    example_questions: Sequence[str]

    def answer(self, question: str) -> Answer: ...

    @property
    def sources(self) -> Sequence[Source]: ...

    @property
    def index_version(self) -> str: ...

    @property
    def built_at(self) -> str: ...


def _meta(answer: Answer) -> dict[str, Any]:
    """What a thumbs up/down on this reply is stored with."""
    return {
        "question": answer.question,
        "passage_ids": [q.passage.id for q in answer.quotes],
        "index_version": answer.index_version,
        "status": answer.status,
    }


def build_app(assistant: AssistantLike, *, feedback_path: Path | None = None) -> gr.Blocks:
    """The chat UI around ``assistant``, plus the ``/ask`` API endpoint returning ``Answer.to_dict()``."""
    store = FeedbackStore(feedback_path)

    def respond(question: str, history: list[dict], replies: dict[int, dict]):
        """Append the question and its reply; on bad input keep the textbox as typed."""
        history = list(history or [])
        replies = dict(replies or {})
        try:
            answer = assistant.answer(question)
        except InputError as exc:
            history.append({"role": "assistant", "content": render_notice(str(exc))})
            return history, replies, gr.update()
        except Exception:
            logger.exception("answering failed")
            history.append({"role": "assistant", "content": render_notice(FAILURE_MESSAGE)})
            return history, replies, gr.update()
        history.append({"role": "user", "content": render_question(question)})
        replies[len(history)] = _meta(answer)
        history.append({"role": "assistant", "content": render_answer(answer)})
        return history, replies, ""

    def on_like(replies: dict[int, dict], data: gr.LikeData) -> None:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        meta = (replies or {}).get(index)
        if meta is None or not isinstance(data.liked, bool):
            return  # a notice, or a feedback option other than the thumbs
        try:
            store.record(rating="up" if data.liked else "down", **meta)
        except OSError:
            logger.exception("could not write feedback to %s", store.path)
            gr.Warning("Your feedback could not be saved.")

    panels: dict[str, str] = {}  # index version -> "About the sources" HTML; thousands of sources take a moment

    def about_panel() -> str:
        version = assistant.index_version
        panel = panels.get(version)
        if panel is None:
            panel = render_sources(tuple(assistant.sources), assistant.built_at, version)
            panels.clear()
            panels[version] = panel
        return panel

    def footer() -> str:
        return (
            f'<p class="mq-footer">Index version {html.escape(assistant.index_version)}. '
            "Quotes are shown exactly as published; check the linked source for the full context.</p>"
        )

    def ask(question: str) -> dict[str, Any]:
        """Answer a question; the JSON of ``medquote ask --json``."""
        try:
            return assistant.answer(question).to_dict()
        except InputError as exc:
            raise gr.Error(str(exc), print_exception=False) from exc

    with gr.Blocks(title=f"{TITLE} \u2014 quoted health information", analytics_enabled=False) as demo:
        gr.HTML(
            f'<div class="mq-header"><h1>{TITLE}</h1><p>{DESCRIPTION}</p></div>',
            elem_id="mq-header",
            js_on_load=None,
        )
        replies = gr.State({})
        examples = tuple(assistant.example_questions)[:MAX_EXAMPLES]
        chatbot = gr.Chatbot(
            label="Answers",
            elem_id="mq-chat",
            height="68vh",
            min_height=420,
            render_markdown=False,
            sanitize_html=True,
            latex_delimiters=[],
            allow_tags=False,
            group_consecutive_messages=False,
            buttons=[],  # Gradio's copy buttons would copy our HTML markup, not the text
            feedback_options=("Like", "Dislike"),
            placeholder=PLACEHOLDER,
        )
        with gr.Row(equal_height=True):
            question = gr.Textbox(
                show_label=False,
                placeholder=f"Type a health question, e.g. {examples[0]}" if examples else "Type a health question",
                lines=1,
                max_lines=4,
                scale=5,
                elem_id="mq-question",
                autofocus=True,
            )
            ask_button = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="mq-ask")
        example_buttons: list[tuple[gr.Button, str]] = []
        with gr.Row(elem_id="mq-examples"):
            if examples:
                gr.HTML(
                    '<p class="mq-examples-label">Or try an example:</p>',
                    js_on_load=None,
                    elem_id="mq-examples-label",
                )
            for text in examples:
                example_buttons.append((gr.Button(text, size="sm", variant="secondary", scale=0), text))
            clear = gr.Button("Clear chat", size="sm", variant="secondary", scale=0, elem_id="mq-clear")
        with gr.Accordion("About the sources", open=False, elem_id="mq-about"):
            about = gr.HTML(about_panel(), js_on_load=None)
        footer_html = gr.HTML(footer(), js_on_load=None)

        private: dict[str, Any] = {"api_visibility": "private"}
        outputs = [chatbot, replies, question]
        question.submit(respond, [question, chatbot, replies], outputs, **private)
        ask_button.click(respond, [question, chatbot, replies], outputs, **private)
        for button, text in example_buttons:
            button.click(
                lambda history, state, text=text: respond(text, history, state)[:2],
                [chatbot, replies],
                [chatbot, replies],
                **private,
            )
        # The assistant may switch to a rebuilt index while running: refresh the panel on each visit.
        demo.load(lambda: (about_panel(), footer()), None, [about, footer_html], **private)
        clear.click(lambda: ([], {}, ""), None, outputs, **private)
        chatbot.clear(lambda: {}, None, [replies], **private)  # the chat's own bin icon
        chatbot.like(on_like, [replies], None, **private)
        gr.api(ask, api_name="ask")
    return demo


def launch(
    demo: gr.Blocks,
    host: str = HOST,
    port: int = PORT,
    *,
    share: bool = False,
    prevent_thread_lock: bool = False,
    quiet: bool = False,
) -> str:
    """Start ``demo`` with our queue and styling; returns its local URL.

    Up to ``CONCURRENCY`` questions are answered in parallel (the assistant is thread-safe).
    """
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=MAX_QUEUE)
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        share=share,
        prevent_thread_lock=prevent_thread_lock,
        quiet=quiet,
        # A health app keeps no run history in the browser and no traffic page at /monitoring.
        run_history=False,
        enable_monitoring=False,
        **launch_options(),
    )
    return url


def serve(
    assistant: AssistantLike,
    host: str = HOST,
    port: int = PORT,
    feedback_path: Path | None = None,
    *,
    share: bool = False,
) -> None:
    """Run the chat until interrupted. Binds to localhost unless told otherwise; never shares by default."""
    launch(build_app(assistant, feedback_path=feedback_path), host, port, share=share)
