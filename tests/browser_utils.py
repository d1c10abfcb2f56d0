"""Driving the chat in headless Chromium: shared by the browser tests and the screenshot script.

Uses the system Chromium (``/usr/bin/chromium`` or ``$MEDQUOTE_CHROMIUM``); never downloads a browser.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path(os.environ.get("MEDQUOTE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSWER_TIMEOUT_MS = 30_000
# Until the model is loaded and warmed the chat says so and keeps its inputs off.
READY_TIMEOUT_MS = 180_000
# The two widths every browser test runs at: a desktop window and a phone (390 px, an iPhone 12-15).
VIEWPORTS = {"desktop": {"width": 1100, "height": 1000}, "phone": {"width": 390, "height": 844}}


def launch_browser(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def open_chat(page: Page, url: str) -> None:
    """Load the chat and wait until it is ready for a question."""
    page.goto(url)
    page.locator("#mq-question textarea:not([disabled])").wait_for(timeout=READY_TIMEOUT_MS)


@contextlib.contextmanager
def chat_page(browser: Browser, url: str, viewport: str = "desktop") -> Iterator[Page]:
    """A fresh tab (own context: no shared history) with the chat loaded, at one of ``VIEWPORTS``."""
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    try:
        tab = context.new_page()
        open_chat(tab, url)
        yield tab
    finally:
        context.close()


def ask(page: Page, question: str) -> None:
    """Type a question, submit it, and wait until its reply is in the chat."""
    replies = page.locator("#mq-chat .mq-answer, #mq-chat .mq-notice")
    before = replies.count()
    box = page.locator("#mq-question textarea")
    box.fill(question)
    page.locator("#mq-ask").click()
    wait_for_reply(page, before)


def wait_for_reply(page: Page, before: int) -> None:
    """Wait until the chat holds more than ``before`` replies and is ready for the next question."""
    page.wait_for_function(
        "([n]) => document.querySelectorAll('#mq-chat .mq-answer, #mq-chat .mq-notice').length > n"
        " && !document.querySelector('#mq-chat .mq-pending')"
        " && !document.querySelector('#mq-question textarea').disabled",
        arg=[before],
        timeout=ANSWER_TIMEOUT_MS,
    )
    page.wait_for_timeout(100)  # the reply is scrolled into view just after it arrives


def take_screenshot(
    url: str,
    question: str,
    out_path: Path | str,
    *,
    browser: Browser | None = None,
    viewport: str = "desktop",
    view_source: bool = False,
) -> Path:
    """Open the chat at ``url``, ask ``question`` and save what a person sees to ``out_path``: the whole
    page on a desktop (scrolled to the top, the chat at the new reply), the screen on a phone, or with
    ``view_source`` the source viewer opened from the reply's first quote.

    Pass a running ``browser`` when already inside Playwright (its sync API cannot be nested).
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = launch_browser(p)
            try:
                return take_screenshot(url, question, out_path, browser=own, viewport=viewport, view_source=view_source)
            finally:
                own.close()
    size = dict(VIEWPORTS[viewport])
    if viewport == "desktop":
        size["height"] = 1400
    context = browser.new_context(viewport=size)
    try:
        page = context.new_page()
        open_chat(page, url)
        ask(page, question)
        shown = page
        if view_source:
            with context.expect_page() as opened:
                page.locator("#mq-chat .mq-answer").last.locator(".mq-view").first.click()
            shown = opened.value
            shown.wait_for_load_state()
            shown.wait_for_timeout(300)
        elif viewport == "desktop":
            page.evaluate("() => window.scrollTo(0, 0)")
        shown.screenshot(path=str(out_path), full_page=viewport == "desktop" and not view_source)
    finally:
        context.close()
    return out_path


def take_screenshots(url: str, question: str, emergency: str, out_dir: Path | str, browser: Browser | None = None):
    """The README's four pictures: desktop, phone, the source viewer, and an emergency on a phone."""
    out_dir = Path(out_dir)
    shots = (
        ("screenshot.png", question, "desktop", False),
        ("screenshot-phone.png", question, "phone", False),
        ("screenshot-source.png", question, "phone", True),
        ("screenshot-emergency.png", emergency, "phone", False),
    )
    return [
        take_screenshot(url, q, out_dir / name, browser=browser, viewport=size, view_source=view)
        for name, q, size, view in shots
    ]


if __name__ == "__main__":
    # With the chat running (medquote serve / python app.py), from the repo root:
    #   python tests/browser_utils.py http://127.0.0.1:7860 "What is the half-life of clonazepam?" \
    #       "my friend took a whole bottle of klonopin and won't wake up" docs/
    if len(sys.argv) != 5:
        sys.exit("usage: browser_utils.py URL QUESTION EMERGENCY_QUESTION OUT_DIR")
    for path in take_screenshots(*sys.argv[1:]):
        print(path)
