"""A Milvus Lite server for tests: `milvus-lite server` on a free loopback port, started and stopped here.

Milvus Lite installs from PyPI with medquote's test extra, so nothing is downloaded at run time; without it
the tests that need a server skip, or fail when CI=true.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import require_data

from medquote.index.milvus import LocalMilvus, free_port

MILVUS_LITE = Path(sys.executable).parent / "milvus-lite"

__all__ = ["MILVUS_LITE", "free_port", "milvus_lite"]


def milvus_lite(data_dir: Path) -> LocalMilvus:
    """A server over ``data_dir`` on a free port (not started)."""
    return LocalMilvus(data_dir, command=require_data(MILVUS_LITE, "milvus-lite (pip install -e '.[test]')"))
