"""A Milvus Lite server for tests: `milvus-lite server` on a free loopback port, started and stopped here.

Milvus Lite installs from PyPI with medquote's test extra, so nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from medquote.index.milvus import LocalMilvus, free_port

MILVUS_LITE = Path(sys.executable).parent / "milvus-lite"

__all__ = ["MILVUS_LITE", "free_port", "milvus_lite", "require_milvus_lite"]


def require_milvus_lite() -> Path:
    """The `milvus-lite` command; skip without it, or fail on CI where it is part of the install."""
    if MILVUS_LITE.exists():
        return MILVUS_LITE
    message = f"milvus-lite not found at {MILVUS_LITE} (pip install -e '.[test]')"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required when CI=true)")
    pytest.skip(message)


def milvus_lite(data_dir: Path) -> LocalMilvus:
    """A server over ``data_dir`` on a free port (not started)."""
    return LocalMilvus(data_dir, command=require_milvus_lite())
