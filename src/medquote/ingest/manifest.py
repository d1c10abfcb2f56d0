"""The corpus manifest (``corpus/sources.toml``): what each source is, where it came from, whether it is vetted.

One ``[[source]]`` table per file (or MedQuAD folder). A source is indexed only while its status is
``vetted``, its file lies inside the corpus folder (symlinks resolved) and still has the hash it had when
it was vetted. ``vetted`` means the maintainers listed it; a clinical review is recorded separately
(``reviewed_by``, ``reviewed_on``). Adding, vetting and removing sources is in ``ingest.register``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medquote.errors import ManifestError, MedquoteError
from medquote.ingest.corpus_paths import inside_corpus, is_temporary
from medquote.ingest.registry import detect_format, read_documents
from medquote.settings import FORMATS

MANIFEST_NAME = "sources.toml"
VETTING_STATUSES = ("vetted", "pending", "rejected")
# Optional provenance `sources check` warns about when empty, with the key to fill in.
PROVENANCE_FIELDS = ("publisher", "url", "published_on", "reviewed_by")
REQUIRED_FIELDS = ("id", "file", "title", "sha256")
DATE_FIELDS = ("date_added", "published_on", "reviewed_on")
# Files in the corpus folder that are not sources.
_NOT_SOURCES = frozenset({MANIFEST_NAME, "README.md", "README"})


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One manifest entry. Empty strings mean "not known", never a guess."""

    id: str
    file: str
    title: str
    sha256: str
    publisher: str = ""
    url: str = ""
    license: str = ""
    date_added: str = ""
    vetting: str = "pending"
    vetting_note: str = ""
    format: str = ""
    published_on: str = ""
    reviewed_by: str = ""
    reviewed_on: str = ""

    def path(self, corpus_dir: Path) -> Path:
        """The file's resolved path; a ``ManifestError`` if it lies outside ``corpus_dir`` (symlinks followed)."""
        return inside_corpus(corpus_dir, self.file)

    def resolved_format(self, corpus_dir: Path) -> str:
        return self.format or detect_format(self.path(corpus_dir))


@dataclass(frozen=True, slots=True)
class QualityGate:
    """The ``[quality]`` table: regression sets (folders, relative to the corpus) a new build must answer
    about as well as the live one before it goes live — consumer question sets with graded spans, or BEIR
    sets (``queries.jsonl`` and ``qrels/test.tsv`` judging the sources' keys) for retrieval — and by how
    much "first quote answers" or nDCG@10 may fall and "not found on answerable" or "quotes on
    unanswerable" may rise (a share of each set's questions)."""

    sets: tuple[str, ...]
    max_change: float = 0.02


@dataclass(frozen=True, slots=True)
class Corpus:
    """A corpus folder and its manifest."""

    directory: Path
    entries: tuple[SourceEntry, ...]
    topic: str = ""
    examples: tuple[str, ...] = ()
    quality: QualityGate | None = None

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST_NAME

    def vetted(self) -> tuple[SourceEntry, ...]:
        return tuple(e for e in self.entries if e.vetting == "vetted")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something ``sources check`` found; ``blocking`` problems stop a build."""

    file: str
    message: str
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


def file_sha256(path: Path) -> str:
    """The sha256 of a file, or of a folder's files (relative paths and contents, in sorted order)."""
    digest = hashlib.sha256()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(child.relative_to(path).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(child.read_bytes()).digest())
        return digest.hexdigest()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_corpus(directory: Path) -> Corpus:
    """Read ``directory/sources.toml``; a missing or malformed manifest is a ``ManifestError``."""
    manifest = directory / MANIFEST_NAME
    if not directory.is_dir():
        if directory.exists():
            raise ManifestError(f"{directory}: is a file, not a corpus folder; pass --corpus DIR with a folder")
        raise ManifestError(f"{directory}: no such corpus folder; create it with `medquote sources add`")
    if not manifest.is_file():
        raise ManifestError(f"{manifest}: no manifest; add a source with `medquote sources add FILE --title ...`")
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{manifest}: not valid TOML ({exc}); fix the file or restore it from git") from exc
    except OSError as exc:
        raise ManifestError(f"{manifest}: cannot read it ({exc.strerror}); check its permissions") from exc
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise ManifestError(f"{manifest}: `source` must be [[source]] tables, one per file; fix the file")
    entries = [parse_entry(raw, number, manifest) for number, raw in enumerate(tables, start=1)]
    ids = [e.id for e in entries]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ManifestError(f"{manifest}: duplicate source id(s) {', '.join(duplicated)}; ids must be unique")
    topic, examples = parse_corpus_table(data.get("corpus", {}), manifest)
    quality = parse_quality_table(data["quality"], manifest) if "quality" in data else None
    return Corpus(directory, tuple(entries), topic=topic, examples=examples, quality=quality)


