"""The chat in headless Chromium against a fake assistant: what a person actually sees and clicks, at a
desktop width and at a 390 px phone width.

One server and one browser per module. Set MEDQUOTE_SCREENSHOT=1 to also refresh the screenshots in docs/
from this fake assistant (the README's come from the real default corpus: see tests/browser_utils.py).
"""

from __future__ import annotations

import json
import os
import threading
import time

import pytest
from browser_utils import VIEWPORTS, ask, chat_page, open_chat, take_screenshots, wait_for_reply
from conftest import REPO_ROOT, FakeAssistant
from ports import free_port

from medquote.safety.templates import EMPTY_QUESTION_MESSAGE, NOT_FOUND_MESSAGE
from medquote.ui.app import CONCURRENCY, build_app, launch
from medquote.ui.feedback import read_feedback
from medquote.ui.wording import (
    CHECK_TITLE,
    FEEDBACK_REASON_SAVED,
    FEEDBACK_SAVED,
    LINK_MISSING,
    LOADING_MESSAGE,
    NOT_REVIEWED,
    PUBLISHED_MISSING,
    PUBLISHER_MISSING,
    SEARCHED_AS_LABEL,
    SEARCHING_MESSAGE,
)

pytestmark = pytest.mark.browser

ASTHMA = "What are the symptoms of asthma?"
XSS_QUESTION = '<img src=x onerror="window.__xss=1">'
WIDTHS = list(VIEWPORTS)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(url, feedback path, app, assistant) of the chat, served with the fake assistant on a free local port."""
    feedback = tmp_path_factory.mktemp("feedback") / "feedback.jsonl"
    assistant = FakeAssistant()
    demo = build_app(assistant, feedback_path=feedback)
    url = launch(demo, "127.0.0.1", free_port(), prevent_thread_lock=True, quiet=True)
    yield url, feedback, demo, assistant
    demo.close()


@pytest.fixture(params=WIDTHS)
def page(request, server, browser):
    with chat_page(browser, server[0], request.param) as tab:
        yield tab


def last_reply(page):
    return page.locator("#mq-chat .mq-answer").last


def in_view(page, locator) -> bool:
    """Wholly inside the window and inside every scrolled box around it."""
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); if (r.top < -1 || r.bottom > innerHeight + 1) return false;"
        " for (let n = e.parentElement; n; n = n.parentElement) { const s = getComputedStyle(n);"
        " if (!/(auto|scroll)/.test(s.overflowY)) continue; const b = n.getBoundingClientRect();"
        " if (r.top < b.top - 1 || r.bottom > b.bottom + 1) return false; } return true; }"
    )


def top_in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return (
        in_view(page, locator)
        if box["height"] < 200
        else locator.evaluate(
            "e => { const r = e.getBoundingClientRect(); return r.top >= -1 && r.top < innerHeight * 0.5; }"
        )
    )


# --- what the chat can answer from -------------------------------------------------------------------


def test_scope_panel_above_the_chat_and_the_empty_chat_derive_from_the_index(page):
    scope = page.locator(".mq-scope")
    assert "What the answers can quote: 3 passages from 3 sources" in scope.inner_text()
    assert scope.bounding_box()["y"] < page.locator("#mq-chat").bounding_box()["y"]
    assert "MedlinePlus" in scope.inner_text() and "Getting help in a crisis" in scope.inner_text()
    assert "Ask a question about asthma." in page.locator("#mq-chat").inner_text()
    for example in FakeAssistant.example_questions:
        assert page.get_by_role("button", name=example).is_enabled()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_says_it_is_loading_until_the_model_is_warm(browser, width):
    ready = threading.Event()
    demo = build_app(FakeAssistant(), ready=ready)
    url = launch(demo, "127.0.0.1", free_port(), prevent_thread_lock=True, quiet=True)
    try:
        context = browser.new_context(viewport=VIEWPORTS[width])
        tab = context.new_page()
        tab.goto(url)
        status = tab.locator("#mq-status")
        status.get_by_text(LOADING_MESSAGE).wait_for()
        assert tab.locator("#mq-question textarea").is_disabled() and tab.locator("#mq-ask").is_disabled()
        ready.set()
        tab.locator("#mq-question textarea:not([disabled])").wait_for()
        assert LOADING_MESSAGE not in tab.locator("body").inner_text()
        ask(tab, ASTHMA)
        assert "wheezing" in last_reply(tab).inner_text()
        context.close()
    finally:
        demo.close()


# --- a reply and its provenance ----------------------------------------------------------------------


def test_example_question_shows_a_quote_its_source_and_the_disclaimer(page):
    page.get_by_role("button", name=ASTHMA).click()
    wait_for_reply(page, 0)
    reply = last_reply(page)
    quote = reply.locator("blockquote.mq-quote").first
    assert quote.is_visible()
    assert "Common symptoms of asthma include" in quote.inner_text()
    assert quote.locator("mark").inner_text() == "wheezing, coughing, chest tightness"
    link = reply.locator(".mq-source a").first
    assert link.get_attribute("href") == "https://medlineplus.gov/asthma.html"
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")
    card = reply.locator(".mq-source").inner_text()
    for label in ("MedlinePlus", "published 2024-05-01", "added 2026-11-21", "reviewed by Dr. A. Example, GP"):
        assert label in card
    disclaimer = reply.locator(".mq-disclaimer")
    assert disclaimer.is_visible() and "not medical advice" in disclaimer.inner_text()
    assert ASTHMA in page.locator("#mq-chat").inner_text()  # the question stays in the history


def test_a_source_with_nothing_recorded_says_so(page):
    ask(page, "I want to harm myself")
    card = last_reply(page).locator(".mq-source")
    text = card.inner_text()
    for label in (PUBLISHER_MISSING, LINK_MISSING, PUBLISHED_MISSING, "added 2026-11-21", NOT_REVIEWED):
        assert label in text
    note = card.locator("details.mq-vetting-note")
    note.locator("summary").click()
    assert "not clinically reviewed" in note.inner_text()


def test_emergency_comes_first_fully_visible_with_tappable_numbers(page):
    ask(page, "I want to harm myself")
    reply = last_reply(page)
    banner = reply.locator('.mq-emergency[role="alert"]')
    quote = reply.locator("blockquote.mq-quote").first
    assert "call your local emergency number" in banner.inner_text()
    assert in_view(page, banner)  # at 390 px too: the whole block, call-to-action included
    assert banner.bounding_box()["y"] + banner.bounding_box()["height"] <= quote.bounding_box()["y"]
    assert reply.locator(":scope > *").first.evaluate("e => e.classList.contains('mq-emergency')")
    assert [a.get_attribute("href") for a in banner.locator("a").all()] == ["tel:112", "tel:911", "tel:988"]
    assert "Emergency services: 112 / 911" in banner.inner_text()  # the fixed text is unchanged
    # A javascript: URL in a source never becomes a link.
    assert reply.locator('a[href^="javascript"]').count() == 0 and reply.locator("a.mq-link").count() == 0


def test_a_check_banner_sits_above_the_quotes_and_looks_different(page):
    ask(page, "Can an asthma inhaler cause an overdose?")
    reply = last_reply(page)
    check = reply.locator('.mq-check[role="note"]')
    assert CHECK_TITLE in check.inner_text() and reply.locator(".mq-emergency").count() == 0
    assert check.bounding_box()["y"] < reply.locator("blockquote.mq-quote").first.bounding_box()["y"]
    assert check.locator('a[href="tel:18002221222"]').inner_text() == "1-800-222-1222"
    style = check.evaluate("e => getComputedStyle(e).borderTopStyle")
    assert style == "dashed"  # the emergency block is solid red


def test_a_follow_up_is_read_with_the_question_before_it_and_says_so(page):
    ask(page, "What are the symptoms of asthma?")
    ask(page, "and at night?")
    reply = last_reply(page)
    label = reply.locator(".mq-searched-as")
    assert label.inner_text() == f"{SEARCHED_AS_LABEL} \u201cWhat are the symptoms of asthma: and at night?\u201d"
    assert label.bounding_box()["y"] < reply.locator("blockquote.mq-quote").first.bounding_box()["y"]


def test_notes_come_above_the_quotes(page):
    ask(page, ASTHMA)
    reply = last_reply(page)
    assert reply.locator(".mq-note").bounding_box()["y"] < reply.locator(".mq-quote").first.bounding_box()["y"]


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
    reply.locator("details.mq-vetting-note summary").click()  # the vetting note carries a payload too
    page.wait_for_timeout(300)  # give any injected handler the chance to fire
    assert page.evaluate("typeof window.__xss") == "undefined"
    chat_text = page.locator("#mq-chat").inner_text()
    assert XSS_QUESTION in chat_text
    assert "<script>window.__xss=1</script>" in reply.locator("mark").inner_text()
    assert "<b>Evil</b> Publisher" in reply.inner_text()
    assert "<script>window.__xss=1</script>" in reply.locator("details.mq-vetting-note").inner_text()
    assert page.locator("#mq-chat script, #mq-chat .mq-answer img, #mq-chat .mq-question img").count() == 0


# --- the source viewer and copying -------------------------------------------------------------------


def test_a_quote_opens_in_its_whole_source_highlighted_and_in_view(page):
    ask(page, ASTHMA)
    quote = last_reply(page).locator("blockquote.mq-quote").first.inner_text()
    with page.context.expect_page() as opened:
        last_reply(page).locator("a.mq-view").first.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    mark = viewer.locator("mark#mq-quote")
    assert mark.inner_text() == quote
    full = viewer.locator(".mq-viewer-text").inner_text()
    assert full.startswith("Asthma is a chronic disease") and quote in full
    viewer.wait_for_function("() => { const r = document.getElementById('mq-quote').getBoundingClientRect();"
                             " return r.top >= 0 && r.top < innerHeight; }")  # fmt: skip
    facts = viewer.locator(".mq-viewer-facts").inner_text()
    assert "MedlinePlus" in facts and "published 2024-05-01; added 2026-11-21" in facts
    viewer.close()


def test_the_viewer_escapes_hostile_sources_and_refuses_bad_links(page, server):
    ask(page, XSS_QUESTION)
    href = last_reply(page).locator("a.mq-view").first.get_attribute("href")
    viewer = page.context.new_page()
    viewer.goto(server[0] + href)
    assert "<script>window.__xss=1</script>" in viewer.locator("mark#mq-quote").inner_text()
    assert viewer.evaluate("typeof window.__xss") == "undefined"
    assert viewer.locator(".mq-viewer img, .mq-viewer-text script").count() == 0
    for bad, code in (("source?id=nope&start=0&end=5", 404), ("source?id=medline-asthma&start=5&end=99999", 400)):
        response = viewer.goto(server[0] + bad)
        assert response.status == code and "Back to the chat" in viewer.locator("body").inner_text()
    viewer.close()


def test_copy_quote_with_citation_in_the_chat_and_in_the_viewer(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    ask(page, ASTHMA)
    button = last_reply(page).locator(".mq-copy").first
    button.click()
    page.wait_for_function("() => document.querySelector('#mq-chat .mq-copy').textContent === 'Copied'")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("\u201cCommon symptoms of asthma include wheezing")
    assert "\nSource: Asthma. Publisher: MedlinePlus. Link: https://medlineplus.gov/asthma.html." in copied
    assert "Date: published 2024-05-01; added 2026-11-21." in copied
    with page.context.expect_page() as opened:
        last_reply(page).locator("a.mq-view").first.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    viewer.locator(".mq-copy").click()
    viewer.wait_for_function("() => document.querySelector('.mq-copy').textContent === 'Copied'")
    assert viewer.evaluate("() => navigator.clipboard.readText()") == copied
    viewer.close()


# --- no lost or misattributed events -----------------------------------------------------------------


def test_an_example_clicked_while_an_answer_is_pending_loses_nothing(page, server):
    assistant = server[3]
    assistant.release.clear()
    try:
        page.locator("#mq-question textarea").fill("Please wait: what are the symptoms of asthma?")
        page.locator("#mq-ask").click()
        pending = page.locator("#mq-chat .mq-pending")
        pending.wait_for()
        assert SEARCHING_MESSAGE in pending.inner_text() and pending.is_visible()
        assert "Please wait: what are the symptoms" in page.locator("#mq-chat").inner_text()  # shown at once
        example = page.get_by_role("button", name="Is asthma a chronic disease?")
        assert example.is_disabled() and page.locator("#mq-ask").is_disabled()
        example.click(force=True)  # what a person does while waiting
        page.locator("#mq-question textarea").press("Enter")
        page.wait_for_timeout(300)
    finally:
        assistant.release.set()
    wait_for_reply(page, 0)
    page.wait_for_timeout(300)
    messages = page.locator("#mq-chat .mq-question, #mq-chat .mq-answer, #mq-chat .mq-notice")
    texts = messages.all_inner_texts()
    assert len(texts) == 2, texts
    assert texts[0] == "Please wait: what are the symptoms of asthma?" and "wheezing" in texts[1]
    # Once the reply is in, the example works and is answered after it, in order.
    page.get_by_role("button", name="Is asthma a chronic disease?").click()
    wait_for_reply(page, 1)
    texts = messages.all_inner_texts()
    assert len(texts) == 4 and texts[2] == "Is asthma a chronic disease?"


def test_the_top_of_each_new_reply_is_scrolled_into_view(page):
    for question in (ASTHMA, "I want to harm myself", "Who won the match?", ASTHMA):
        ask(page, question)
        reply = last_reply(page)
        assert top_in_view(page, reply), question
    assert in_view(page, last_reply(page).locator(".mq-note"))
    assert top_in_view(page, last_reply(page).locator("blockquote.mq-quote").first)


def give_reason(page, why: str, feedback, records: int) -> None:
    """Send ``why`` for the last thumbs click; wait until the feedback file holds ``records`` records."""
    page.get_by_label("Why? (optional; saved with your rating)").fill(why)
    page.locator("#mq-reason-send").click()
    page.locator("#mq-feedback").get_by_text(FEEDBACK_REASON_SAVED).wait_for()
    deadline = time.monotonic() + 10
    while len(read_feedback(feedback)) < records and time.monotonic() < deadline:
        time.sleep(0.1)


def test_thumbs_are_confirmed_bound_to_their_reply_and_take_a_reason(page, server):
    _, feedback, _, _ = server
    before = len(read_feedback(feedback))
    ask(page, ASTHMA)
    ask(page, "Who won the match?")
    first = page.locator("#mq-chat .mq-answer").first
    reply_id = first.get_attribute("id").removeprefix("mq-reply-")
    page.locator('#mq-chat button[aria-label="Like"]').first.click()
    note = page.locator("#mq-feedback .mq-feedback-note")
    note.wait_for()
    assert note.inner_text() == FEEDBACK_SAVED
    give_reason(page, "Clear and to the point", feedback, before + 2)
    rating, reason = read_feedback(feedback)[before:]
    assert rating["rating"] == "up" and rating["question"] == ASTHMA and rating["reply_id"] == reply_id
    assert rating["passage_ids"] == ["medline-asthma#55"] and rating["status"] == "answered"
    assert rating["index_version"] == "20261121T053000Z-fake01"
    assert reason["reply_id"] == reply_id and reason["reason"] == "Clear and to the point"


def test_a_thumbs_down_in_the_browser_reaches_the_review_queue_and_its_export(page, server, tmp_path, capsys):
    from medquote.cli import main

    _, feedback, _, _ = server
    before = len(read_feedback(feedback))
    ask(page, ASTHMA)
    ask(page, "Who won the match?")
    page.locator('#mq-chat button[aria-label="Dislike"]').last.click()
    page.locator("#mq-feedback .mq-feedback-note").wait_for()
    give_reason(page, "I asked about football", feedback, before + 2)
    folder = tmp_path / "flagged"
    assert main(["feedback", "--feedback", str(feedback), "export", str(folder)]) == 0
    capsys.readouterr()
    first = json.loads((folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["text"] == "Who won the match?" and first["note"] == "I asked about football"
    assert first["feedback"]["status"] == "no_match" and first["type"] == ""


def test_empty_question_shows_the_input_error_and_keeps_the_chat(page):
    ask(page, ASTHMA)
    page.locator("#mq-ask").click()
    notice = page.locator("#mq-chat .mq-notice").last
    notice.wait_for()
    assert notice.inner_text() == EMPTY_QUESTION_MESSAGE
    assert page.locator("#mq-chat .mq-answer").count() == 1
    page.locator("#mq-question textarea:not([disabled])").wait_for()


def test_clear_chat_empties_the_history(page):
    ask(page, ASTHMA)
    page.locator("#mq-clear").click()
    page.wait_for_function("() => !document.querySelector('#mq-chat .mq-answer')")


# --- reading: labels, contrast and axe-core ----------------------------------------------------------


def test_the_question_box_has_a_visible_label(page):
    box = page.get_by_label("Your health question")
    assert box.evaluate("e => e.tagName") == "TEXTAREA" and box.is_editable()


def _contrast(page, selector: str) -> float:
    """WCAG contrast of an element's text colour against its background (first opaque one behind it)."""
    return page.locator(selector).first.evaluate(
        "e => { const rgb = s => s.match(/[\\d.]+/g).map(Number);"
        " const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 :"
        " Math.pow((x + 0.055) / 1.055, 2.4); }); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };"
        " let n = e, bg; while (n) { const c = rgb(getComputedStyle(n).backgroundColor);"
        " if (c.length < 4 || c[3] > 0.9) { bg = c; break; } n = n.parentElement; } bg = bg || [255, 255, 255];"
        " const fg = rgb(getComputedStyle(e).color); const a = lum(fg), b = lum(bg);"
        " return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }"
    )


