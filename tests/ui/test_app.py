"""The chat's HTML, its feedback store and its API endpoint, without a browser."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import threading
from dataclasses import replace

import gradio as gr
import pytest
from conftest import REPO_ROOT

from medquote.errors import IndexMismatchError
from medquote.records import Source, Status
from medquote.safety import templates
from medquote.safety.templates import EMPTY_QUESTION_MESSAGE
from medquote.ui.app import build_app
from medquote.ui.feedback import FeedbackStore, read_feedback
from medquote.ui.html import render_answer, render_notice, render_question, safe_url
from medquote.ui.provenance import citation, phone_numbers
from medquote.ui.sources import render_placeholder, render_scope, render_sources, scope_of
from medquote.ui.wording import (
    COPY_CITATION,
    FEEDBACK_REASON_SAVED,
    FEEDBACK_SAVED,
    LINK_MISSING,
    NOT_REVIEWED,
    PUBLISHED_MISSING,
    PUBLISHER_MISSING,
    REPHRASE_HINT,
    SEARCHED_AS_LABEL,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
ANSWER_KEYS = {
    "question",
    "status",
    "passages",
    "disclaimer",
    "emergency",
    "message",
    "notes",
    "index_version",
    "triage",
    "searched_as",
    "confidence",
}


APP_PY = REPO_ROOT / "app.py"


def _load_app_py():
    """The top-level app.py as a module (the repo root is not on pytest's import path)."""
    spec = importlib.util.spec_from_file_location("medquote_app_py", APP_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fn(demo: gr.Blocks, api_name: str):
    return next(f.fn for f in demo.fns.values() if f.api_name == api_name)


# --- render_answer -----------------------------------------------------------------------------------


def test_answered_shows_quote_highlight_source_and_disclaimer(fake_assistant):
    answer = fake_assistant.answer("What are the symptoms of asthma?")
    page = render_answer(answer)
    assert answer.status == Status.ANSWERED
    assert '<blockquote class="mq-quote">' in page
    assert "<mark>wheezing, coughing, chest tightness</mark>" in page
    assert (
        '<a class="mq-link" href="https://medlineplus.gov/asthma.html" target="_blank" '
        'rel="noopener noreferrer">Asthma</a>'
    ) in page
    assert "MedlinePlus" in page and "2024-05-01" in page
    assert '<p class="mq-note">Quotes are shortened to the most relevant passage.</p>' in page
    assert f'class="mq-disclaimer" role="note">{answer.disclaimer}</div>' in page


def test_emergency_banner_comes_before_the_first_quote(fake_assistant):
    answer = fake_assistant.answer("I want to harm myself")
    page = render_answer(answer)
    assert answer.status == Status.EMERGENCY and answer.quotes
    banner = page.index('class="mq-emergency" role="alert"')
    assert banner < page.index('<blockquote class="mq-quote">')
    shown = re.sub(r"<[^>]+>", "", page)  # the text a reader sees; phone numbers are links inside it
    for text in (answer.emergency.message, *answer.emergency.resources):
        assert shown.index("Get help now") < shown.index(text) < shown.index(answer.quotes[0].text)
    assert answer.disclaimer in page
    for number in ("112", "911", "988"):
        assert f'<a class="mq-tel" href="tel:{number}">{number}</a>' in page


def test_a_check_is_a_banner_above_the_quotes_distinct_from_an_emergency(fake_assistant):
    answer = fake_assistant.answer("Can an asthma inhaler cause an overdose?")
    page = render_answer(answer)
    assert answer.status == Status.ANSWERED and answer.triage.level == "check"
    assert 'class="mq-emergency"' not in page and 'class="mq-check" role="note"' in page
    assert page.index("mq-check") < page.index('<blockquote class="mq-quote">')
    assert '<a class="mq-tel" href="tel:18002221222">1-800-222-1222</a>' in page
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert all(resource in shown for resource in answer.triage.guidance.resources)  # fixed text unchanged


def test_a_follow_up_says_how_it_was_searched_above_the_quotes(fake_assistant):
    answer = fake_assistant.answer("and at night?", previous="Asthma")
    page = render_answer(answer)
    label = page.index(f'<p class="mq-searched-as">{SEARCHED_AS_LABEL} \u201cAsthma: and at night?\u201d</p>')
    assert label < page.index('<blockquote class="mq-quote">')


def test_notes_come_before_the_quotes_they_refer_to(fake_assistant):
    page = render_answer(fake_assistant.answer("What are the symptoms of asthma?"))
    assert page.index('class="mq-note"') < page.index('<blockquote class="mq-quote">')


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Emergency services: 911 (US) or your local emergency number", ["911"]),
        ("988 Suicide & Crisis Lifeline: call or text 988 (US)", ["988", "988"]),
        ("Poison Control: 1-800-222-1222 (US)", ["18002221222"]),
        ("Samaritans: 116 123 (UK), +44 20 7946 0000", ["116123", "+442079460000"]),
        ("Your question was shortened to its first 2,000 characters.", []),
        ("Take 1 tablet", []),
    ],
)
def test_phone_numbers_in_guidance_become_tel_links(text, numbers):
    assert [tel for _, _, tel in phone_numbers(text)] == numbers


