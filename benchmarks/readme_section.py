"""Replacing one generated section of benchmarks/README.md (between its begin and end markers)."""

from __future__ import annotations

from pathlib import Path


def write_section(readme: Path, begin: str, end: str, section: str) -> None:
    """Put ``section`` (which starts with ``begin`` and ends with ``end``) in place of the old one, or append it."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    readme.write_text(text, encoding="utf-8")
