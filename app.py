"""medquote's browser chat. ``python app.py --index index/`` serves it on http://127.0.0.1:7860.

``build_app(assistant)`` returns the ``gr.Blocks`` without launching anything, for tests and embedding.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from medquote.errors import MedquoteError
from medquote.serve import build_app, serve

__all__ = ["build_app", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Serve the medquote chat in the browser.")
    parser.add_argument("--index", type=Path, default=Path("index"), help="built index folder (default: index)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, local only)")
    parser.add_argument("--port", type=int, default=7860, help="port (default: 7860)")
    parser.add_argument("--model", type=Path, default=None, help="embedding model folder (default: packaged)")
    parser.add_argument(
        "--feedback",
        type=Path,
        default=Path("data") / "feedback.jsonl",
        help="where thumbs up/down are appended (default: data/feedback.jsonl)",
    )
    parser.add_argument("--share", action="store_true", help="also publish a public gradio.live link")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Load the index and serve until interrupted. Returns the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from medquote.answer import Assistant

    try:
        assistant = Assistant.from_index(args.index, model=args.model)
    except MedquoteError as exc:
        print(f"medquote: {exc}", file=sys.stderr)
        return 1
    serve(assistant, host=args.host, port=args.port, feedback_path=args.feedback, share=args.share)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
