"""A Milvus Lite server for tests: `milvus-lite server` on a free loopback port, started and stopped here.

Milvus Lite installs from PyPI with medquote (it is a dependency), so nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

MILVUS_LITE = Path(sys.executable).parent / "milvus-lite"


def require_milvus_lite() -> Path:
    """The `milvus-lite` command; skip without it, or fail on CI where it is part of the install."""
    if MILVUS_LITE.exists():
        return MILVUS_LITE
    message = f"milvus-lite not found at {MILVUS_LITE} (pip install -e '.[test]')"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required when CI=true)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MilvusLite:
    """One server process over ``data_dir`` on ``port``; ``stop`` and ``start`` again keep the data."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.command = require_milvus_lite()
        self.data_dir = data_dir
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> MilvusLite:
        command = [str(self.command), "server", "--data-dir", str(self.data_dir), "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), "--max-workers", "4"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"milvus-lite server exited with {self.process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"milvus-lite server did not listen on port {self.port} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
