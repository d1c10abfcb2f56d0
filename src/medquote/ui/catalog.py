"""What the chat page shows about the index (``Catalog``), and what it needs of the assistant (``AssistantLike``)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Protocol

from medquote.ui.sources import Scope, render_scope, render_sources, scope_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from medquote.records import Answer, Source

MAX_EXAMPLES = 6


class AssistantLike(Protocol):
    """What the app needs from ``medquote.answer.assistant.Assistant``."""

    example_questions: Sequence[str]

    def answer(self, question: str, *, previous: str | Sequence[str] | None = None) -> Answer: ...

    @property
    def sources(self) -> Sequence[Source]: ...

    @property
    def index_version(self) -> str: ...

    @property
    def built_at(self) -> str: ...

    @property
    def topic(self) -> str: ...

    @property
    def passage_count(self) -> int: ...


class Catalog:
    """What the page shows about the index, computed once per index version (thousands of sources take
    a moment); the assistant may switch to a rebuilt index while running."""

    def __init__(self, assistant: AssistantLike) -> None:
        self.assistant = assistant
        self._lock = threading.Lock()
        self._version: str | None = None
        self._views: dict[str, Any] = {}

    def _get(self, name: str) -> Any:
        with self._lock:
            version = self.assistant.index_version
            if version != self._version:
                sources = tuple(self.assistant.sources)
                scope = scope_of(
                    sources,
                    self.assistant.passage_count,
                    self.assistant.topic,
                    tuple(self.assistant.example_questions),
                    MAX_EXAMPLES,
                )
                self._views = {
                    "by_id": {s.id: s for s in sources},
                    "scope": scope,
                    "scope_html": render_scope(scope),
                    "about_html": render_sources(sources, self.assistant.built_at, version),
                }
                self._version = version
            return self._views[name]

    def source(self, source_id: str | None) -> Source | None:
        return self._get("by_id").get(source_id or "")

    @property
    def scope(self) -> Scope:
        return self._get("scope")

    def scope_html(self) -> str:
        return self._get("scope_html")

    def about_html(self) -> str:
        return self._get("about_html")
