"""The chat in headless Chromium against a fake assistant: what a person actually sees and clicks.

One server and one browser per module. Set MEDQUOTE_SCREENSHOT=1 to also refresh docs/screenshot.png.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from browser_utils import ask, chat_page, free_port, take_screenshot
from conftest import REPO_ROOT, FakeAssistant

from medquote.safety.templates import EMPTY_QUESTION_MESSAGE, NOT_FOUND_MESSAGE
from medquote.ui.app import CONCURRENCY, build_app, launch
from medquote.ui.feedback import read_feedback

pytestmark = pytest.mark.browser

ASTHMA = "What are the symptoms of asthma?"
XSS_QUESTION = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(url, feedback path, app) of the chat, served with the fake assistant on a free local port."""
    feedback = tmp_path_factory.mktemp("feedback") / "feedback.jsonl"
    demo = build_app(FakeAssistant(), feedback_path=feedback)
    url = launch(demo, "127.0.0.1", free_port(), prevent_thread_lock=True, quiet=True)
    yield url, feedback, demo
    demo.close()


@pytest.fixture
def page(server, browser):
    with chat_page(browser, server[0]) as tab:
        yield tab


def last_reply(page):
    return page.locator("#mq-chat .mq-answer").last


def test_example_question_shows_a_quote_its_source_and_the_disclaimer(page):
    page.get_by_role("button", name=ASTHMA).click()
    page.locator("#mq-chat .mq-answer").first.wait_for()
    reply = last_reply(page)
    quote = reply.locator("blockquote.mq-quote").first
    assert quote.is_visible()
    assert "Common symptoms of asthma include" in quote.inner_text()
    assert quote.locator("mark").inner_text() == "wheezing, coughing, chest tightness"
    link = reply.locator(".mq-source a").first
    assert link.get_attribute("href") == "https://medlineplus.gov/asthma.html"
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")
    disclaimer = reply.locator(".mq-disclaimer")
    assert disclaimer.is_visible() and "not medical advice" in disclaimer.inner_text()
    assert ASTHMA in page.locator("#mq-chat").inner_text()  # the question stays in the history


def test_emergency_banner_is_visible_above_the_first_quote(page):
    ask(page, "I want to harm myself")
    reply = last_reply(page)
    banner = reply.locator('.mq-emergency[role="alert"]')
    quote = reply.locator("blockquote.mq-quote").first
    assert banner.is_visible() and quote.is_visible()
    assert "call your local emergency number" in banner.inner_text()
    assert banner.bounding_box()["y"] + banner.bounding_box()["height"] <= quote.bounding_box()["y"]
    precedes = page.evaluate(
        "() => { const a = document.querySelector('#mq-chat .mq-emergency');"
        " const q = document.querySelector('#mq-chat .mq-quote');"
        " return !!(a.compareDocumentPosition(q) & Node.DOCUMENT_POSITION_FOLLOWING); }"
    )
    assert precedes
    # A javascript: URL in a source never becomes a link.
    assert reply.locator("a").count() == 0


def test_off_topic_question_says_not_found(page):
    ask(page, "Who won the football match?")
    reply = last_reply(page)
    assert NOT_FOUND_MESSAGE in reply.inner_text()
    assert reply.locator(".mq-hint").is_visible()
    assert reply.locator("blockquote").count() == 0
    assert reply.locator(".mq-disclaimer").is_visible()


def test_html_from_users_and_sources_is_shown_not_run(page):
    ask(page, XSS_QUESTION)
    reply = last_reply(page)
    reply.locator("blockquote.mq-quote").wait_for()
    page.wait_for_timeout(300)  # give any injected handler the chance to fire
    assert page.evaluate("typeof window.__xss") == "undefined"
    chat_text = page.locator("#mq-chat").inner_text()
    assert XSS_QUESTION in chat_text
    assert "<script>window.__xss=1</script>" in reply.locator("mark").inner_text()
    assert "<b>Evil</b> Publisher" in reply.inner_text()
    assert page.locator("#mq-chat script, #mq-chat .mq-answer img, #mq-chat .mq-question img").count() == 0


