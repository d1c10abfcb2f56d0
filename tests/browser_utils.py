"""Driving the chat in headless Chromium: shared by the browser tests and the screenshot script.

Uses the system Chromium (``/usr/bin/chromium`` or ``$MEDQUOTE_CHROMIUM``); never downloads a browser.
"""

from __future__ import annotations

import contextlib
import os
import socket
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch_browser(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("#mq-question textarea").wait_for(timeout=ANSWER_TIMEOUT_MS)


@contextlib.contextmanager
def chat_page(browser: Browser, url: str) -> Iterator[Page]:
    """A fresh tab (own context: no shared history) with the chat loaded."""
    context = browser.new_context(viewport={"width": 1100, "height": 1000})
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
    page.wait_for_function(
        "([n]) => document.querySelectorAll('#mq-chat .mq-answer, #mq-chat .mq-notice').length > n",
        arg=[before],
        timeout=ANSWER_TIMEOUT_MS,
    )


def take_screenshot(
    url: str,
    question: str,
    out_path: Path | str,
    *,
    browser: Browser | None = None,
    width: int = 1100,
    height: int = 1400,
) -> Path:
    """Open the chat at ``url``, ask ``question`` and save a screenshot of the page to ``out_path``.

    Pass a running ``browser`` when already inside Playwright (its sync API cannot be nested).
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = launch_browser(p)
            try:
                return take_screenshot(url, question, out_path, browser=own, width=width, height=height)
            finally:
                own.close()
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        open_chat(page, url)
        ask(page, question)
        page.wait_for_timeout(300)  # let the chat finish its own scrolling, then show the question on top
        page.evaluate(
            "() => { const rows = document.querySelectorAll('#mq-chat .user-row'); if (!rows.length) return;"
            " const row = rows[rows.length - 1]; row.scrollIntoView({block: 'start'});"
            " const log = row.closest('[role=log]'); if (log) log.scrollTop -= 40; window.scrollTo(0, 0); }"
        )
        page.screenshot(path=str(out_path), full_page=True)
    finally:
        context.close()
    return out_path


if __name__ == "__main__":
    # With the chat running (medquote serve / python app.py), from the repo root:
    #   python tests/browser_utils.py http://127.0.0.1:7860 "What are the symptoms of asthma?" \
    #       docs/screenshot.png
    if len(sys.argv) != 4:
        sys.exit("usage: browser_utils.py URL QUESTION OUT.png")
    print(take_screenshot(sys.argv[1], sys.argv[2], sys.argv[3]))
