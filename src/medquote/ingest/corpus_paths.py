"""Where a source may live: inside the corpus folder, symlinks included, and never half-copied.

Every path the manifest names is resolved (``Path.resolve()`` follows symlinks) and must stay inside the
corpus folder, so a ``file = "/etc/passwd"``, a ``..`` escape or a symlink out of the corpus is refused
before anything reads it. Copies into the corpus go through a hidden staging name and are renamed into
place, so a killed ``sources add`` leaves only a staging leftover that the next one removes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from medquote.errors import ManifestError

# Staging copies are hidden (`.NAME.adding-PID.tmp`) so that `sources check` and the build never list them.
_STAGING_MARK = ".adding-"


def is_temporary(name: str) -> bool:
    """Hidden files and folders and ``*.tmp`` leftovers of interrupted writes, which are never sources."""
    return name.startswith(".") or name.endswith(".tmp")


def inside_corpus(directory: Path, file: str) -> Path:
    """The resolved path of the manifest's ``file``; a ``ManifestError`` if it (or a link in it) leaves the corpus."""
    root = directory.resolve()
    resolved = (directory / file).resolve()
    fix = "copy it in with `medquote sources add FILE` and list it by its name in the corpus folder"
    if Path(file).is_absolute():
        raise ManifestError(f"{file}: an absolute path, outside the corpus folder {root}; {fix}")
    if not resolved.is_relative_to(root):
        if _has_link(directory, file):
            raise ManifestError(
                f"{file}: a symlink to {resolved}, outside the corpus folder {root}; replace the link with a copy "
                f"of the file, or add the original with `medquote sources add {resolved}`"
            )
        raise ManifestError(f"{file}: resolves to {resolved}, outside the corpus folder {root}; {fix}")
    if resolved.is_dir():
        for link in _links(resolved):
            target = link.resolve()
            if not target.is_relative_to(root):
                raise ManifestError(
                    f"{file}: {link.relative_to(resolved)} is a symlink to {target}, outside the corpus folder "
                    f"{root}; replace it with the file itself"
                )
    return resolved


def _has_link(directory: Path, file: str) -> bool:
    path = directory
    for part in Path(file).parts:
        path = path / part
        if path.is_symlink():
            return True
    return False


def _links(folder: Path) -> list[Path]:
    links = []
    for parent, folders, files in os.walk(folder):
        links.extend(Path(parent) / name for name in (*folders, *files) if os.path.islink(os.path.join(parent, name)))
    return links


def staging_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{_STAGING_MARK}{os.getpid()}.tmp")


def clean_staging(directory: Path) -> list[Path]:
    """Remove the staging copies interrupted adds left behind (call while holding the corpus lock)."""
    leftovers = [p for p in directory.iterdir() if p.name.startswith(".") and _STAGING_MARK in p.name]
    for path in leftovers:
        _remove(path)
    return leftovers


def copy_into(source: Path, target: Path) -> None:
    """Copy a file or folder to ``target`` through a staging name: ``target`` appears whole or not at all."""
    staging = staging_path(target)
    try:
        if source.is_dir():
            shutil.copytree(source, staging)
        else:
            shutil.copy2(source, staging)
        staging.rename(target)
    except BaseException as exc:
        _remove(staging)
        if isinstance(exc, (OSError, shutil.Error)):
            raise ManifestError(
                f"{source}: cannot copy it into {target.parent} ({_reason(exc)}); "
                "check free space and permissions, then add it again (nothing was changed)"
            ) from exc
        raise


def delete(path: Path) -> None:
    """Delete a file or folder of the corpus (a symlink itself, never what it points to)."""
    _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        first = exc.args[0][0]
        return f"{first[0]}: {first[2]}" if len(first) == 3 else str(first)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__
