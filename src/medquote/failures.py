"""What the CLI says, in one line, about a failure medquote did not raise on purpose: the operating
system's (permissions, disk full, a file where a folder is expected, …), a damaged database, a file that
is not UTF-8, or anything else. Each line says what happened and what to do. Imports nothing of medquote."""

from __future__ import annotations

import errno
import os
import sqlite3

__all__ = ["describe"]

FULL = {
    errno.ENOSPC: "no space left on the device; free some space (or use a folder on another disk) and run it again",
    errno.EFBIG: "a file grew past the file-size limit (ulimit -f); raise the limit and run it again",
    errno.EDQUOT: "the disk quota is exceeded; free some space or raise the quota and run it again",
}


def _where(exc: OSError) -> str:
    names = [str(name) for name in (exc.filename, exc.filename2) if name is not None]
    return f"{' -> '.join(names)}: " if names else ""


def _os_error(exc: OSError) -> str:
    where = _where(exc)
    if exc.errno in FULL:
        return where + FULL[exc.errno]
    if isinstance(exc, PermissionError):
        return f"{where}permission denied; check its permissions (and its folder's), or pass a folder you can write"
    if isinstance(exc, IsADirectoryError):
        return f"{where}a folder where a file was expected; name a file instead"
    if isinstance(exc, NotADirectoryError):
        return f"{where}a file stands where a folder was expected; check that --index and --corpus name folders"
    if isinstance(exc, FileNotFoundError):
        return f"{where}no such file or folder; check the path (it may have been moved or deleted meanwhile)"
    return f"{where}{exc.strerror or exc}; check the path and run it again"


def _full_in_text(text: str) -> str | None:
    """Libraries that write files themselves (FAISS) report a full disk in their own exception's text."""
    return next((said for number, said in FULL.items() if os.strerror(number) in text), None)


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
    full = _full_in_text(detail)
    if full is not None:
        return f"writing failed ({type(exc).__name__}): {full}"
    return f"unexpected {type(exc).__name__}: {detail}; rerun with --verbose for details"