def test_source_card_says_what_the_manifest_records_and_what_it_does_not(fake_assistant):
    reviewed = render_answer(fake_assistant.answer("What are the symptoms of asthma?"))
    for label in (
        "MedlinePlus",
        "published 2024-05-01",
        "added 2026-11-21",
        "reviewed by Dr. A. Example, GP on 2026-11-30",
    ):
        assert label in reviewed
    unknown = render_answer(fake_assistant.answer("I want to harm myself"))  # a source with nothing recorded
    for label in (PUBLISHER_MISSING, LINK_MISSING, PUBLISHED_MISSING, "added 2026-11-21", NOT_REVIEWED):
        assert label in unknown
    assert "Supplied with no publisher, link or date; not clinically reviewed." in unknown  # the vetting note


def test_each_quote_links_to_its_place_in_the_whole_source(fake_assistant):
    answer = fake_assistant.answer("What are the symptoms of asthma?")
    page = render_answer(answer)
    passage = answer.quotes[0].passage
    assert f'href="source?id=medline-asthma&amp;start={passage.start}&amp;end={passage.end}#mq-quote"' in page
    assert COPY_CITATION in page


def test_citation_is_plain_text_with_title_publisher_link_and_dates(fake_assistant):
    known = citation(fake_assistant.answer("asthma").quotes[0])
    assert known.startswith("\u201cCommon symptoms of asthma include")
    assert "Source: Asthma. Publisher: MedlinePlus. Link: https://medlineplus.gov/asthma.html." in known
    assert "published 2024-05-01; added 2026-11-21" in known
    unknown = citation(fake_assistant.answer("harm").quotes[0])
    assert "Publisher: not recorded. Link: none." in unknown and "javascript" not in unknown


def test_no_match_shows_not_found_with_a_rephrase_hint_and_disclaimer(fake_assistant):
    answer = fake_assistant.answer("Tell me about bananas")
    page = render_answer(answer)
    assert answer.status == Status.NO_MATCH
    assert 'class="mq-notfound"' in page and answer.message in page
    assert "rephras" in page.lower() and f'<p class="mq-hint">{REPHRASE_HINT}</p>' in page
    assert "<blockquote" not in page
    assert answer.disclaimer in page


@pytest.mark.parametrize("question", ["What are the symptoms of asthma?", "harm", "bananas", "script"])
def test_every_reply_ends_with_the_disclaimer(fake_assistant, question):
    answer = fake_assistant.answer(question)
    page = render_answer(answer)
    assert page.rindex("mq-disclaimer") > max(page.rfind("mq-quote"), page.rfind("mq-notfound"))


def test_html_in_a_source_is_escaped_everywhere(fake_assistant):
    answer = fake_assistant.answer("script")
    page = render_answer(answer)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "<mark>&lt;script&gt;window.__xss=1&lt;/script&gt;</mark>" in page
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in page
    # The & and < of the URL are escaped inside the attribute.
    assert 'href="https://example.org/page?a=1&amp;b=&lt;2&gt;"' in page


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_html_in_a_passage_or_title_is_escaped(fake_assistant, payload):
    base = fake_assistant.answer("What are the symptoms of asthma?")
    quote = base.quotes[0]
    hostile_source = replace(quote.source, title=payload, publisher=payload)
    hostile_passage = replace(quote.passage, text=payload + quote.passage.text, section=payload)
    hostile = replace(
        quote,
        source=hostile_source,
        passage=hostile_passage,
        highlight_start=0,
        highlight_end=len(payload),
    )
    page = render_answer(replace(base, quotes=(hostile,), question=payload))
    assert "<script" not in page and "<img" not in page
    assert f"<mark>{payload.replace('<', '&lt;').replace('>', '&gt;')}</mark>" in page


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_a_question_is_shown_literally(payload):
    shown = render_question(payload)
    assert "<script" not in shown and "<img" not in shown
    assert payload.replace("<", "&lt;").replace(">", "&gt;") in shown
    assert "<img" not in render_notice(payload)


