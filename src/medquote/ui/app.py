"""The Gradio chat: ``build_app(assistant)`` makes the page, ``launch`` starts it, ``serve`` runs it until stopped.

The page is three parts: its layout (``medquote.ui.layout``), its behaviour (``medquote.ui.controller``,
one method per event) and the wiring below, which connects each event to its method.

The Chatbot gets our own pre-escaped HTML (see ``medquote.ui.html``) with Markdown and LaTeX off, so
nothing a user or a source wrote is ever re-interpreted; Gradio's sanitiser stays on as a second guard.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from importlib import resources
from pathlib import Path
from typing import Any

import gradio as gr

from medquote.settings import HOST, PORT
from medquote.ui.catalog import AssistantLike, Catalog
from medquote.ui.controller import ChatController
from medquote.ui.feedback import FeedbackStore
from medquote.ui.html import VIEWER_PATH
from medquote.ui.layout import TITLE, Layout, build_layout
from medquote.ui.network import MAX_UPLOAD_BYTES, bind_error, no_uploads
from medquote.ui.viewer import not_found_page, quote_range, viewer_page

logger = logging.getLogger(__name__)

# The system's own fonts: nothing to download, and they read well on every platform.
SYSTEM_FONTS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif")
CONCURRENCY = 4
# Questions waiting beyond this many are turned away at once with "the queue is full", not left hanging.
MAX_QUEUE = 64
# Where build_app leaves the extra HTTP routes (the source viewer) for launch to serve.
ROUTES = "medquote_routes"
# Client-side steps: bring the new question, then the top of its reply, into view.
SHOW_PENDING_JS = "() => { setTimeout(() => window.mqShowLatest && window.mqShowLatest('.mq-pending'), 30); }"
SHOW_REPLY_JS = "() => { setTimeout(() => window.mqShowLatest && window.mqShowLatest('.mq-answer, .mq-notice'), 30); }"
SHOW_FEEDBACK_JS = (
    "() => { setTimeout(() => document.getElementById('mq-feedback')?.scrollIntoView({block: 'nearest'}), 30); }"
)
_PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def _static(name: str) -> str:
    return resources.files("medquote.ui").joinpath(f"static/{name}").read_text(encoding="utf-8")


def launch_options() -> dict[str, Any]:
    """Styling and our small script for ``Blocks.launch`` (Gradio 6 takes them there, not in ``Blocks``)."""
    return {
        "css": _static("medquote.css"),
        "js": _static("medquote.js"),
        "theme": gr.themes.Default(primary_hue="teal", secondary_hue="slate", neutral_hue="slate", font=SYSTEM_FONTS),
    }


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


def _wire(page: Layout, controller: ChatController) -> list[Any]:
    """Connect each event of the page to the controller's method for it; returns what the page's load updates."""
    controls = page.controls
    started = [page.chat, page.chatbot, page.pending, page.question, *controls]
    finished = [page.chat, page.chatbot, page.replies, page.pending, page.question, *controls]
    triggers = [(page.question.submit, controller.start, [page.question, page.chat])]
    triggers.append((page.ask.click, controller.start, [page.question, page.chat]))
    triggers += [
        (button.click, lambda history, text=text: controller.start(text, history), [page.chat])
        for button, text in page.examples
    ]
    for trigger, first, inputs in triggers:
        trigger(first, inputs, started, queue=False, show_progress="hidden", **_PRIVATE).then(
            None, js=SHOW_PENDING_JS, **_PRIVATE
        ).then(
            controller.finish,
            [page.pending, page.chat, page.replies],
            finished,
            concurrency_id="answer",
            show_progress="hidden",
            **_PRIVATE,
        ).then(None, js=SHOW_REPLY_JS, **_PRIVATE)
    loaded = [page.status, page.scope, page.about, page.footer, page.question, *controls]
    page.clear.click(
        controller.clear, None, [page.chat, page.chatbot, page.replies, page.question, page.feedback_box], **_PRIVATE
    )
    page.chatbot.clear(lambda: ([], {}), None, [page.chat, page.replies], **_PRIVATE)  # the chat's own bin icon
    thumbs = [page.feedback_box, page.feedback_note, page.reason, page.target]
    liked = page.chatbot.like(controller.on_like, [page.replies], thumbs, **_PRIVATE)
    liked.then(None, js=SHOW_FEEDBACK_JS, **_PRIVATE)
    for event in (page.reason.submit, page.send_reason.click):
        reasons = [page.target, page.reason, page.replies]
        event(controller.on_reason, reasons, [page.feedback_note, page.reason], **_PRIVATE)
    return loaded


def build_app(
    assistant: AssistantLike, *, feedback_path: Path | None = None, ready: threading.Event | None = None
) -> gr.Blocks:
    """The chat UI around ``assistant``, plus the ``/ask`` and ``/ask_after`` API endpoints returning
    ``Answer.to_dict()``.

    Until ``ready`` is set (the model is loaded and warmed), the page says so and its inputs stay off.
    """
    catalog = Catalog(assistant)
    if ready is None:
        ready = threading.Event()
        ready.set()
    with gr.Blocks(title=f"{TITLE} \u2014 quoted health information", analytics_enabled=False) as demo:
        page = build_layout(catalog)
        controller = ChatController(assistant, catalog, FeedbackStore(feedback_path), ready, len(page.controls))
        loaded = _wire(page, controller)
        demo.load(controller.on_load, None, loaded, **_PRIVATE)
        gr.api(controller.ask, api_name="ask")
        gr.api(controller.ask_after, api_name="ask_after")
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
