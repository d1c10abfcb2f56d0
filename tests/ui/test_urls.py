"""A source link reaches people only as an absolute http(s) URL, in every output: the JSON of
``medquote ask --json`` and of the chat's ``/ask`` API, the terminal text and the chat HTML."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from medquote.cli import main
from medquote.records import Answer
from medquote.ui.app import build_app
from medquote.ui.html import render_answer
from medquote.ui.text import render_text
from medquote.ui.wording import LINK_MISSING

HOSTILE = [
    "javascript:alert(1)",
    " JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
]
GOOD = "https://medlineplus.gov/asthma.html"


class LinkedAssistant:
    """The fake assistant's asthma answer, with its source's link set to ``url``."""

    def __init__(self, fake_assistant, url: str) -> None:
        self.fake, self.url = fake_assistant, url
        self.example_questions = fake_assistant.example_questions

    def answer(self, question: str, *, previous: str | None = None) -> Answer:
        answer = self.fake.answer("What are the symptoms of asthma?")
        quotes = tuple(replace(q, source=replace(q.source, url=self.url)) for q in answer.quotes)
        return replace(answer, quotes=quotes)

    def __getattr__(self, name: str):
        return getattr(self.fake, name)


def _api_ask(demo):
    return next(f.fn for f in demo.fns.values() if f.api_name == "ask")


@pytest.mark.parametrize("url", HOSTILE)
def test_a_non_http_link_is_null_in_the_json(fake_assistant, url):
    data = LinkedAssistant(fake_assistant, url).answer("asthma").to_dict()
    assert data["passages"] and all(p["source"]["url"] is None for p in data["passages"])
    assert url.strip() not in json.dumps(data)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_non_http_link_is_null_in_the_chat_api(fake_assistant, url):
    data = _api_ask(build_app(LinkedAssistant(fake_assistant, url)))("What are the symptoms of asthma?")
    assert [p["source"]["url"] for p in data["passages"]] == [None]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_non_http_link_is_absent_from_the_text_and_the_html(fake_assistant, url):
    answer = LinkedAssistant(fake_assistant, url).answer("asthma")
    text, page = render_text(answer), render_answer(answer)
    assert url.strip() not in text and LINK_MISSING in text
    assert url.strip() not in page and url.strip().split(":")[0] + ":" not in page.replace("https:", "")


@pytest.mark.parametrize("url", HOSTILE)
def test_a_non_http_link_is_null_in_ask_json(fake_assistant, url, monkeypatch, capsys, tmp_path):
    """`medquote ask --json` prints what the assistant answered, with the link filtered."""
    from medquote.answer.assistant import Assistant

    monkeypatch.setattr(Assistant, "from_index", classmethod(lambda cls, *a, **k: LinkedAssistant(fake_assistant, url)))
    assert main(["ask", "What are the symptoms of asthma?", "--json", "--index", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["source"]["url"] for p in data["passages"]] == [None]


def test_an_http_link_is_kept_in_every_output(fake_assistant):
    assistant = LinkedAssistant(fake_assistant, GOOD)
    answer = assistant.answer("asthma")
    assert answer.to_dict()["passages"][0]["source"]["url"] == GOOD
    assert _api_ask(build_app(assistant))("asthma")["passages"][0]["source"]["url"] == GOOD
    assert GOOD in render_text(answer) and f'href="{GOOD}"' in render_answer(answer)
