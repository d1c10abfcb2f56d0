"""medquote's browser chat: ``python app.py [--index index/] [--port 7860]`` is ``medquote serve``.

``build_app(assistant)`` returns the ``gr.Blocks`` without launching anything, for tests and embedding.
"""

from __future__ import annotations

import sys

from medquote.cli import main as medquote_main
from medquote.ui.app import build_app

__all__ = ["build_app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Serve the chat (the options of ``medquote serve``) until interrupted; returns the exit code."""
    return medquote_main(["serve", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