def test_the_ask_button_and_examples_meet_aa_contrast(page):
    for selector in ("#mq-ask", "#mq-examples button", ".mq-scope", ".mq-footer"):
        assert _contrast(page, selector) >= 4.5, selector


def _serious(page, **context) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, **context)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violations(page, server, theme):
    if theme == "dark":
        page.emulate_media(color_scheme="dark")
        open_chat(page, server[0] + "?__theme=dark")
    for question in ("I want to harm myself", "Can an asthma inhaler cause an overdose?", "and at night?", "bananas"):
        ask(page, question)
    page.locator('#mq-chat button[aria-label="Like"]').last.click()
    page.locator("#mq-feedback .mq-feedback-note").wait_for()
    page.locator("#mq-about").get_by_text("About the sources").click()
    assert _serious(page) == []
    with page.context.expect_page() as opened:
        page.locator("#mq-chat a.mq-view").last.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    viewer.emulate_media(color_scheme=theme)
    assert _serious(viewer) == []
    viewer.close()


# --- the rest ----------------------------------------------------------------------------------------


def test_about_the_sources_panel(page):
    page.locator("#mq-about").get_by_text("About the sources").click()
    panel = page.locator(".mq-sources")
    panel.wait_for()
    assert "3 documents from 3 source entries" in panel.inner_text()
    assert panel.locator('a[href="https://medlineplus.gov/asthma.html"]').count() == 1
    assert "reviewed by Dr. A. Example, GP on 2026-11-30" in panel.inner_text()


