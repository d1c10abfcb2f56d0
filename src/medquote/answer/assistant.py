"""Answering a question: triage first, then retrieval, abstention, verbatim quotes and the disclaimer.

The only text composed here is fixed template text from ``medquote.safety.templates``; everything else
is a quote, re-checked before it is shown: an exact slice of its source's stored text, whose sha256 is the
one recorded at build (``Index.check_quote``); a broken chain is an IndexMismatchError, never a quote.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from medquote.answer.abstain import Abstention, calibrated_for
from medquote.answer.conversation import Conversation
from medquote.answer.highlight import bm25_idf, highlight_span, read_highlights
from medquote.embed.base import query_backend
from medquote.engines.base import EMBEDDED, EngineSpec
from medquote.engines.registry import live_build, load_index
from medquote.errors import EngineUnavailableError, IndexMismatchError, IndexNotFoundError, MedquoteError
from medquote.index.manifest import built_backend, cache_dir
from medquote.index.store import Index
from medquote.records import Answer, Quote, Source, Status, TriageLevel
from medquote.retrieval.base import check_k
from medquote.retrieval.hybrid import HybridRetriever
from medquote.retrieval.query import prepare_query, synonyms_in
from medquote.retrieval.scoring import ScoringRetriever
from medquote.safety import templates
from medquote.safety.checks import clean_question, is_personal_dosing_question
from medquote.safety.resources import DEFAULT_RESOURCES, EmergencyResources
from medquote.safety.triage import Triager
from medquote.settings import DEFAULT_BACKEND, K
from medquote.text.tokens import tokenize

_SEVERITY = {TriageLevel.NONE: 0, TriageLevel.CHECK: 1, TriageLevel.EMERGENCY: 2}

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _State:
    """What answering reads, swapped as one piece when a rebuilt index is loaded."""

    retriever: ScoringRetriever
    idf: Callable[[str], float]

    @classmethod
    def of(cls, retriever: ScoringRetriever) -> _State:
        return cls(retriever, bm25_idf(retriever.index.bm25))

    @property
    def index(self) -> Index:
        return self.retriever.index


class Assistant:
    """Answers questions with ``retriever``'s index; build once, reuse for every question, safe across threads.

    When the index folder's live build changes (``medquote build`` while the app runs) the next
    question starts a background load; questions keep being answered from the old build until the new
    one is fully loaded, then switch over.
    """

    def __init__(
        self,
        retriever: ScoringRetriever,
        *,
        k: int = K,
        abstention: Abstention | None = None,
        resources: EmergencyResources = DEFAULT_RESOURCES,
        triager: Triager | None = None,
        index_dir: Path | None = None,
        engine: EngineSpec = EMBEDDED,
    ) -> None:
        self.k = check_k(k)  # a ValueError for k < 1, before anything is loaded
        self.engine = engine
        reader = retriever.reader
        self.abstention = abstention if abstention is not None else Abstention(reader=reader)
        self.resources = resources
        self.triager = triager if triager is not None else Triager(retriever.embedder, resources=resources)
        self.index_dir = index_dir
        self._state = _State.of(retriever)
        self._reload_lock = threading.Lock()
        self._reloading: threading.Thread | None = None
        if not calibrated_for(retriever.embedder.name):
            log.warning(
                "'not found' was calibrated for %s, not %s: its decisions may be off",
                self.abstention.model.model_name,
                retriever.embedder.name,
            )

    @classmethod
    def from_index(
        cls, index_dir: Path | str, *, model: Path | str | None = None, backend: str | None = None, **options: object
    ) -> Assistant:
        """Load the live build of ``index_dir`` with the model it was built with (or ``model``), embedding
        questions on the backend it was built with (or ``backend``).

        A serving process runs each question on one thread (embedding and FAISS); parallel questions use
        the other cores. One small query split across busy cores waits on them: p50 24 ms → 15 ms.
        """
        check_k(options.get("k", K))  # type: ignore[arg-type]  # refused before the model and index load
        import faiss

        from medquote.embed.registry import make_embedder

        faiss.omp_set_num_threads(1)
        # NumPy's BLAS too: the features' small products split across busy cores wait on them.
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        index_dir = Path(index_dir)
        backend = backend or query_backend(built_backend(index_dir) or DEFAULT_BACKEND)
        embedder = make_embedder(backend, model, cache_dir=cache_dir(index_dir), threads=1)
        engine = options.pop("engine", EMBEDDED)
        index = load_index(index_dir, model_name=embedder.name, engine=engine)  # type: ignore[arg-type]
        from medquote.models.reader import Reader

        # The reader runs on two threads: it is most of a question's time, and a question waits on it alone.
        reader = Reader(threads=2) if options.pop("reader", True) else None
        retriever = HybridRetriever(index, embedder, reader=reader)
        return cls(retriever, index_dir=index_dir, engine=engine, **options)  # type: ignore[arg-type]

    # -- what the app shows besides answers ---------------------------------------------------------
    @property
    def retriever(self) -> ScoringRetriever:
        return self._state.retriever

    @property
    def embedder(self):
        return self._state.retriever.embedder

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

    @property
    def topic(self) -> str:
        return self._state.index.topic

    @property
    def names(self) -> tuple[str, ...]:
        """What the corpus is about, by every name: its topic's words and their synonyms."""
        topic = self._state.index.topic.lower()
        return tuple(dict.fromkeys([*topic.split(), *synonyms_in(topic)]))

    @property
    def passage_count(self) -> int:
        return len(self._state.index.passages)

    def warm(self) -> None:
        """Load the model and answer one question, so the first real question is as fast as any other."""
        self.answer(next(iter(self.example_questions), "What is it used for?"))

    # -- answering -----------------------------------------------------------------------------------
    def answer(self, question: str, *, previous: str | Sequence[str] | None = None) -> Answer:
        """Answer one question. ``previous``: the questions asked before it in the same chat, oldest first
        (or the one just before it): a follow-up without a subject of its own is searched as the question
        it stands for (``Answer.searched_as``). Raises ``InputError`` for empty input."""
        self.reload_if_changed()
        text, notes = clean_question(question)
        state = self._state
        version = state.index.version
        earlier = [previous] if isinstance(previous, str) else list(previous or ())
        earlier = [clean_question(q)[0] for q in earlier if q and q.strip()]
        conversation = Conversation.of(earlier, self.names, self.topic)
        searched_as = conversation.rewrite(text, self.names, self.topic)
        # One batch: the question as retrieval embeds it (synonyms added) and as triage reads it, as typed
        # and, for a follow-up, with its context.
        query_text = state.retriever.query_text(searched_as or text)
        # A follow-up is also read as typed after the question before it: the reader judges both forms
        # and the one it finds an answer for more surely is used (dev figures: README, Conversations).
        # A rewrite exists only after a previous turn.
        after_previous = f"{conversation.last.searched} {text}" if searched_as else None  # type: ignore[union-attr]
        context_query = state.retriever.query_text(after_previous) if after_previous else None
        texts = list(dict.fromkeys([query_text, text, *([searched_as] if searched_as else []),
                                    *([context_query] if context_query else [])]))  # fmt: skip
        vectors = dict(zip(texts, state.retriever.embedder.encode(texts), strict=True))
        found = self.triager.assess(text, vectors[text])
        if searched_as and found.level != TriageLevel.EMERGENCY:
            in_context = self.triager.assess(searched_as, vectors[searched_as])
            found = in_context if _SEVERITY[in_context.level] > _SEVERITY[found.level] else found
        if found.level == TriageLevel.EMERGENCY:
            # Guidance only: nothing retrieved can come before or instead of it.
            return Answer(question=text, status=Status.EMERGENCY, quotes=(), disclaimer=templates.DISCLAIMER,
                          emergency=found.guidance, notes=notes, index_version=version, triage=found)  # fmt: skip
        searched = searched_as or text
        search_vector = vectors[query_text]
        try:
            quotes, confidence = self._quotes(state, searched, search_vector)
            if after_previous:
                other, other_confidence = self._quotes(state, after_previous, vectors[context_query])  # type: ignore[index]
                if (bool(other), other_confidence) > (bool(quotes), confidence):
                    quotes, confidence, searched_as = other, other_confidence, after_previous
        except EngineUnavailableError:
            # No candidates, so nothing to quote: say so plainly (never "not found", never a stale quote).
            return Answer(question=text, status=Status.UNAVAILABLE, quotes=(), disclaimer=templates.DISCLAIMER,
                          message=templates.SOURCES_UNAVAILABLE_MESSAGE, notes=notes, index_version=version,
                          triage=found, searched_as=searched_as)  # fmt: skip
        dosing = is_personal_dosing_question(text)
        if not quotes:
            notes += (templates.DOSING_ASK_NOTE,) if dosing else ()
            return Answer(question=text, status=Status.NO_MATCH, quotes=(), disclaimer=templates.DISCLAIMER,
                          message=templates.NOT_FOUND_MESSAGE, notes=notes, index_version=version, triage=found,
                          searched_as=searched_as, confidence=confidence)  # fmt: skip
        notes += (templates.DOSING_NOTE,) if dosing else ()
        return Answer(question=text, status=Status.ANSWERED, quotes=quotes, disclaimer=templates.DISCLAIMER,
                      notes=notes, index_version=version, triage=found, searched_as=searched_as,
                      confidence=confidence)  # fmt: skip

    def _quotes(self, state: _State, question: str, vector: np.ndarray | None) -> tuple[tuple[Quote, ...], float]:
        """The quotes for ``question`` (none: "not found"), and the probability that decided it."""
        index = state.index
        scored = state.retriever.score(question, vector=vector)
        # The highlight looks for every word of the question as searched, the topic's name included.
        terms = set(tokenize(prepare_query(question, index.topic, index.uses).dense_text))
        baseline = state.retriever.signals.baseline()
        chosen = []
        for position in self.abstention.quotable(index, question, scored, baseline):
            if len(chosen) == self.k:
                break
            passage = index.passages[int(scored.rows[position])]
            # Never quote a passage whose hash chain back to the vetted file is broken: refuse the answer.
            index.check_quote(passage)
            chosen.append((position, passage))
        reader = state.retriever.reader
        if reader is not None:
            spans = read_highlights(reader, question, [(p, index.source_of(p)) for _, p in chosen])
        else:
            spans = [highlight_span(p.text, question, terms, state.idf) for _, p in chosen]
        quotes = tuple(
            Quote(passage, index.source_of(passage), float(scored.fused[position]), start, end)
            for (position, passage), (start, end) in zip(chosen, spans, strict=True)
        )
        return quotes, self.abstention.confidence(index, question, scored, baseline)

    # -- hot reload ----------------------------------------------------------------------------------
    def reload_if_changed(self, *, wait: bool = False) -> bool:
        """Start loading the index folder's live build if it is not the one in use; True if started."""
        if self.index_dir is None:
            return False
        try:
            build = live_build(self.index_dir, self.engine)
        except EngineUnavailableError:
            return False  # answering says the sources are unavailable; the next question looks again
        except (IndexNotFoundError, IndexMismatchError) as exc:  # not a build this folder has (yet), or a bad CURRENT
            log.warning("still answering from %s: %s", self.index_version, exc)
            return False
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
            index = load_index(build, model_name=self.embedder.name, engine=self.engine)
        except MedquoteError as exc:  # damaged, tampered or built differently: said in one line, not a traceback
            log.error("could not load the new index: %s; still answering from %s", exc, self.index_version)
            return
        except Exception:
            log.exception("could not load the new index at %s; still answering from %s", build, self.index_version)
            return
        self._state = _State.of(self._state.retriever.clone(index=index))
        log.info("now answering from index %s", index.version)
