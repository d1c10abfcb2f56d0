"""The Gradio chat: ``build_app(assistant)`` makes the UI, ``launch`` starts it, ``serve`` runs it until stopped.

The Chatbot gets our own pre-escaped HTML (see ``medquote.ui.html``) with Markdown and LaTeX off, so
nothing a user or a source wrote is ever re-interpreted; Gradio's sanitiser stays on as a second guard.

A question goes through two steps: ``start`` (instant, no queue) shows it with a "searching" line and
disables every input, ``finish`` answers it in place of that line and enables them again, so no click
made while a reply is pending can overwrite or reorder the chat. Each reply carries its own id, and a
thumbs click is stored with the reply it was made on.
"""

from __future__ import annotations

import html
import logging
import re
import sys
import threading
import time
import uuid
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import gradio as gr

from medquote.errors import IndexMismatchError, InputError
from medquote.records import Answer, Source
from medquote.safety import templates
from medquote.settings import HOST, PORT
from medquote.ui.feedback import FeedbackStore
from medquote.ui.html import (
    PENDING_ID_PREFIX,
    REPLY_ID_PREFIX,
    VIEWER_PATH,
    render_answer,
    render_notice,
    render_pending,
    render_question,
)
from medquote.ui.network import MAX_UPLOAD_BYTES, bind_error, no_uploads
from medquote.ui.sources import Scope, render_placeholder, render_scope, render_sources, scope_of
from medquote.ui.viewer import not_found_page, quote_range, viewer_page

if TYPE_CHECKING:
    from collections.abc import Sequence

logger = logging.getLogger(__name__)

TITLE = "medquote"
DESCRIPTION = (
    "Answers to health questions, quoted word for word from the sources listed below, each with where it "
    "comes from and how it was checked. This is not medical advice."
)
# The system's own fonts: nothing to download, and they read well on every platform.
SYSTEM_FONTS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif")
CONCURRENCY = 4
# Questions waiting beyond this many are turned away at once with "the queue is full", not left hanging.
MAX_QUEUE = 64
MAX_EXAMPLES = 6
# Where build_app leaves the extra HTTP routes (the source viewer) for launch to serve.
ROUTES = "medquote_routes"
_REPLY_ID = re.compile(re.escape(REPLY_ID_PREFIX) + r"([0-9a-f]+)")
# Client-side steps: bring the new question, then the top of its reply, into view.
SHOW_PENDING_JS = "() => { setTimeout(() => window.mqShowLatest && window.mqShowLatest('.mq-pending'), 30); }"
SHOW_REPLY_JS = "() => { setTimeout(() => window.mqShowLatest && window.mqShowLatest('.mq-answer, .mq-notice'), 30); }"
SHOW_FEEDBACK_JS = (
    "() => { setTimeout(() => document.getElementById('mq-feedback')?.scrollIntoView({block: 'nearest'}), 30); }"
)


def _static(name: str) -> str:
    return resources.files("medquote.ui").joinpath(f"static/{name}").read_text(encoding="utf-8")


def launch_options() -> dict[str, Any]:
    """Styling and our small script for ``Blocks.launch`` (Gradio 6 takes them there, not in ``Blocks``)."""
    return {
        "css": _static("medquote.css"),
        "js": _static("medquote.js"),
        "theme": gr.themes.Default(primary_hue="teal", secondary_hue="slate", neutral_hue="slate", font=SYSTEM_FONTS),
    }


class AssistantLike(Protocol):
    """What the app needs from ``medquote.answer.assistant.Assistant``."""

    example_questions: Sequence[str]

    def answer(self, question: str, *, previous: str | Sequence[str] | None = None) -> Answer: ...

    @property
    def sources(self) -> Sequence[Source]: ...

    @property
    def index_version(self) -> str: ...

    @property
    def built_at(self) -> str: ...

    @property
    def topic(self) -> str: ...

    @property
    def passage_count(self) -> int: ...


