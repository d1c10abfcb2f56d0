"""Writing files safely: whole or not at all (atomic replace), durable (fsync), one writer at a time (a lock).

Imports nothing of medquote.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def atomic_write(path: Path, content: str | Iterable[str], *, durable: bool = False) -> None:
    """Write ``content`` (a text, or lines without their newline) to ``path`` through a temporary file.

    A reader sees the old file or the new one, never half of it. ``durable`` also syncs it to disk before
    the replace, for pointers that must survive a power cut.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                for line in content:
                    handle.write(line + "\n")
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def fsync_tree(folder: Path) -> None:
    """Flush every file under ``folder`` to disk."""
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing); a second holder waits."""
    from filelock import FileLock

    with FileLock(str(path)):
        yield


@contextlib.contextmanager
def locked_folder(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file is left in it); a second holder waits."""
    import fcntl

    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