def parse_entry(raw: Any, number: int, manifest: Path) -> SourceEntry:
    """One ``[[source]]`` table as a ``SourceEntry``; a ``ManifestError`` naming the entry and key if malformed."""
    if not isinstance(raw, dict):
        raise ManifestError(
            f"{manifest}: source #{number} is {type(raw).__name__} {raw!r}, not a table; "
            'write it as a [[source]] table with id, file, title and sha256 = "..."'
        )
    name = f"source {raw['id']!r}" if isinstance(raw.get("id"), str) and raw["id"] else f"source #{number}"
    missing = [key for key in REQUIRED_FIELDS if key not in raw]
    if missing:
        raise ManifestError(f"{manifest}: {name} lacks {', '.join(missing)}; add it")
    unknown = raw.keys() - set(SourceEntry.__dataclass_fields__)
    if unknown:
        keys = ", ".join(sorted(unknown))
        raise ManifestError(f"{manifest}: {name} has unknown key(s) {keys}; remove or rename them")
    values = {}
    for key, value in raw.items():
        if key in DATE_FIELDS and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = value.isoformat()  # an unquoted TOML date
        if not isinstance(value, str):
            raise ManifestError(
                f"{manifest}: {name} has {key} = {value!r} ({type(value).__name__}); write it as a quoted string"
            )
        values[key] = value
    for key in REQUIRED_FIELDS:
        if not values[key].strip():
            raise ManifestError(f"{manifest}: {name} has an empty {key}; fill it in")
    entry = SourceEntry(**values)
    if entry.vetting not in VETTING_STATUSES:
        raise ManifestError(
            f"{manifest}: {name} has vetting = {entry.vetting!r}; use one of {', '.join(VETTING_STATUSES)}"
        )
    if entry.format and entry.format not in FORMATS:
        raise ManifestError(f"{manifest}: {name} has format {entry.format!r}; use one of {', '.join(FORMATS)}")
    for key in DATE_FIELDS:
        check_date(getattr(entry, key), f"{manifest}: {name} has {key}")
    return entry


def parse_corpus_table(table: Any, manifest: Path) -> tuple[str, tuple[str, ...]]:
    """The ``[corpus]`` table's ``topic`` and ``examples``; a ``ManifestError`` naming the key if malformed."""
    if not isinstance(table, dict):
        raise ManifestError(f"{manifest}: `corpus` must be a [corpus] table with topic and examples; fix the file")
    topic = table.get("topic", "")
    if not isinstance(topic, str):
        raise ManifestError(f"{manifest}: [corpus] topic = {topic!r} must be a quoted string; fix it")
    examples = table.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(q, str) for q in examples):
        raise ManifestError(
            f"{manifest}: [corpus] examples = {examples!r} must be a list of quoted questions, "
            'e.g. examples = ["What is asthma?"]; fix it'
        )
    return topic, tuple(examples)


