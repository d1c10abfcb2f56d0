"""Changing the corpus: add, vet and remove sources, and set its topic (the write side of ``sources.toml``).

Each change checks everything before it writes: the file lies inside the corpus folder (symlinks
resolved) or is copied into it, and the build's own reader accepts it. Copies appear whole or not at all,
the manifest is replaced atomically, and one change at a time holds the corpus folder's lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import tomlkit

from medquote.errors import ManifestError, SourceError
from medquote.files import atomic_write, locked_folder
from medquote.ingest.corpus_paths import clean_staging, copy_into, delete, inside_corpus
from medquote.ingest.manifest import (
    MANIFEST_NAME,
    VETTING_STATUSES,
    Corpus,
    SourceEntry,
    check_date,
    file_sha256,
    load_corpus,
    unreadable_reason,
)
from medquote.ingest.registry import detect_format, read_documents


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
    """Register ``file`` (copied into the corpus folder if it is outside it) and return its entry.

    The file is read with the build's reader first: one the build would refuse is refused here, before
    anything is written."""
    check_date(published_on, f"{file}: --published-on")
    if not title.strip():
        raise ManifestError(f"{file}: a source needs a title; pass --title")
    if not file.exists():
        raise ManifestError(f"{file}: no such file; check the path")
    name = _name_in_corpus(directory, file)
    readable = inside_corpus(directory, name) if name else file
    fmt = fmt or detect_format(readable)
    if not read_documents(readable, fmt).documents:
        raise SourceError(f"{file}: the reader found no text in it; give a file with text")
    _make_folder(directory)
    with locked_folder(directory):
        corpus = _load_or_empty(directory)
        clean_staging(directory)
        relative = name or file.name
        if any(e.file == relative for e in corpus.entries):
            raise ManifestError(f"{relative}: already listed; edit sources.toml or remove the entry first")
        new_id = source_id or _slug(Path(relative).stem)
        if any(e.id == new_id for e in corpus.entries):
            raise ManifestError(f"{relative}: id {new_id!r} is taken; pass --id")
        target = directory / relative
        copied = not name and not _left_by_interrupted_add(target, file)
        if copied:
            copy_into(file, target)
        try:
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
        except BaseException:
            if copied:
                delete(target)
            raise
    return entry


def _name_in_corpus(directory: Path, file: Path) -> str | None:
    """The name of ``file`` in the corpus folder if it already lies there (as itself or as the target of a
    link), else None (it is to be copied in)."""
    root = directory.resolve()
    if file.absolute().parent.resolve() == root:
        return file.name
    resolved = file.resolve()
    return resolved.name if resolved.parent == root else None


def _left_by_interrupted_add(target: Path, file: Path) -> bool:
    """Whether ``target`` is an unlisted copy of ``file`` (an add stopped after copying); else it must not exist."""
    if not target.exists() and not target.is_symlink():
        return False
    if not target.is_symlink() and file_sha256(target) == file_sha256(file):
        return True
    raise ManifestError(f"{target}: a different file with this name is in the corpus; rename yours")


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
    check_date(reviewed_on, "--reviewed-on")
    if reviewed_on and not reviewed_by:
        raise ManifestError("--reviewed-on needs --reviewed-by: say who reviewed the source")
    if status not in VETTING_STATUSES:
        raise ManifestError(f"unknown status {status!r}; use one of {', '.join(VETTING_STATUSES)}")
    with locked_folder(directory):
        corpus = load_corpus(directory)
        entry = _find(corpus, source_id)
        path = entry.path(directory)
        if not path.exists():
            raise ManifestError(f"{entry.file}: missing; restore it before vetting")
        if status == "vetted" and (reason := unreadable_reason(path, entry.format or None)):
            raise SourceError(f"{entry.file}: {reason}")
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


def remove_source(directory: Path, source_id: str) -> tuple[SourceEntry, bool]:
    """Drop a source from the manifest, and delete its file if it lies in the corpus folder and no other
    entry uses it. Returns the entry and whether its file was deleted."""
    with locked_folder(directory):
        corpus = load_corpus(directory)
        entry = _find(corpus, source_id)
        others = tuple(e for e in corpus.entries if e.id != source_id)
        path = _deletable(corpus, entry, others)
        # The manifest first: a stop between the two leaves an unlisted file, which `sources check` reports.
        _write(corpus, others)
        if path is not None:
            delete(directory / entry.file)
    return entry, path is not None


def _deletable(corpus: Corpus, entry: SourceEntry, others: tuple[SourceEntry, ...]) -> Path | None:
    """``entry``'s file if deleting it is safe: inside the corpus, not the manifest, used by no other entry."""
    try:
        path = entry.path(corpus.directory)
    except ManifestError:
        return None  # outside the corpus: not ours to delete
    root = corpus.directory.resolve()
    if not path.exists() or path in (root, root / MANIFEST_NAME):
        return None
    for other in others:
        try:
            used = other.path(corpus.directory)
        except ManifestError:
            continue
        if used.is_relative_to(path) or path.is_relative_to(used):
            return None
    return path


def _find(corpus: Corpus, source_id: str) -> SourceEntry:
    for entry in corpus.entries:
        if entry.id == source_id:
            return entry
    raise ManifestError(
        f"no source with id {source_id!r} in {corpus.manifest_path}; "
        f"see the ids with `medquote sources --corpus {corpus.directory} list`"
    )


def set_topic(directory: Path, topic: str) -> None:
    """Set what "this medicine" means in questions about this corpus (the manifest's ``[corpus] topic``)."""
    path = directory / MANIFEST_NAME
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    if str(document.get("corpus", {}).get("topic", "")) == topic:
        return
    table = document.get("corpus") or tomlkit.table()
    table["topic"] = topic
    document["corpus"] = table
    _replace(path, tomlkit.dumps(document))


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
    _replace(path, tomlkit.dumps(document))


def _replace(path: Path, text: str) -> None:
    try:
        atomic_write(path, text, durable=True)
    except OSError as exc:
        raise ManifestError(
            f"{path}: cannot write it ({exc.strerror or exc}); free disk space or fix the folder's permissions, "
            "then try again (the manifest was not changed)"
        ) from exc


def _make_folder(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ManifestError(f"{directory}: is a file, not a corpus folder; pass --corpus DIR with a folder") from None
    except OSError as exc:
        raise ManifestError(f"{directory}: cannot create the corpus folder ({exc.strerror}); check the path") from exc


def _load_or_empty(directory: Path) -> Corpus:
    return load_corpus(directory) if (directory / MANIFEST_NAME).exists() else Corpus(directory, ())


def _slug(name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return "-".join(part for part in slug.split("-") if part) or "source"
