"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TESTS = REPO_ROOT / "tests"
DATA = TESTS / "data"
# The real MedQuAD lives outside the repo (it is never copied in); tests only read it.
MEDQUAD_DIR = REPO_ROOT.parent / "shared" / "data" / "medquad"


def require_data(path: Path, what: str) -> Path:
    """``path`` if it exists; otherwise skip, or fail on CI where a missing data set is a broken setup."""
    if path.exists():
        return path
    message = f"{what} not found at {path}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required when CI=true)")
    pytest.skip(message)


@pytest.fixture
def medquad_dir() -> Path:
    """The real MedQuAD folder tree (12 subset folders of XML)."""
    return require_data(MEDQUAD_DIR, "MedQuAD")


SEEDS_CORPUS = REPO_ROOT / "corpus"


@pytest.fixture
def fake_embedder():
    from fakes import FakeEmbedder

    return FakeEmbedder()


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """A copy of the default corpus (the two seed articles and their manifest) to change freely."""
    return copy_seed_corpus(tmp_path / "corpus")


def copy_seed_corpus(target: Path) -> Path:
    """The default corpus copied to ``target``, without its quality gate (its dev set lies outside the copy,
    and the copies are built many times); tests/eval/test_gate.py adds a gate of its own."""
    import shutil

    shutil.copytree(SEEDS_CORPUS, target)
    manifest = target / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("[quality]")
    manifest.write_text(text[:start] + text[text.index("[[source]]", start) :], encoding="utf-8")
    return target


# --- fake_assistant: a stand-in for medquote.answer.Assistant, for the app and browser tests ---------

FAKE_INDEX_VERSION = "20261121T053000Z-fake01"


def _fake_sources():
    from medquote.records import Source

    def source(id_: str, title: str, text: str, **provenance: str | None) -> Source:
        return Source(id=id_, entry_id=id_.split("-")[0], key=id_, title=title, text=text, **provenance)

    return (
        source(
            "medline-asthma",
            "Asthma",
            "Asthma is a chronic disease that affects your airways. "
            "Common symptoms of asthma include wheezing, coughing, chest tightness and shortness of breath. "
            "Not everyone with asthma has the same symptoms.",
            publisher="MedlinePlus",
            url="https://medlineplus.gov/asthma.html",
            license="Public domain",
            date="2026-11-21",
            published_on="2024-05-01",
            vetting="vetted",
            reviewed_by="Dr. A. Example, GP",
            reviewed_on="2026-11-30",
        ),
        source(
            "crisis-help",
            "Getting help in a crisis",
            "If you are thinking about harming yourself, reach out now. "
            "Talking to someone you trust or a crisis line can help you stay safe.",
            url="javascript:alert(1)",
            date="2026-11-21",
            vetting="vetted",
            vetting_note="Supplied with no publisher, link or date; not clinically reviewed.",
        ),
        source(
            "hostile-page",
            'Title <img src=x onerror="window.__xss=1">',
            'Intro. <script>window.__xss=1</script> and <img src=x onerror="window.__xss=1"> are shown as text. Outro.',
            publisher="<b>Evil</b> Publisher",
            url="https://example.org/page?a=1&b=<2>",
            license="CC BY 4.0",
            date="2023-01-01",
            vetting="vetted",
            vetting_note='Note <script>window.__xss=1</script> <img src=x onerror="window.__xss=1">',
        ),
    )