def parse_quality_table(table: Any, manifest: Path) -> QualityGate:
    """The ``[quality]`` table; a ``ManifestError`` naming the key if malformed."""
    example = 'e.g. [quality] sets = ["../data/consumer_dev"], max_change = 0.02'
    if not isinstance(table, dict) or table.keys() - {"sets", "max_change"}:
        raise ManifestError(f"{manifest}: [quality] takes sets and max_change only, {example}; fix it")
    sets, change = table.get("sets", []), table.get("max_change", 0.02)
    if not isinstance(sets, list) or not sets or not all(isinstance(s, str) and s for s in sets):
        raise ManifestError(f"{manifest}: [quality] sets = {sets!r} must name question set folders, {example}")
    if isinstance(change, bool) or not isinstance(change, int | float) or not 0 <= change <= 1:
        raise ManifestError(f"{manifest}: [quality] max_change = {change!r} must be a share from 0 to 1, {example}")
    return QualityGate(tuple(sets), float(change))


def check_date(value: str, where: str) -> None:
    """A ``ManifestError`` unless ``value`` is empty or a YYYY-MM-DD date; ``where`` says which key."""
    if not value:
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ManifestError(f"{where} = {value!r}; write dates as YYYY-MM-DD") from None


def missing_provenance(entry: SourceEntry) -> tuple[str, ...]:
    """The optional provenance keys this entry leaves empty (see ``PROVENANCE_FIELDS``)."""
    return tuple(name for name in PROVENANCE_FIELDS if not getattr(entry, name))


def check(corpus: Corpus, *, read: bool = False) -> list[Problem]:
    """Paths outside the corpus, hash drift, listed-but-missing files, unlisted files, and (never blocking)
    missing provenance; with ``read``, also files the build's reader would refuse (empty, binary, ...).

    A path outside the corpus always blocks; other problems block only for vetted sources."""
    problems: list[Problem] = []
    listed = set()
    for entry in corpus.entries:
        listed.add(entry.file.split("/")[0])
        try:
            path = entry.path(corpus.directory)
        except ManifestError as exc:
            problems.append(Problem(entry.file, str(exc).removeprefix(f"{entry.file}: ")))
            continue
        blocking = entry.vetting == "vetted"
        if not path.exists():
            problems.append(
                Problem(entry.file, f"listed as {entry.id!r} but missing; restore it or remove the entry", blocking)
            )
            continue
        try:
            changed = file_sha256(path) != entry.sha256
        except OSError as exc:
            problems.append(Problem(entry.file, f"cannot read it ({exc.strerror}); check its permissions", blocking))
            continue
        if changed:
            problems.append(
                Problem(
                    entry.file,
                    f"changed since it was vetted (sha256 differs); review it, then `medquote sources vet {entry.id}`",
                    blocking,
                )
            )
        elif read and entry.vetting != "rejected":
            unreadable = unreadable_reason(path, entry.format or None)
            if unreadable:
                problems.append(Problem(entry.file, unreadable, blocking))
        missing = missing_provenance(entry)
        if missing and entry.vetting != "rejected":
            problems.append(
                Problem(
                    entry.file,
                    f"provenance not recorded: {', '.join(missing)}; add them to {entry.id!r} in {MANIFEST_NAME} "
                    "when known (the chat says what is missing)",
                    blocking=False,
                )
            )
    for path in sorted(corpus.directory.iterdir()):
        if path.name in _NOT_SOURCES or is_temporary(path.name) or path.name in listed:
            continue
        problems.append(Problem(path.name, "not listed in sources.toml; run `medquote sources add` or move it out"))
    return problems


def unreadable_reason(path: Path, fmt: str | None) -> str:
    """Why the build's reader refuses ``path`` (its one-line message, path first stripped), or ``""``."""
    try:
        result = read_documents(path, fmt)
    except MedquoteError as exc:
        return re.sub(rf"^{re.escape(str(path))}(:\d+)?: ", "", str(exc))
    if not result.documents:
        return "the reader found no text in it; give a file with text, or remove it from the sources"
    return ""
