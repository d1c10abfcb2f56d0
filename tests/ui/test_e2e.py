"""End to end, as a person uses it: `python app.py` on a real index built with the real model, in Chromium.

The corpus is the default one plus a source whose text carries script and image-onerror payloads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from browser_utils import ask, chat_page
from conftest import REPO_ROOT
from ports import free_port

from medquote.index.build import build_index
from medquote.ingest.register import add_source
from medquote.safety.templates import NOT_FOUND_MESSAGE

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAYLOAD_SOURCE = (
    "Klonopin tablets and storage\n\n"
    "Klonopin tablets should be stored at room temperature, away from light and moisture. "
    "<script>window.__xss = 1</script> Keep Klonopin tablets out of reach of children. "
    '<img src=x onerror="window.__xss=2">'
)


@pytest.fixture(scope="module")
def e2e_root(tmp_path_factory):
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="module")
def app_url(e2e_root, real_embedder):
    root = e2e_root
    corpus = root / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    payload = root / "storage.txt"
    payload.write_text(PAYLOAD_SOURCE, encoding="utf-8")
    add_source(corpus, payload, title="Storing <b>Klonopin</b>", url="https://example.org/storage", vetted=True)
    build_index(corpus, root / "index", real_embedder)
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "app.py", "--index", str(root / "index"), "--port", str(port)]
    command += ["--feedback", str(root / "feedback.jsonl")]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"app.py exited: {process.stdout.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("app.py did not start within 120 s")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def page(app_url, browser):
    with chat_page(browser, app_url) as tab:
        yield tab


def test_example_question_gets_a_verbatim_quote_with_its_source_and_the_disclaimer(page):
    page.get_by_role("button", name="What is the half-life of clonazepam?").click()
    page.locator("#mq-chat .mq-answer").first.wait_for(timeout=60_000)
    reply = page.locator("#mq-chat .mq-answer").last
    quote = reply.locator("blockquote.mq-quote").first
    assert "35 hours" in quote.inner_text()
    assert "35 hours" in quote.locator("mark").inner_text()
    corpus_text = " ".join((REPO_ROOT / "corpus" / "000_bd4c192c6f266751.txt").read_text(encoding="utf-8").split())
    assert " ".join(quote.inner_text().split()) in corpus_text
    assert "Klonopin Withdrawal" in reply.locator(".mq-source").first.inner_text()
    assert "not medical advice" in reply.locator(".mq-disclaimer").inner_text()


def test_source_links_open_in_a_new_tab(page):
    ask(page, "How should Klonopin tablets be stored?")
    link = page.locator("#mq-chat .mq-answer").last.locator(".mq-source a").first
    assert link.get_attribute("href") == "https://example.org/storage"
    assert link.get_attribute("target") == "_blank"


def test_emergency_banner_comes_first(page):
    ask(page, "my brother took a whole bottle of klonopin and wont wake up")
    reply = page.locator("#mq-chat .mq-answer").last
    banner = reply.locator(".mq-emergency")
    assert banner.is_visible() and "911" in banner.inner_text()
    assert reply.locator(":scope *").first.evaluate("e => !!e.closest('.mq-emergency')")


def test_off_topic_question_is_not_found(page):
    ask(page, "what's a good recipe for banana bread?")
    assert NOT_FOUND_MESSAGE.split(",")[0] in page.locator("#mq-chat .mq-notfound").last.inner_text()


def test_script_in_a_source_and_in_a_question_stays_text(page):
    ask(page, '<img src=x onerror="window.__xss=3"> where should klonopin tablets be stored')
    reply = page.locator("#mq-chat .mq-answer").last
    reply.locator("blockquote.mq-quote").first.wait_for()
    text = page.locator("#mq-chat").inner_text()
    assert "<script>window.__xss = 1</script>" in text
    assert "Storing <b>Klonopin</b>" in text
    assert page.evaluate("window.__xss") is None


def test_scope_panel_counts_what_the_real_index_holds(page, e2e_root):
    import json

    from medquote.index.manifest import current_build

    scope = page.locator(".mq-scope").inner_text()
    build = current_build(e2e_root / "index")
    counts = json.loads((build / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert f"{counts['passages']} passages from {counts['sources']} sources" in scope
    assert "Klonopin Withdrawal" in scope and "not clinically reviewed" in scope


def test_a_real_quote_opens_in_the_stored_source_it_is_a_slice_of(page, e2e_root):
    from medquote.engines.registry import load_index

    ask(page, "What is the half-life of clonazepam?")
    quote = page.locator("#mq-chat .mq-answer").last.locator("blockquote.mq-quote").first.inner_text()
    with page.context.expect_page() as opened:
        page.locator("#mq-chat .mq-answer").last.locator("a.mq-view").first.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    source = load_index(e2e_root / "index").sources["klonopin-withdrawal"]
    assert viewer.locator(".mq-viewer-text").text_content() == source.text
    assert viewer.locator("mark#mq-quote").inner_text() == quote and quote in source.text
    assert "publisher not recorded" in viewer.locator(".mq-viewer-facts").inner_text().lower()
    viewer.close()


def test_a_three_turn_conversation_searches_each_follow_up_as_the_question_it_stands_for(page):
    from medquote.ui.wording import SEARCHED_AS_LABEL

    ask(page, "What are the common side effects of Klonopin?")
    assert page.locator("#mq-chat .mq-answer").last.locator(".mq-searched-as").count() == 0  # asked in full
    ask(page, "are they permanent?")
    label = page.locator("#mq-chat .mq-answer").last.locator(".mq-searched-as").inner_text()
    # Searched as the rewrite, or as typed after the question before it, whichever the reader finds an
    # answer for more surely; the label says which.
    assert label.startswith(SEARCHED_AS_LABEL)
    assert "side effects of Klonopin permanent?" in label or "side effects of Klonopin? are they permanent?" in label
    ask(page, "and with alcohol?")
    reply = page.locator("#mq-chat .mq-answer").last
    label = reply.locator(".mq-searched-as").inner_text()
    # The new aspect is searched with the medicine's name only, not drowned by the first question's words.
    assert label.startswith(SEARCHED_AS_LABEL) and "Klonopin: and with alcohol?" in label
    assert "side effects" not in label
    # The subject carried over and the new aspect decided: the quotes are about Klonopin and alcohol.
    quotes = " ".join(reply.locator("blockquote.mq-quote").all_inner_texts())
    assert "alcohol" in quotes.lower()