class FakeAssistant:
    """Keyword rules: asthma → answered; harm → emergency with a quote; overdose → a triage "check" above
    an asthma quote; a follow-up starting "and " → asthma, searched as "Asthma: …"; script/onerror →
    the hostile source; "wait" → holds the answer until ``release`` is set; anything else → no_match.
    Answers are real records with the real template texts, and every passage is a slice of its source.
    (The real Assistant gives emergencies no quotes; this one adds one to check the banner comes first.)"""

    example_questions = ("What are the symptoms of asthma?", "Is asthma a chronic disease?")
    topic = "asthma"
    passage_count = 3

    def __init__(self) -> None:
        import threading

        self._sources = _fake_sources()
        self.questions: list[str] = []
        self.previous: list = []
        self.release = threading.Event()
        self.release.set()

    @property
    def sources(self):
        return self._sources

    @property
    def index_version(self) -> str:
        return FAKE_INDEX_VERSION

    @property
    def built_at(self) -> str:
        return "2026-11-21T05:30:00+00:00"

    @staticmethod
    def _quote(source, start: int, end: int, highlight: str):
        from medquote.records import Passage, Quote

        text = source.text[start:end]
        passage = Passage(id=f"{source.id}#{start}", source_id=source.id, text=text, start=start, end=end)
        h_start = text.index(highlight)
        return Quote(passage, source, 0.9, h_start, h_start + len(highlight))

    def answer(self, question: str, *, previous=None):
        from medquote.errors import InputError
        from medquote.records import Answer, Emergency, Status, Triage, TriageLevel
        from medquote.safety import templates

        if not question or not question.strip():
            raise InputError(templates.EMPTY_QUESTION_MESSAGE)
        self.questions.append(question)
        self.previous.append(previous)
        q = question.lower()
        if "wait" in q:
            self.release.wait(timeout=30)
        asthma, crisis, hostile = self._sources
        common = {"question": question, "disclaimer": templates.DISCLAIMER, "index_version": FAKE_INDEX_VERSION}
        if "harm" in q:
            emergency = Emergency(
                message="If you or someone else may be in danger, call your local emergency number now.",
                resources=("Emergency services: 112 / 911", "Crisis line: call or text 988 (US)"),
                category="self-harm",
            )
            quote = self._quote(crisis, 0, len(crisis.text), "reach out now.")
            return Answer(status=Status.EMERGENCY, quotes=(quote,), emergency=emergency, **common)
        if "script" in q or "onerror" in q:
            quote = self._quote(hostile, 0, len(hostile.text), "<script>window.__xss=1</script>")
            return Answer(status=Status.ANSWERED, quotes=(quote,), **common)
        if "overdose" in q:
            guidance = Emergency(templates.CHECK_MESSAGE, templates.EMERGENCY_RESOURCES, "overdose")
            start = asthma.text.index("Common")
            quote = self._quote(asthma, start, len(asthma.text), "wheezing, coughing, chest tightness")
            triage = Triage(TriageLevel.CHECK, "overdose", guidance)
            return Answer(status=Status.ANSWERED, quotes=(quote,), triage=triage, **common)
        last = previous if isinstance(previous, str) else (list(previous or ()) or [None])[-1]
        if q.startswith("and ") and last:
            start = asthma.text.index("Common")
            quote = self._quote(asthma, start, len(asthma.text), "wheezing, coughing, chest tightness")
            searched_as = f"{last.rstrip('?')}: {question}"
            return Answer(status=Status.ANSWERED, quotes=(quote,), searched_as=searched_as, **common)
        if "asthma" in q:
            start = asthma.text.index("Common")
            quote = self._quote(asthma, start, len(asthma.text), "wheezing, coughing, chest tightness")
            notes = ("Quotes are shortened to the most relevant passage.",)
            return Answer(status=Status.ANSWERED, quotes=(quote,), notes=notes, **common)
        return Answer(status=Status.NO_MATCH, quotes=(), message=templates.NOT_FOUND_MESSAGE, **common)


@pytest.fixture
def fake_assistant() -> FakeAssistant:
    """An Assistant stand-in returning real Answer records (see FakeAssistant)."""
    return FakeAssistant()


@pytest.fixture(scope="session")
def real_embedder(tmp_path_factory):
    """The packaged all-MiniLM-L6-v2 on the default backend (what `medquote build` uses), loaded once per session."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from medquote.embed.registry import make_embedder
    from medquote.settings import DEFAULT_BACKEND

    return make_embedder(DEFAULT_BACKEND, cache_dir=tmp_path_factory.mktemp("model-cache"))


@pytest.fixture(scope="session")
def torch_embedder():
    """The packaged all-MiniLM-L6-v2 run by sentence-transformers on torch (the reference vectors)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from medquote.embed.sbert import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def real_seed_index(tmp_path_factory, real_embedder) -> Path:
    """The default corpus indexed with the real model (built once per session)."""

    from medquote.index.build import build_index

    root = tmp_path_factory.mktemp("real-seed")
    copy_seed_corpus(root / "corpus")
    build_index(root / "corpus", root / "index", real_embedder)
    return root / "index"


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from browser_utils import CHROMIUM, launch_browser

    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (required when CI=true)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_browser(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def medquad_sample(tmp_path_factory, real_embedder):
    """(dataset folder, evaluation cache) of the fixed MedQuAD sample in tests/data/medquad_baseline.json.

    The sample's index is built once per session in the cache and shared by the tests that need it.
    """
    import json

    from medquote.eval.medquad_to_beir import medquad_to_beir

    medquad = require_data(MEDQUAD_DIR, "MedQuAD")
    sample = json.loads((REPO_ROOT / "tests" / "data" / "medquad_baseline.json").read_text(encoding="utf-8"))["sample"]
    root = tmp_path_factory.mktemp("medquad-sample")
    medquad_to_beir(
        medquad,
        root / "dataset",
        sample=sample["questions"],
        seed=sample["seed"],
        sample_corpus=sample["sample_corpus"],
    )
    return root / "dataset", root / "cache"


@pytest.fixture(scope="session")
def milvus_uri(tmp_path_factory):
    """The URI of a `milvus-lite server` on a free loopback port, for the whole session (stopped after it).
    Fails, not skips, when CI=true and milvus-lite is missing."""
    from milvus_utils import milvus_lite

    server = milvus_lite(tmp_path_factory.mktemp("milvus") / "data").start()
    yield server.uri
    server.stop()