def test_a_javascript_url_is_not_a_link(fake_assistant):
    answer = fake_assistant.answer("harm")  # quotes the source whose url is javascript:alert(1)
    page = render_answer(answer)
    assert "javascript:" not in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("tel:", "source?")) for h in hrefs)  # phone numbers and the viewer only
    assert PUBLISHER_MISSING in page


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://medlineplus.gov/a.html", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/x", False),
        ("/relative/path", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) is ok


def test_highlight_out_of_range_is_clamped(fake_assistant):
    answer = fake_assistant.answer("asthma")
    quote = replace(answer.quotes[0], highlight_start=5, highlight_end=10_000)
    page = render_answer(replace(answer, quotes=(quote,)))
    assert page.count("<mark>") == 1 and "</mark></blockquote>" in page


# --- render_sources ----------------------------------------------------------------------------------


def test_sources_panel_lists_each_source_with_provenance(fake_assistant):
    panel = render_sources(fake_assistant.sources, fake_assistant.built_at, fake_assistant.index_version)
    assert "3 documents from 3 source entries" in panel
    assert fake_assistant.index_version in panel and fake_assistant.built_at in panel
    assert 'href="https://medlineplus.gov/asthma.html"' in panel
    assert "Public domain" in panel and "CC BY 4.0" in panel
    assert "<img" not in panel and "<b>" not in panel and 'href="javascript' not in panel


def test_sources_panel_groups_thousands_of_sources_by_entry():
    sources = [
        Source(
            id=f"medquad-{i}",
            entry_id=f"medquad-{i % 3}",
            key=str(i),
            title=f"Question {i}",
            text="text",
            publisher="NIH",
            url=f"https://example.org/{i}",
            license="CC BY 4.0",
            date=f"2017-0{1 + i % 9}-01",
        )
        for i in range(16_000)
    ]
    panel = render_sources(sources, "2026-11-21T05:30:00Z", "v1")
    assert "16,000 documents from 3 source entries" in panel
    assert panel.count("<tr>") == 1 + 3  # header + one row per entry
    assert '<td class="mq-count">5,334</td>' in panel
    assert "Question 15999" not in panel
    assert "2017-01-01 \u2013 2017-07-01" in panel  # entry 0 holds months 1, 4 and 7


def test_scope_panel_says_what_the_index_holds(fake_assistant):
    scope = scope_of(fake_assistant.sources, 3, "asthma", fake_assistant.example_questions, 6)
    panel = render_scope(scope)
    assert "What the answers can quote: 3 passages from 3 sources" in panel
    assert "asthma" in panel and "Getting help in a crisis" in panel and "MedlinePlus" in panel
    assert f"{PUBLISHER_MISSING} for 1 source" in panel
    assert "1 of 3 sources clinically reviewed" in panel
    assert "<img" not in panel and "<b>" not in panel
    assert "Ask a question about asthma." in render_placeholder(scope)
    assert scope.examples == fake_assistant.example_questions


def test_scope_without_topic_or_examples_uses_titles_and_the_questions_documents_answer():
    sources = [
        Source(id=f"m/{i}", entry_id="m", key=str(i), title=title, text="t", section=section)
        for i, (title, section) in enumerate(
            [("Glaucoma", "What is (are) Glaucoma ?"), ("Asthma", "What causes Asthma?"), ("Gout", None)]
        )
    ]
    scope = scope_of(sources, 40, "", (), 6)
    assert scope.examples == ("What is (are) Glaucoma ?", "What causes Asthma?")
    assert "Ask a question about Glaucoma; Asthma; Gout." in render_placeholder(scope)
    panel = render_scope(scope)
    assert "40 passages from 3 sources" in panel and f"{PUBLISHER_MISSING} for any source" in panel
    assert f"{NOT_REVIEWED} (all sources)" in panel


# --- feedback ----------------------------------------------------------------------------------------


