"""The corpus manifest (``corpus/sources.toml``): what each source is, where it came from, whether it is vetted.

One ``[[source]]`` table per file (or MedQuAD folder). A source is indexed only while its status is
``vetted`` and its file still has the hash it had when it was vetted. ``vetted`` means the maintainers
listed it; a clinical review is recorded separately (``reviewed_by``, ``reviewed_on``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import tomlkit

from medquote.errors import ManifestError
from medquote.files import atomic_write
from medquote.ingest.registry import detect_format
from medquote.settings import FORMATS

MANIFEST_NAME = "sources.toml"
VETTING_STATUSES = ("vetted", "pending", "rejected")
# Optional provenance `sources check` warns about when empty, with the key to fill in.
PROVENANCE_FIELDS = ("publisher", "url", "published_on", "reviewed_by")
_DATE_FIELDS = ("date_added", "published_on", "reviewed_on")
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
        return corpus_dir / self.file

    def resolved_format(self, corpus_dir: Path) -> str:
        return self.format or detect_format(self.path(corpus_dir))


@dataclass(frozen=True, slots=True)
class Corpus:
    """A corpus folder and its manifest."""

    directory: Path
    entries: tuple[SourceEntry, ...]
    topic: str = ""
    examples: tuple[str, ...] = ()

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
        raise ManifestError(
            f"{directory}: no such corpus folder; create it and add sources with `medquote sources add`"
        )
    if not manifest.is_file():
        raise ManifestError(f"{manifest}: no manifest; add a source with `medquote sources add FILE --title ...`")
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{manifest}: not valid TOML ({exc}); fix the file or restore it from git") from exc
    known = set(SourceEntry.__dataclass_fields__)
    entries = []
    for number, raw in enumerate(data.get("source", []), start=1):
        missing = {"id", "file", "title", "sha256"} - raw.keys()
        if missing:
            raise ManifestError(f"{manifest}: source #{number} lacks {', '.join(sorted(missing))}; add it")
        unknown = raw.keys() - known
        if unknown:
            raise ManifestError(f"{manifest}: source {raw['id']!r} has unknown key(s) {', '.join(sorted(unknown))}")
        entry = SourceEntry(**{k: str(v) for k, v in raw.items()})
        if entry.vetting not in VETTING_STATUSES:
            raise ManifestError(
                f"{manifest}: source {entry.id!r} has vetting = {entry.vetting!r}; "
                f"use one of {', '.join(VETTING_STATUSES)}"
            )
        if entry.format and entry.format not in FORMATS:
            raise ManifestError(f"{manifest}: source {entry.id!r} has format {entry.format!r}; use one of {FORMATS}")
        for name in _DATE_FIELDS:
            _check_date(getattr(entry, name), f"{manifest}: source {entry.id!r} has {name}")
        entries.append(entry)
    ids = [e.id for e in entries]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ManifestError(f"{manifest}: duplicate source id(s) {', '.join(duplicated)}; ids must be unique")
    corpus_table = data.get("corpus", {})
    return Corpus(
        directory,
        tuple(entries),
        topic=str(corpus_table.get("topic", "")),
        examples=tuple(str(q) for q in corpus_table.get("examples", [])),
    )


def _check_date(value: str, where: str) -> None:
    if not value:
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ManifestError(f"{where} = {value!r}; write dates as YYYY-MM-DD") from None


def missing_provenance(entry: SourceEntry) -> tuple[str, ...]:
    """The optional provenance keys this entry leaves empty (see ``PROVENANCE_FIELDS``)."""
    return tuple(name for name in PROVENANCE_FIELDS if not getattr(entry, name))


def check(corpus: Corpus) -> list[Problem]:
    """Hash drift, listed-but-missing files, unlisted files, and (never blocking) missing provenance.

    Only vetted sources' file problems block."""
    problems: list[Problem] = []
    listed = set()
    for entry in corpus.entries:
        listed.add(entry.file.split("/")[0])
        path = entry.path(corpus.directory)
        blocking = entry.vetting == "vetted"
        if not path.exists():
            problems.append(
                Problem(
                    entry.file,
                    f"listed as {entry.id!r} but missing; restore it or remove the entry",
                    blocking,
                )
            )
        elif file_sha256(path) != entry.sha256:
            problems.append(
                Problem(
                    entry.file,
                    f"changed since it was vetted (sha256 differs); review it, then `medquote sources vet {entry.id}`",
                    blocking,
                )
            )
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
        if path.name in _NOT_SOURCES or path.name.startswith(".") or path.name in listed:
            continue
        problems.append(Problem(path.name, "not listed in sources.toml; run `medquote sources add` or move it out"))
    return problems


