"""The chat page's layout: ``build_layout`` places the components, ``Layout`` names them; no behaviour.

Called inside a ``gr.Blocks`` context. Every input starts off; the page's load event turns them on
when the sources are loaded.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import gradio as gr

from medquote.ui import wording
from medquote.ui.sources import render_placeholder

if TYPE_CHECKING:
    from medquote.ui.catalog import Catalog

TITLE = "medquote"
DESCRIPTION = (
    "Answers to health questions, quoted word for word from the sources listed below, each with where it "
    "comes from and how it was checked. This is not medical advice."
)


@dataclass
class Layout:
    """The page's components, by role."""

    status: gr.HTML
    scope: gr.HTML
    about: gr.HTML
    footer: gr.HTML
    chat: gr.State  # the conversation: the one copy every step reads and writes
    replies: gr.State  # reply id -> what feedback on it is stored with
    pending: gr.State  # the question being answered, with its reply id
    target: gr.State  # the reply the last thumbs click was on, and the rating
    chatbot: gr.Chatbot
    feedback_box: gr.Group
    feedback_note: gr.HTML
    reason: gr.Textbox
    send_reason: gr.Button
    question: gr.Textbox
    ask: gr.Button
    examples: list[tuple[gr.Button, str]]
    clear: gr.Button

    @property
    def controls(self) -> list[Any]:
        """The buttons that are off while a reply is pending."""
        return [self.ask, *(button for button, _ in self.examples), self.clear]


def _header(catalog: Catalog) -> tuple[gr.HTML, gr.HTML, gr.HTML]:
    gr.HTML(
        f'<header class="mq-header"><h1>{TITLE}</h1><p>{html.escape(DESCRIPTION)}</p></header>',
        elem_id="mq-header",
        js_on_load=None,
    )
    status = gr.HTML(
        f'<p class="mq-loading" role="status">{html.escape(wording.LOADING_MESSAGE)}</p>',
        elem_id="mq-status",
        js_on_load=None,
    )
    scope = gr.HTML(catalog.scope_html(), elem_id="mq-scope", js_on_load=None)
    with gr.Accordion("About the sources: provenance of each one", open=False, elem_id="mq-about"):
        about = gr.HTML(catalog.about_html(), js_on_load=None)
    return status, scope, about


def _chatbot(catalog: Catalog) -> gr.Chatbot:
    return gr.Chatbot(
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


def _feedback() -> tuple[gr.Group, gr.HTML, gr.Textbox, gr.Button]:
    with gr.Group(visible=False, elem_id="mq-feedback") as box:
        note = gr.HTML("", js_on_load=None)
        with gr.Row(equal_height=True):
            reason = gr.Textbox(
                label="Why? (optional; saved with your rating)", lines=1, max_lines=3, scale=5, elem_id="mq-reason"
            )
            send = gr.Button("Send reason", scale=1, min_width=120, elem_id="mq-reason-send")
    return box, note, reason, send


def _ask_row(examples: tuple[str, ...]) -> tuple[gr.Textbox, gr.Button]:
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
        ask = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="mq-ask", interactive=False)
    return question, ask


def _examples(examples: tuple[str, ...]) -> tuple[list[tuple[gr.Button, str]], gr.Button]:
    buttons: list[tuple[gr.Button, str]] = []
    with gr.Row(elem_id="mq-examples"):
        if examples:
            gr.HTML('<p class="mq-examples-label">Or try an example:</p>', js_on_load=None, elem_id="mq-examples-label")
        for text in examples:
            buttons.append((gr.Button(text, size="sm", variant="secondary", scale=0, interactive=False), text))
        clear = gr.Button("Clear chat", size="sm", variant="secondary", scale=0, elem_id="mq-clear", interactive=False)
    return buttons, clear


def build_layout(catalog: Catalog) -> Layout:
    """Place the page's components, top to bottom, inside the current ``gr.Blocks``."""
    status, scope, about = _header(catalog)
    chat, replies, pending, target = gr.State([]), gr.State({}), gr.State(None), gr.State(None)
    chatbot = _chatbot(catalog)
    feedback_box, feedback_note, reason, send_reason = _feedback()
    examples = tuple(catalog.scope.examples)
    question, ask = _ask_row(examples)
    buttons, clear = _examples(examples)
    footer = gr.HTML(js_on_load=None)
    return Layout(
        status=status, scope=scope, about=about, footer=footer, chat=chat, replies=replies, pending=pending,
        target=target, chatbot=chatbot, feedback_box=feedback_box, feedback_note=feedback_note, reason=reason,
        send_reason=send_reason, question=question, ask=ask, examples=buttons, clear=clear,
    )  # fmt: skip
