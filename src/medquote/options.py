"""Argument types for numeric command-line options: a value out of range is refused when the command line
is read, with one line saying which values are allowed. Imports nothing of medquote."""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["whole_number"]


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An ``argparse`` type accepting a whole number from ``low`` to ``high`` (no upper bound if None)."""
    allowed = f"a whole number from {low} to {high}" if high is not None else f"a whole number of at least {low}"

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number; give {allowed}") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{value} is out of range; give {allowed}")
        return number

    parse.__name__ = "whole number"  # what argparse names the type in its own messages
    return parse