def test_feedback_round_trip(tmp_path):
    path = tmp_path / "nested" / "feedback.jsonl"
    store = FeedbackStore(path)
    store.record(question="Q <1>", rating="up", passage_ids=["a#1"], index_version="v1", status="answered")
    store.record(question="Q2", rating="down", passage_ids=[], index_version="v1", status="no_match")
    records = read_feedback(path)
    assert [r["rating"] for r in records] == ["up", "down"]
    first = records[0]
    assert set(first) == {
        "time", "reply_id", "question", "searched_as", "rating", "passage_ids", "index_version", "status", "reason"
    }  # fmt: skip
    assert first["question"] == "Q <1>" and first["passage_ids"] == ["a#1"] and first["status"] == "answered"
    assert read_feedback(tmp_path / "absent.jsonl") == []


def test_feedback_rejects_other_ratings(tmp_path):
    with pytest.raises(ValueError):
        FeedbackStore(tmp_path / "f.jsonl").record(
            question="q", rating="meh", passage_ids=[], index_version="v", status="answered"
        )


def test_feedback_is_safe_across_threads(tmp_path):
    store = FeedbackStore(tmp_path / "f.jsonl")

    def write(n: int) -> None:
        for i in range(50):
            store.record(question=f"{n}-{i}", rating="up", passage_ids=["p"], index_version="v", status="answered")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400 and all(json.loads(line)["rating"] == "up" for line in lines)


def test_default_feedback_path_is_under_the_current_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert FeedbackStore().path == tmp_path / "data" / "feedback.jsonl"


# --- the app -----------------------------------------------------------------------------------------


def test_build_app_returns_blocks_without_launching(fake_assistant, tmp_path):
    demo = build_app(fake_assistant, feedback_path=tmp_path / "f.jsonl")
    assert isinstance(demo, gr.Blocks)
    assert not (tmp_path / "f.jsonl").exists()
    public = [f.api_name for f in demo.fns.values() if f.api_visibility == "public"]
    assert public == ["ask", "ask_after"]


def test_api_endpoint_returns_the_ask_json(fake_assistant):
    ask = _fn(build_app(fake_assistant), "ask")
    result = ask("What are the symptoms of asthma?")
    assert set(result) == ANSWER_KEYS
    assert result == fake_assistant.answer("What are the symptoms of asthma?").to_dict()
    json.dumps(result)  # plain JSON
    passage = result["passages"][0]
    assert passage["highlight"] in passage["text"]


def test_api_endpoint_reports_empty_input_as_an_error(fake_assistant):
    ask = _fn(build_app(fake_assistant), "ask")
    with pytest.raises(gr.Error, match=re.escape(EMPTY_QUESTION_MESSAGE)):
        ask("   ")


def _ask(demo, question, history=(), replies=None):
    """The chat's two steps for a typed question: (history after start, after finish, replies, box updates)."""
    start, finish = _fn(demo, "start"), _fn(demo, "finish")
    shown, _, job, box, *controls = start(question, list(history))
    assert box["interactive"] is False and all(c["interactive"] is False for c in controls)
    done, _, replies, cleared, box2, *controls2 = finish(job, shown, replies or {})
    assert cleared is None and box2["interactive"] is True and all(c["interactive"] is True for c in controls2)
    return shown, done, replies, (box, box2)


def test_a_question_shows_at_once_then_its_reply_replaces_the_searching_line(fake_assistant):
    demo = build_app(fake_assistant)
    shown, done, replies, (box, _) = _ask(demo, "What are the symptoms of asthma?")
    assert [m["role"] for m in shown] == ["user", "assistant"] and box["value"] == ""
    assert "What are the symptoms of asthma?" in shown[0]["content"] and 'class="mq-pending"' in shown[1]["content"]
    assert [m["role"] for m in done] == ["user", "assistant"] and "mq-pending" not in done[1]["content"]
    [(reply_id, meta)] = replies.items()
    assert f'id="mq-reply-{reply_id}"' in done[1]["content"]
    assert meta["passage_ids"] == ["medline-asthma#55"] and meta["reply_id"] == reply_id


def test_chat_keeps_history_and_shows_input_errors(fake_assistant):
    demo = build_app(fake_assistant)
    _, history, replies, _ = _ask(demo, "What are the symptoms of asthma?")
    shown, history2, replies2, (box, _) = _ask(demo, "  ", history, replies)
    assert history2[:2] == history and len(history2) == 3
    assert html.escape(EMPTY_QUESTION_MESSAGE) in history2[2]["content"]
    assert "value" not in box  # the textbox is left as typed
    assert replies2 == replies