def _write(corpus: Corpus, entries: Iterable[SourceEntry]) -> None:
    """Rewrite the entries, keeping the file's comments and other tables."""
    path = corpus.manifest_path
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    tables = tomlkit.aot()
    for entry in entries:
        table = tomlkit.table()
        for name in SourceEntry.__dataclass_fields__:
            value = getattr(entry, name)
            if value or name in {"publisher", "url", "license"}:
                table.add(name, value)
        tables.append(table)
    document["source"] = tables
    atomic_write(path, tomlkit.dumps(document))


def add_source(
    directory: Path,
    file: Path,
    *,
    title: str,
    source_id: str | None = None,
    publisher: str = "",
    url: str = "",
    license: str = "",
    vetted: bool = False,
    note: str = "",
    fmt: str = "",
    published_on: str = "",
) -> SourceEntry:
    """Register ``file`` (copied into the corpus folder if it is outside it) and return its entry."""
    _check_date(published_on, f"{file}: --published-on")
    directory.mkdir(parents=True, exist_ok=True)
    corpus = load_corpus(directory) if (directory / MANIFEST_NAME).exists() else Corpus(directory, ())
    if not file.exists():
        raise ManifestError(f"{file}: no such file; check the path")
    if not title.strip():
        raise ManifestError(f"{file}: a source needs a title; pass --title")
    fmt = fmt or detect_format(file)
    target = file if file.resolve().parent == directory.resolve() else directory / file.name
    relative = target.name
    if any(e.file == relative for e in corpus.entries):
        raise ManifestError(f"{relative}: already listed; edit sources.toml or remove the entry first")
    new_id = source_id or _slug(Path(relative).stem)
    if any(e.id == new_id for e in corpus.entries):
        raise ManifestError(f"{relative}: id {new_id!r} is taken; pass --id")
    if target != file:
        if target.exists():
            raise ManifestError(f"{target}: a different file with this name is in the corpus; rename yours")
        if file.is_dir():
            shutil.copytree(file, target)
        else:
            shutil.copy2(file, target)
    entry = SourceEntry(
        id=new_id,
        file=relative,
        title=title.strip(),
        sha256=file_sha256(target),
        publisher=publisher,
        url=url,
        license=license,
        date_added=dt.date.today().isoformat(),
        vetting="vetted" if vetted else "pending",
        vetting_note=note,
        format=fmt,
        published_on=published_on,
    )
    _write(corpus, (*corpus.entries, entry))
    return entry


def vet_source(
    directory: Path,
    source_id: str,
    *,
    note: str = "",
    status: str = "vetted",
    reviewed_by: str = "",
    reviewed_on: str = "",
) -> SourceEntry:
    """Mark a source vetted (or pending/rejected) and record its current hash, and who reviewed it when."""
    _check_date(reviewed_on, "--reviewed-on")
    if reviewed_on and not reviewed_by:
        raise ManifestError("--reviewed-on needs --reviewed-by: say who reviewed the source")
    corpus = load_corpus(directory)
    if status not in VETTING_STATUSES:
        raise ManifestError(f"unknown status {status!r}; use one of {', '.join(VETTING_STATUSES)}")
    matches = [e for e in corpus.entries if e.id == source_id]
    if not matches:
        raise ManifestError(f"no source with id {source_id!r}; see `medquote sources list`")
    entry = matches[0]
    path = entry.path(directory)
    if not path.exists():
        raise ManifestError(f"{entry.file}: missing; restore it before vetting")
    updated = replace(
        entry,
        vetting=status,
        vetting_note=note or entry.vetting_note,
        sha256=file_sha256(path),
        reviewed_by=reviewed_by or entry.reviewed_by,
        reviewed_on=reviewed_on or entry.reviewed_on,
    )
    _write(corpus, (updated if e.id == source_id else e for e in corpus.entries))
    return updated


def _slug(name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return "-".join(part for part in slug.split("-") if part) or "source"


def set_topic(directory: Path, topic: str) -> None:
    """Set what "this medicine" means in questions about this corpus (the manifest's ``[corpus] topic``)."""
    path = directory / MANIFEST_NAME
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    if str(document.get("corpus", {}).get("topic", "")) == topic:
        return
    table = document.get("corpus") or tomlkit.table()
    table["topic"] = topic
    document["corpus"] = table
    atomic_write(path, tomlkit.dumps(document))
