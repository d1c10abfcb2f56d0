"""What the CLI says, in one line, about a failure medquote did not raise on purpose: the operating
system's (permissions, disk full, a file where a folder is expected, …), a damaged database, a file that
is not UTF-8, or anything else. Each line says what happened and what to do. Imports nothing of medquote."""

from __future__ import annotations

import errno
import sqlite3

__all__ = ["describe"]


def _path(exc: OSError) -> str:
    names = [str(name) for name in (exc.filename, exc.filename2) if name is not None]
    return " -> ".join(names) if names else "a file or folder"


def _os_error(exc: OSError) -> str:
    path = _path(exc)
    if isinstance(exc, PermissionError):
        return f"{path}: permission denied; check its permissions (and its folder's), or pass a folder you can write"
    if exc.errno == errno.ENOSPC:
        return (
            f"{path}: no space left on the device; free some space (or use a folder on another disk) and run it again"
        )
    if exc.errno in (errno.EFBIG, errno.EDQUOT):
        return f"{path}: file too large for the file-size limit or quota (ulimit -f); raise the limit and run it again"
    if isinstance(exc, IsADirectoryError):
        return f"{path} is a folder where a file was expected; name a file instead"
    if isinstance(exc, NotADirectoryError):
        return f"{path}: a file stands where a folder was expected; check --index and --corpus name folders"
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such file or folder; check the path (it may have been moved or deleted meanwhile)"
    return f"{path}: {exc.strerror or exc}; check the path and run it again"


def describe(exc: Exception) -> str:
    """One line, ``what happened; what to do``, for an exception that is not a ``MedquoteError``."""
    if isinstance(exc, OSError):
        return _os_error(exc)
    if isinstance(exc, sqlite3.DatabaseError):
        return (
            f"a database file cannot be read ({exc}); it may be damaged: run `medquote build` again, or delete "
            "the index folder's cache/ if it persists"
        )
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"a file is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 "
            "(rerun with --verbose to see which) and run it again"
        )
    detail = " ".join(str(exc).split()) or "no message"
    return f"unexpected {type(exc).__name__}: {detail}; rerun with --verbose for details"