def test_a_tampered_index_is_refused_in_the_chat_and_the_api_with_the_disclaimer(fake_assistant, monkeypatch):
    def tampered(question, previous=None):
        raise IndexMismatchError("index/builds/x/passages.jsonl: damaged or changed since it was built")

    monkeypatch.setattr(fake_assistant, "answer", tampered)
    demo = build_app(fake_assistant)
    _, done, replies, _ = _ask(demo, "What are the symptoms of asthma?")
    assert html.escape(templates.INTEGRITY_MESSAGE) in done[1]["content"]
    assert "mq-quote" not in done[1]["content"] and replies == {}
    with pytest.raises(gr.Error, match="integrity check"):
        _fn(demo, "ask")("What are the symptoms of asthma?")


def test_question_is_escaped_in_the_chat(fake_assistant):
    shown, _, _, _ = _ask(build_app(fake_assistant), IMG)
    assert "<img" not in shown[0]["content"] and "&lt;img" in shown[0]["content"]


def test_thumbs_are_stored_with_the_reply_they_were_given_on(fake_assistant, tmp_path):
    path = tmp_path / "f.jsonl"
    demo = build_app(fake_assistant, feedback_path=path)
    on_like, on_reason = _fn(demo, "on_like"), _fn(demo, "on_reason")
    _, history, replies, _ = _ask(demo, "What are the symptoms of asthma?")
    _, history, replies, _ = _ask(demo, "Who won the match?", history, replies)
    first_id = next(k for k, v in replies.items() if v["status"] == "answered")
    # The position of a reply says nothing: the thumbs are bound to the reply's own id.
    box, note, _, target = on_like(
        replies, gr.LikeData(None, {"index": 3, "value": history[1]["content"], "liked": False})
    )
    assert box["visible"] is True and html.escape(FEEDBACK_SAVED) in note
    on_like(replies, gr.LikeData(None, {"index": 0, "value": "not an answer", "liked": True}))
    note, cleared = on_reason(target, "  The quote is about adults, I asked about children. ", replies)
    assert html.escape(FEEDBACK_REASON_SAVED) in note and cleared == ""
    rating, reason = read_feedback(path)
    assert rating["rating"] == "down" and rating["reply_id"] == first_id and rating["reason"] == ""
    assert rating["question"] == "What are the symptoms of asthma?"
    assert rating["passage_ids"] == ["medline-asthma#55"]
    assert rating["index_version"] == fake_assistant.index_version and rating["status"] == "answered"
    assert reason["reply_id"] == first_id and reason["rating"] == "down"
    assert reason["reason"] == "The quote is about adults, I asked about children."


def test_app_py_exposes_build_app_and_launches_only_as_a_script():
    app = _load_app_py()  # importing it must not start a server
    assert app.build_app is build_app
    assert '\nif __name__ == "__main__":\n    raise SystemExit(main())' in APP_PY.read_text()


def test_main_reports_a_missing_index_in_one_line(tmp_path, capsys):
    code = _load_app_py().main(["--index", str(tmp_path / "no-index")])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("medquote: ") and "Traceback" not in err


# --- the terminal ------------------------------------------------------------------------------------


def test_terminal_text_keeps_the_reading_order_and_labels_provenance(fake_assistant):
    from medquote.ui.text import render_text

    check = render_text(fake_assistant.answer("Can an asthma inhaler cause an overdose?"))
    assert check.index("If you or someone else may be in danger") < check.index("[1] Asthma")
    assert "Poison Control: 1-800-222-1222 (US)" in check
    card = "[1] Asthma · MedlinePlus · https://medlineplus.gov/asthma.html · published 2024-05-01 · added 2026-11-21"
    assert card in check and "reviewed by Dr. A. Example, GP on 2026-11-30" in check
    unknown = render_text(fake_assistant.answer("I want to harm myself"))
    assert f"{PUBLISHER_MISSING} · {LINK_MISSING} · {PUBLISHED_MISSING} · added 2026-11-21 · {NOT_REVIEWED}" in unknown
    follow_up = render_text(fake_assistant.answer("and at night?", previous="Asthma"))
    assert follow_up.index(f"{SEARCHED_AS_LABEL} Asthma: and at night?") < follow_up.index("[1] Asthma")
    notes = render_text(fake_assistant.answer("What are the symptoms of asthma?"))
    assert notes.index("Note: Quotes are shortened") < notes.index("[1] Asthma")
