"""Answering a question: triage first, then retrieval, abstention, verbatim quotes and the disclaimer.

The only text composed here is fixed template text from ``medquote.safety``; everything else is a
quote, re-checked against its source's stored text before it is shown.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from medquote import safety
from medquote.embed import Embedder, SentenceTransformerEmbedder
from medquote.highlight import bm25_idf, highlight_span
from medquote.index import Index, current_build, load_index
from medquote.lexical import synonyms_in, tokenize
from medquote.records import Answer, Quote, Source, Status, context_text
from medquote.retrieve import HybridRetriever, prepare_query

log = logging.getLogger(__name__)

# Cosine similarity (question vs. passage, all-MiniLM-L6-v2) below which nothing in the index is taken
# to answer the question. Calibrated on labelled answerable / unanswerable questions for the seed
# corpus and for MedQuAD: see benchmarks/README.md and tests/test_abstention.py.
DEFAULT_THRESHOLD = 0.55
# A further passage is quoted only if it is nearly as good as the best one.
RELATIVE_FLOOR = 0.85
# How many of the best passages must, between them, contain one of the question's own terms.
COVERAGE_DEPTH = 3


@dataclass(frozen=True, slots=True)
class _State:
    index: Index
    retriever: HybridRetriever
    idf: Callable[[str], float]

    @classmethod
    def of(cls, index: Index, embedder: Embedder) -> _State:
        return cls(index, HybridRetriever(index, embedder), bm25_idf(index.bm25))


class Assistant:
    """Answers questions from one index; build once, reuse for every question, safe across threads.

    When the index folder's live build changes (``medquote build`` while the app runs) the next
    question starts a background load; questions keep being answered from the old build until the new
    one is fully loaded, then switch over.
    """

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        *,
        k: int = 3,
        threshold: float = DEFAULT_THRESHOLD,
        resources: safety.EmergencyResources = safety.DEFAULT_RESOURCES,
        index_dir: Path | None = None,
    ) -> None:
        self.embedder = embedder
        self.k = k
        self.threshold = threshold
        self.resources = resources
        self.index_dir = index_dir
        self._state = _State.of(index, embedder)
        self._reload_lock = threading.Lock()
        self._reloading: threading.Thread | None = None

    @classmethod
    def from_index(cls, index_dir: Path | str, *, model: Path | str | None = None, **options: object) -> Assistant:
        """Load the live build of ``index_dir`` with the model it was built with (or ``model``).

        A serving process runs each question on one thread (torch and FAISS); parallel questions use
        the other cores. One small query split across busy cores waits on them: p50 24 ms → 15 ms.
        """
        import faiss

        faiss.omp_set_num_threads(1)
        embedder = SentenceTransformerEmbedder(model, threads=1)
        index = load_index(index_dir, model_name=embedder.name)
        return cls(index, embedder, index_dir=Path(index_dir), **options)  # type: ignore[arg-type]

    # -- what the app shows besides answers ---------------------------------------------------------
    @property
    def index(self) -> Index:
        return self._state.index

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(self._state.index.sources.values())

    @property
    def index_version(self) -> str:
        return self._state.index.version

    @property
    def built_at(self) -> str:
        return self._state.index.built_at

    @property
    def example_questions(self) -> tuple[str, ...]:
        return tuple(self._state.index.manifest.get("examples", ()))

    # -- answering -----------------------------------------------------------------------------------
    def answer(self, question: str) -> Answer:
        """Answer one question. Raises ``InputError`` for empty input."""
        self.reload_if_changed()
        text, notes = safety.clean_question(question)
        state = self._state
        emergency = safety.triage(text, self.resources)
        if emergency is not None:
            # Guidance only: nothing retrieved can come before or instead of it.
            return Answer(text, Status.EMERGENCY, (), safety.DISCLAIMER, emergency, None, notes, state.index.version)
        if safety.sensitive_topic(text):
            notes += (safety.sensitive_note(self.resources),)
        quotes = self._quotes(state, text)
        if not quotes:
            return Answer(
                text,
                Status.NO_MATCH,
                (),
                safety.DISCLAIMER,
                None,
                safety.NOT_FOUND_MESSAGE,
                notes,
                state.index.version,
            )
        if safety.is_personal_dosing_question(text):
            notes += (safety.DOSING_NOTE,)
        return Answer(text, Status.ANSWERED, quotes, safety.DISCLAIMER, None, None, notes, state.index.version)

    def _quotes(self, state: _State, question: str) -> tuple[Quote, ...]:
        rows, fused, cosine = state.retriever.score(question)
        if rows.size == 0 or float(cosine.max()) < self.threshold:
            return ()
        order = np.argsort(-fused, kind="stable")
        best = float(fused[order[0]])
        terms = set(prepare_query(question, state.index.topic).terms)
        if not covers(state.index, rows[order[:COVERAGE_DEPTH]], terms):
            return ()
        quotes: list[Quote] = []
        for i in order:
            if len(quotes) == self.k or fused[i] < best * RELATIVE_FLOOR or cosine[i] < self.threshold:
                break
            passage = state.index.passages[int(rows[i])]
            source = state.index.source_of(passage)
            if source.text[passage.start : passage.end] != passage.text:
                log.error("dropped passage %s: text no longer matches source %s", passage.id, source.id)
                continue
            start, end = highlight_span(passage.text, question, terms, state.idf)
            quotes.append(Quote(passage, source, float(fused[i]), start, end))
        return tuple(quotes)

    # -- hot reload ----------------------------------------------------------------------------------
    def reload_if_changed(self, *, wait: bool = False) -> bool:
        """Start loading the index folder's live build if it is not the one in use; True if started."""
        if self.index_dir is None:
            return False
        build = current_build(self.index_dir)
        if build is None or build == self._state.index.directory:
            return False
        with self._reload_lock:
            if self._reloading is None or not self._reloading.is_alive():
                self._reloading = threading.Thread(target=self._load, args=(build,), daemon=True)
                self._reloading.start()
            thread = self._reloading
        if wait:
            thread.join()
        return True

    def _load(self, build: Path) -> None:
        try:
            index = load_index(build, model_name=self.embedder.name)
        except Exception:  # noqa: BLE001 - a bad new build must not take down a working app
            log.exception("could not load the new index at %s; still answering from %s", build, self.index_version)
            return
        self._state = _State.of(index, self.embedder)
        log.info("now answering from index %s", index.version)


def covers(index: Index, rows: np.ndarray, terms: set[str]) -> bool:
    """Whether the passages at ``rows`` contain one of the question's terms beyond the corpus topic.

    A question about something the sources never mention ("which company makes Klonopin?") can still be
    close in meaning to passages about the topic alone; requiring one of its own words (or a synonym)
    in the passages that would be quoted is what tells the two apart. One, not all: people add words the
    sources need not share, and typos (requiring a third or a half lost more answerable questions than
    it saved unanswerable ones on the seed set). A question that is only about the
    topic ("what is Klonopin?") has no such words and is not held to this.
    """
    topic = index.topic
    specific = terms - set(tokenize(f"{topic} {' '.join(synonyms_in(topic))}"))
    if not specific:
        return True
    found: set[str] = set()
    for row in rows:
        passage = index.passages[int(row)]
        found |= specific.intersection(tokenize(context_text(passage, index.source_of(passage))))
    return bool(found)