def test_api_ask_returns_the_answer_json(server):
    from gradio_client import Client

    url = server[0]
    result = Client(url, verbose=False).predict(ASTHMA, api_name="/ask")
    assert result["status"] == "answered"
    source = result["passages"][0]["source"]
    assert source["url"] == "https://medlineplus.gov/asthma.html" and source["reviewed_on"] == "2026-11-30"
    assert set(result) >= {"question", "passages", "disclaimer", "emergency", "notes", "index_version"}


def test_api_ask_takes_the_conversations_earlier_questions(server):
    from gradio_client import Client

    client = Client(server[0], verbose=False)
    result = client.predict("and at night?", ["What are the symptoms of asthma?"], api_name="/ask_after")
    assert result["searched_as"] == "What are the symptoms of asthma: and at night?"
    assert client.predict("and at night?", api_name="/ask")["searched_as"] is None  # /ask: a question alone
    with pytest.raises(Exception, match="history must be a list of the earlier questions"):
        client.predict("and at night?", [3], api_name="/ask_after")


class WaitingAssistant(FakeAssistant):
    """Answers only once ``parties`` questions are being answered at the same time."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(parties, timeout=10)

    def answer(self, question: str, *, previous=None):
        self.barrier.wait()  # raises BrokenBarrierError if the server ran the questions one by one
        return super().answer(question, previous=previous)


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
def test_save_screenshots(server, browser):
    paths = take_screenshots(server[0], ASTHMA, "I want to harm myself", REPO_ROOT / "docs", browser=browser)
    assert all(path.stat().st_size > 10_000 for path in paths)


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
    # The source viewer is served beside Gradio's own routes.
    with urllib.request.urlopen(url + "source?id=medline-asthma&start=0&end=6", timeout=10) as response:
        assert response.status == 200 and b'<mark id="mq-quote"' in response.read()