class Catalog:
    """What the page shows about the index, computed once per index version (thousands of sources take
    a moment); the assistant may switch to a rebuilt index while running."""

    def __init__(self, assistant: AssistantLike) -> None:
        self.assistant = assistant
        self._lock = threading.Lock()
        self._version: str | None = None
        self._views: dict[str, Any] = {}

    def _get(self, name: str) -> Any:
        with self._lock:
            version = self.assistant.index_version
            if version != self._version:
                sources = tuple(self.assistant.sources)
                scope = scope_of(
                    sources,
                    self.assistant.passage_count,
                    self.assistant.topic,
                    tuple(self.assistant.example_questions),
                    MAX_EXAMPLES,
                )
                self._views = {
                    "by_id": {s.id: s for s in sources},
                    "scope": scope,
                    "scope_html": render_scope(scope),
                    "about_html": render_sources(sources, self.assistant.built_at, version),
                }
                self._version = version
            return self._views[name]

    def source(self, source_id: str | None) -> Source | None:
        return self._get("by_id").get(source_id or "")

    @property
    def scope(self) -> Scope:
        return self._get("scope")

    def scope_html(self) -> str:
        return self._get("scope_html")

    def about_html(self) -> str:
        return self._get("about_html")


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


def viewer_routes(catalog: Catalog) -> list[Any]:
    """The source viewer as an HTTP route next to the chat: ``source?id=…&start=…&end=…``."""
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    def show(request) -> HTMLResponse:
        params = request.query_params
        source = catalog.source(params.get("id"))
        if source is None:
            message = "This source is not in the current index. Ask the question again to get a fresh link."
            return HTMLResponse(not_found_page(message), status_code=404)
        span = quote_range(source, params.get("start"), params.get("end"))
        if span is None:
            return HTMLResponse(not_found_page("This link does not point at a passage of the source."), 400)
        return HTMLResponse(viewer_page(source, *span))

    return [Route(f"/{VIEWER_PATH}", show)]


