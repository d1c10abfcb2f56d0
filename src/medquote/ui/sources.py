"""What the chat says about its sources: the scope panel above the chat (what the answers can quote),
the empty-chat text and examples derived from it, and the "About the sources" table.

All of it is generated from the loaded index, so it never claims more than the index holds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from medquote.records import Source
from medquote.ui import provenance
from medquote.ui.html import link, text
from medquote.ui.provenance import safe_url
from medquote.ui.wording import DATE_MISSING, LICENSE_MISSING, LINK_MISSING, NOT_REVIEWED, PUBLISHER_MISSING

# Above this many sources the table shows one row per corpus entry instead of one per source.
MAX_SOURCE_ROWS = 60
# Names listed in the scope panel before "and N more".
MAX_NAMES = 4


@dataclass(frozen=True, slots=True)
class Scope:
    """What the index holds, in the terms a reader needs before asking."""

    sources: int
    passages: int
    titles: tuple[str, ...]
    publishers: tuple[str, ...]
    without_publisher: int
    reviewed: int
    topic: str
    examples: tuple[str, ...]


def derive_examples(sources: Sequence[Source], listed: Sequence[str], limit: int) -> tuple[str, ...]:
    """The corpus's own example questions, or else the questions its documents answer (MedQuAD's headings)."""
    if listed:
        return tuple(listed)[:limit]
    questions = dict.fromkeys(s.section.strip() for s in sources if s.section and s.section.strip().endswith("?"))
    return tuple(questions)[:limit]


def scope_of(sources: Sequence[Source], passages: int, topic: str, examples: Sequence[str], limit: int) -> Scope:
    titles = tuple(dict.fromkeys(s.title or s.id for s in sources))
    publishers = Counter(s.publisher for s in sources if s.publisher)
    return Scope(
        sources=len(sources),
        passages=passages,
        titles=titles,
        publishers=tuple(name for name, _ in publishers.most_common()),
        without_publisher=sum(1 for s in sources if not s.publisher),
        reviewed=sum(1 for s in sources if s.reviewed_by),
        topic=topic,
        examples=derive_examples(sources, examples, limit),
    )


def _names(names: Sequence[str], limit: int = MAX_NAMES) -> str:
    shown = "; ".join(text(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _about(scope: Scope) -> str:
    """What the sources are about: the corpus topic when it has one, else their titles."""
    return text(scope.topic) if scope.topic else _names(scope.titles)


def render_scope(scope: Scope) -> str:
    """The panel above the chat: how many passages from which sources, publishers, review status."""
    if scope.publishers:
        publishers = _names(scope.publishers)
        if scope.without_publisher:
            publishers += f"; {text(PUBLISHER_MISSING)} for {_plural(scope.without_publisher, 'source')}"
    else:
        publishers = text(PUBLISHER_MISSING) + (" for any source" if scope.sources > 1 else "")
    if scope.reviewed == scope.sources:
        review = "every source clinically reviewed (see each source card)"
    elif scope.reviewed:
        review = f"{scope.reviewed:,} of {scope.sources:,} sources clinically reviewed; the others {text(NOT_REVIEWED)}"
    else:
        review = text(NOT_REVIEWED) + (" (all sources)" if scope.sources > 1 else "")
    facts = (
        ("Topic" if scope.topic else "Topics", _about(scope)),
        ("Sources", _names(scope.titles)),
        ("Publishers", publishers),
        ("Review", review),
    )
    items = "".join(f'<li><span class="mq-scope-key">{key}:</span> {value}</li>' for key, value in facts)
    return (
        '<section class="mq-scope" aria-labelledby="mq-scope-title">'
        f'<h2 id="mq-scope-title" class="mq-scope-title">What the answers can quote: '
        f"{_plural(scope.passages, 'passage')} from {_plural(scope.sources, 'source')}</h2>"
        f'<ul class="mq-scope-facts">{items}</ul>'
        '<p class="mq-scope-limit">A question they do not cover gets \u201cnot found\u201d, not a guess.</p>'
        "</section>"
    )


def render_placeholder(scope: Scope) -> str:
    """The empty chat: what to ask about, derived from the scope."""
    return (
        f'<p class="mq-placeholder-title">Ask a question about {_about(scope)}.</p>'
        f"<p>The reply quotes the {_plural(scope.sources, 'source')} listed above word for word, says where "
        "each quote comes from, and opens it in its full source.</p>"
    )


def _cell(value: str, missing: str) -> str:
    return f"<td>{text(value)}</td>" if value else f'<td class="mq-missing">{text(missing)}</td>'


def _distinct(values: Iterable[str | None], limit: int = 3) -> str:
    seen = sorted({v for v in values if v})
    if not seen:
        return ""
    shown = ", ".join(seen[:limit])
    return shown + (f" and {len(seen) - limit} more" if len(seen) > limit else "")


def _date_range(dates: Iterable[str | None]) -> str:
    known = sorted(d for d in dates if d)
    if not known:
        return ""
    return known[0] if known[0] == known[-1] else f"{known[0]} \u2013 {known[-1]}"


def _link_cell(url: str | None) -> str:
    href = safe_url(url)
    return f"<td>{link(href, urlsplit(href).netloc)}</td>" if href else _cell("", LINK_MISSING)


def _source_rows(sources: Sequence[Source]) -> str:
    head = (
        "<tr><th>Title</th><th>Publisher</th><th>Link</th><th>License</th><th>Published</th><th>Added</th>"
        "<th>Review</th></tr>"
    )
    rows = [
        f"<tr><td>{text(s.title or s.id)}</td>{_cell(s.publisher or '', PUBLISHER_MISSING)}{_link_cell(s.url)}"
        f"{_cell(s.license or '', LICENSE_MISSING)}{_cell(s.published_on or '', DATE_MISSING)}"
        f"{_cell(s.date or '', DATE_MISSING)}<td>{text(provenance.review(s))}"
        + (f'<br><span class="mq-note-text">{text(s.vetting_note)}</span>' if s.vetting_note else "")
        + "</td></tr>"
        for s in sources
    ]
    return f'<table class="mq-sources-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _entry_rows(sources: Sequence[Source]) -> str:
    by_entry: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        by_entry[s.entry_id].append(s)
    head = (
        "<tr><th>Entry</th><th>Documents</th><th>Publisher</th><th>Example link</th><th>License</th>"
        "<th>Published</th><th>Added</th><th>Review</th></tr>"
    )
    rows = []
    for entry_id in sorted(by_entry):
        group = by_entry[entry_id]
        href = next((u for u in (safe_url(s.url) for s in group) if u), None)
        rows.append(
            f'<tr><td>{text(entry_id)}</td><td class="mq-count">{len(group):,}</td>'
            f"{_cell(_distinct(s.publisher for s in group), PUBLISHER_MISSING)}{_link_cell(href)}"
            f"{_cell(_distinct(s.license for s in group), LICENSE_MISSING)}"
            f"{_cell(_date_range(s.published_on for s in group), DATE_MISSING)}"
            f"{_cell(_date_range(s.date for s in group), DATE_MISSING)}"
            f"{_cell(_distinct(provenance.review(s) for s in group), '')}</tr>"
        )
    return f'<table class="mq-sources-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def render_sources(sources: Sequence[Source], built_at: str, index_version: str) -> str:
    """The "About the sources" panel: counts, then one row per source or, when many, per entry."""
    entries = len({s.entry_id for s in sources})
    summary = (
        f'<p class="mq-sources-summary">{len(sources):,} document{"s" if len(sources) != 1 else ""} '
        f"from {entries:,} source entr{'ies' if entries != 1 else 'y'}. "
        f"Index version <code>{text(index_version or 'unknown')}</code>, "
        f"built {text(built_at or 'at an unrecorded time')}.</p>"
    )
    if not sources:
        return f'<div class="mq-sources">{summary}</div>'
    table = _source_rows(sources) if len(sources) <= MAX_SOURCE_ROWS else _entry_rows(sources)
    return f'<div class="mq-sources">{summary}<div class="mq-table-wrap">{table}</div></div>'
