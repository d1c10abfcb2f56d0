"""The engine options every command that reads or writes an index takes: ``--engine``, ``--uri``, ``--collection``.

Cheap to import (the CLI builds its parser from it): nothing here imports numpy or an engine.
"""

from __future__ import annotations

import argparse

from medquote.engines.base import EngineSpec
from medquote.errors import InputError
from medquote.settings import ENGINES, MILVUS_ALIAS


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine``, ``--uri`` and ``--collection``, the same on every command that reads or writes an index."""
    parser.add_argument(
        "--engine", choices=ENGINES, default="embedded", help="search engine (default: %(default)s, the index folder)"
    )
    parser.add_argument("--uri", default="", metavar="http://HOST:PORT", help="the Milvus server (--engine milvus)")
    parser.add_argument(
        "--collection",
        default=MILVUS_ALIAS,
        metavar="ALIAS",
        help="Milvus alias naming the live build (%(default)s)",
    )


def engine_spec(args: argparse.Namespace) -> EngineSpec:
    """The engine the options of ``add_engine_options`` name; a bad combination is a one-line error."""
    try:
        return EngineSpec(args.engine, args.uri, args.collection)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