def build_app(
    assistant: AssistantLike, *, feedback_path: Path | None = None, ready: threading.Event | None = None
) -> gr.Blocks:
    """The chat UI around ``assistant``, plus the ``/ask`` API endpoint returning ``Answer.to_dict()``.

    Until ``ready`` is set (the model is loaded and warmed), the page says so and its inputs stay off.
    """
    store = FeedbackStore(feedback_path)
    catalog = Catalog(assistant)
    if ready is None:
        ready = threading.Event()
        ready.set()

    with gr.Blocks(title=f"{TITLE} \u2014 quoted health information", analytics_enabled=False) as demo:
        gr.HTML(
            f'<header class="mq-header"><h1>{TITLE}</h1><p>{html.escape(DESCRIPTION)}</p></header>',
            elem_id="mq-header",
            js_on_load=None,
        )
        status = gr.HTML(
            f'<p class="mq-loading" role="status">{html.escape(templates.LOADING_MESSAGE)}</p>',
            elem_id="mq-status",
            js_on_load=None,
        )
        scope_panel = gr.HTML(catalog.scope_html(), elem_id="mq-scope", js_on_load=None)
        with gr.Accordion("About the sources: provenance of each one", open=False, elem_id="mq-about"):
            about = gr.HTML(catalog.about_html(), js_on_load=None)
        chat = gr.State([])  # the conversation: the one copy every step reads and writes
        replies = gr.State({})  # reply id -> what feedback on it is stored with
        pending = gr.State(None)  # the question being answered, with its reply id
        target = gr.State(None)  # the reply the last thumbs click was on, and the rating
        chatbot = gr.Chatbot(
            label="Answers",
            show_label=False,
            layout="panel",
            elem_id="mq-chat",
            height="68vh",
            min_height=420,
            autoscroll=False,  # we scroll to the top of each new reply instead of the bottom
            render_markdown=False,
            sanitize_html=True,
            latex_delimiters=[],
            allow_tags=False,
            group_consecutive_messages=False,
            buttons=[],  # Gradio's copy buttons would copy our HTML markup, not the text
            feedback_options=("Like", "Dislike"),
            placeholder=render_placeholder(catalog.scope),
        )
        with gr.Group(visible=False, elem_id="mq-feedback") as feedback_box:
            feedback_note = gr.HTML("", js_on_load=None)
            with gr.Row(equal_height=True):
                reason = gr.Textbox(
                    label="Why? (optional; saved with your rating)", lines=1, max_lines=3, scale=5, elem_id="mq-reason"
                )
                send_reason = gr.Button("Send reason", scale=1, min_width=120, elem_id="mq-reason-send")
        examples = catalog.scope.examples
        with gr.Row(elem_id="mq-ask-row"):
            question = gr.Textbox(
                label="Your health question",
                placeholder=f"e.g. {examples[0]}" if examples else "Type a health question",
                lines=1,
                max_lines=4,
                scale=5,
                min_width=280,  # on a phone the Ask button goes below, full width
                elem_id="mq-question",
                autofocus=True,
                interactive=False,
            )
            ask_button = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="mq-ask", interactive=False)
        example_buttons: list[tuple[gr.Button, str]] = []
        with gr.Row(elem_id="mq-examples"):
            if examples:
                gr.HTML(
                    '<p class="mq-examples-label">Or try an example:</p>', js_on_load=None, elem_id="mq-examples-label"
                )
            for text in examples:
                button = gr.Button(text, size="sm", variant="secondary", scale=0, interactive=False)
                example_buttons.append((button, text))
            clear = gr.Button(
                "Clear chat", size="sm", variant="secondary", scale=0, elem_id="mq-clear", interactive=False
            )
        footer = gr.HTML(js_on_load=None)

        controls = [ask_button, *(button for button, _ in example_buttons), clear]

        def switch(on: bool) -> list[Any]:
            return [gr.update(interactive=on) for _ in controls]

        def start(text: str, history: list[dict]):
            """Show the question at once with a "searching" line; turn every input off until it is answered."""
            history = list(history or [])
            if not text or not text.strip():
                history.append({"role": "assistant", "content": render_notice(templates.EMPTY_QUESTION_MESSAGE)})
                return history, history, None, gr.update(interactive=False), *switch(False)
            reply_id = uuid.uuid4().hex[:16]
            history.append({"role": "user", "content": render_question(text)})
            history.append({"role": "assistant", "content": render_pending(reply_id)})
            return (
                history,
                history,
                {"question": text, "id": reply_id},
                gr.update(value="", interactive=False),
                *switch(False),
            )

        def finish(job: dict | None, history: list[dict], known: dict[str, dict]):
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
                    answer = assistant.answer(job["question"], previous=previous)
                    known[job["id"]] = _meta(answer, job["id"])
                    reply = render_answer(answer, job["id"])
                except InputError as exc:
                    reply = render_notice(str(exc))
                    box = gr.update(value=job["question"], interactive=True)
                except IndexMismatchError as exc:  # a tampered or damaged index: never quoted
                    logger.error("refused to answer from the index: %s", exc)
                    reply = render_notice(templates.INTEGRITY_MESSAGE)
                except Exception:
                    logger.exception("answering failed")
                    reply = render_notice(templates.FAILURE_MESSAGE)
                message = {"role": "assistant", "content": reply}
                if at is None:
                    history.append(message)
                else:
                    history[at] = message
            return history, history, known, None, box, *switch(True)

        def on_like(known: dict[str, dict], data: gr.LikeData):
            match = _REPLY_ID.search(str(data.value))
            meta = (known or {}).get(match.group(1)) if match else None
            if meta is None or not isinstance(data.liked, bool):
                return gr.update(), gr.update(), gr.update(), gr.update()  # a notice, or not a thumb
            rating = "up" if data.liked else "down"
            try:
                store.record(rating=rating, **meta)
            except OSError:
                logger.exception("could not write feedback to %s", store.path)
                return gr.update(visible=True), _feedback_note(templates.FEEDBACK_FAILED), gr.update(), None
            note = _feedback_note(templates.FEEDBACK_SAVED)
            return gr.update(visible=True), note, gr.update(value=""), {"reply_id": meta["reply_id"], "rating": rating}

        def on_reason(chosen: dict | None, why: str, known: dict[str, dict]):
            meta = (known or {}).get((chosen or {}).get("reply_id", ""))
            if meta is None or not why.strip():
                return gr.update(), gr.update()
            try:
                store.record(rating=chosen["rating"], reason=why.strip(), **meta)
            except OSError:
                logger.exception("could not write feedback to %s", store.path)
                return _feedback_note(templates.FEEDBACK_FAILED), gr.update()
            return _feedback_note(templates.FEEDBACK_REASON_SAVED), ""

        def on_load():
            """Wait until the sources are loaded, then show the current index and turn the inputs on."""
            ready.wait()
            footer_html = (
                f'<p class="mq-footer">Index version {html.escape(assistant.index_version)}. '
                "Quotes are shown exactly as stored; open each in its full source to read the context.</p>"
            )
            return (
                gr.update(value="", visible=False),
                catalog.scope_html(),
                catalog.about_html(),
                footer_html,
                gr.update(interactive=True),
                *switch(True),
            )

        def ask(question: str) -> dict[str, Any]:
            """Answer a question; the JSON of ``medquote ask --json``."""
            return ask_after(question, [])

        def ask_after(question: str, history: list[str]) -> dict[str, Any]:
            """Answer a question asked after ``history`` (the conversation's earlier questions, oldest
            first): a follow-up is searched with them, as in the chat."""
            if not (isinstance(history, list) and all(isinstance(h, str) for h in history)):
                raise gr.Error("history must be a list of the earlier questions, as text.", print_exception=False)
            try:
                return assistant.answer(question, previous=history or None).to_dict()
            except InputError as exc:
                raise gr.Error(str(exc), print_exception=False) from exc
            except IndexMismatchError as exc:
                logger.error("refused to answer from the index: %s", exc)
                raise gr.Error(templates.INTEGRITY_MESSAGE, print_exception=False) from exc

        private: dict[str, Any] = {"api_visibility": "private"}
        started = [chat, chatbot, pending, question, *controls]
        finished = [chat, chatbot, replies, pending, question, *controls]
        triggers = [(question.submit, start, [question, chat]), (ask_button.click, start, [question, chat])]
        triggers += [
            (button.click, lambda history, text=text: start(text, history), [chat]) for button, text in example_buttons
        ]
        for trigger, first, inputs in triggers:
            trigger(first, inputs, started, queue=False, show_progress="hidden", **private).then(
                None, js=SHOW_PENDING_JS, **private
            ).then(
                finish, [pending, chat, replies], finished, concurrency_id="answer", show_progress="hidden", **private
            ).then(None, js=SHOW_REPLY_JS, **private)
        demo.load(on_load, None, [status, scope_panel, about, footer, question, *controls], **private)
        clear.click(
            lambda: ([], [], {}, "", gr.update(visible=False)),
            None,
            [chat, chatbot, replies, question, feedback_box],
            **private,
        )
        chatbot.clear(lambda: ([], {}), None, [chat, replies], **private)  # the chat's own bin icon
        chatbot.like(on_like, [replies], [feedback_box, feedback_note, reason, target], **private).then(
            None, js=SHOW_FEEDBACK_JS, **private
        )
        reason.submit(on_reason, [target, reason, replies], [feedback_note, reason], **private)
        send_reason.click(on_reason, [target, reason, replies], [feedback_note, reason], **private)
        gr.api(ask, api_name="ask")
        gr.api(ask_after, api_name="ask_after")
    setattr(demo, ROUTES, viewer_routes(catalog))
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
    """Start ``demo`` with our queue, styling and source viewer; returns its local URL.

    Up to ``CONCURRENCY`` questions are answered in parallel (the assistant is thread-safe). Uploads are
    refused. A port in use is a ``UsageError`` saying so.
    """
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=MAX_QUEUE)
    try:
        _, url, _ = demo.launch(
            server_name=host,
            server_port=port,
            share=share,
            prevent_thread_lock=prevent_thread_lock,
            quiet=quiet,
            # A health app keeps no run history in the browser and no traffic page at /monitoring.
            run_history=False,
            enable_monitoring=False,
            max_file_size=MAX_UPLOAD_BYTES,
            app_kwargs={"routes": [*no_uploads(), *getattr(demo, ROUTES, [])]},
            **launch_options(),
        )
    except OSError as exc:  # Gradio's own "cannot find empty port", e.g. taken since check_port looked
        raise bind_error(host, port, exc) from exc
    return url


def serve(
    assistant: AssistantLike,
    host: str = HOST,
    port: int = PORT,
    feedback_path: Path | None = None,
    *,
    share: bool = False,
) -> None:
    """Run the chat until interrupted. Binds to localhost unless told otherwise; never shares by default.

    The page is up at once and says "loading the sources…" while the model is loaded and warmed, so
    the first question is answered as fast as any other.
    """
    ready = threading.Event()
    demo = build_app(assistant, feedback_path=feedback_path, ready=ready)
    launch(demo, host, port, share=share, prevent_thread_lock=True)
    started = time.perf_counter()
    print("medquote: loading the sources and the model…", file=sys.stderr, flush=True)
    warm = getattr(assistant, "warm", None)
    try:
        if warm is not None:
            warm()
    except KeyboardInterrupt:
        demo.close()
        raise
    except Exception:
        logger.exception("warming up failed; the first question will load the model instead")
    finally:
        ready.set()
    print(f"medquote: ready in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    demo.block_thread()