def test_empty_question_shows_the_input_error_and_keeps_the_chat(page):
    ask(page, ASTHMA)
    page.locator("#mq-ask").click()
    notice = page.locator("#mq-chat .mq-notice").last
    notice.wait_for()
    assert notice.inner_text() == EMPTY_QUESTION_MESSAGE
    assert page.locator("#mq-chat .mq-answer").count() == 1


def test_thumbs_up_is_recorded_with_the_passages(page, server):
    _, feedback, _ = server
    before = len(read_feedback(feedback))
    ask(page, ASTHMA)
    page.locator('#mq-chat button[aria-label="Like"]').last.click()
    deadline = time.monotonic() + 10
    while len(read_feedback(feedback)) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    records = read_feedback(feedback)
    assert len(records) == before + 1
    record = records[-1]
    assert record["rating"] == "up" and record["question"] == ASTHMA
    assert record["passage_ids"] == ["medline-asthma#55"] and record["status"] == "answered"
    assert record["index_version"] == "20261121T053000Z-fake01"


def test_clear_chat_empties_the_history(page):
    ask(page, ASTHMA)
    page.locator("#mq-clear").click()
    page.wait_for_function("() => !document.querySelector('#mq-chat .mq-answer')")


def test_about_the_sources_panel(page):
    page.locator("#mq-about").get_by_text("About the sources").click()
    panel = page.locator(".mq-sources")
    panel.wait_for()
    assert "3 documents from 3 source entries" in panel.inner_text()
    assert panel.locator('a[href="https://medlineplus.gov/asthma.html"]').count() == 1


def test_api_ask_returns_the_answer_json(server):
    from gradio_client import Client

    url, _, _ = server
    result = Client(url, verbose=False).predict(ASTHMA, api_name="/ask")
    assert result["status"] == "answered"
    assert result["passages"][0]["source"]["url"] == "https://medlineplus.gov/asthma.html"
    assert set(result) >= {"question", "passages", "disclaimer", "emergency", "notes", "index_version"}


class WaitingAssistant(FakeAssistant):
    """Answers only once ``parties`` questions are being answered at the same time."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(parties, timeout=10)

    def answer(self, question: str):
        self.barrier.wait()  # raises BrokenBarrierError if the server ran the questions one by one
        return super().answer(question)


def test_questions_are_answered_in_parallel():
    from gradio_client import Client

    parties = 3
    assert CONCURRENCY >= parties
    demo = build_app(WaitingAssistant(parties))
    url = launch(demo, "127.0.0.1", free_port(), prevent_thread_lock=True, quiet=True)
    try:
        client = Client(url, verbose=False)
        jobs = [client.submit(f"asthma {i}", api_name="/ask") for i in range(parties)]
        results = [job.result(timeout=60) for job in jobs]
    finally:
        demo.close()
    assert [r["status"] for r in results] == ["answered"] * parties


@pytest.mark.skipif(os.environ.get("MEDQUOTE_SCREENSHOT") != "1", reason="set MEDQUOTE_SCREENSHOT=1")
def test_save_screenshot(server, browser):
    url, _, _ = server
    out = take_screenshot(url, ASTHMA, REPO_ROOT / "docs" / "screenshot.png", browser=browser)
    assert out.stat().st_size > 10_000


def test_no_run_history_or_monitoring_pages_and_a_bounded_queue(server):
    """A health app keeps no one's questions in a run-history page and exposes no traffic monitor."""
    import json
    import urllib.error
    import urllib.request

    url = server[0]
    for path, refused in (("monitoring", {403, 404}), ("gradio_api/runs", {404})):
        with pytest.raises(urllib.error.HTTPError) as refusal:
            urllib.request.urlopen(url + path, timeout=10)
        assert refusal.value.code in refused, path
    with urllib.request.urlopen(url + "config", timeout=10) as response:
        assert json.loads(response.read())["run_history"] is False
    # Beyond this many waiting questions Gradio answers "the queue is full" at once.
    from medquote.ui.app import MAX_QUEUE

    assert server[2]._queue.max_size == MAX_QUEUE
