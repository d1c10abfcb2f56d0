"""A Milvus Lite server for tests and benchmarks: `milvus-lite server` on a free loopback port, started and
stopped here (test tooling, so not part of the product).

Milvus Lite installs from PyPI with medquote's test extra, so nothing is downloaded at run time; without it
the tests that need a server skip, or fail when CI=true.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from ports import free_port

MILVUS_LITE = Path(sys.executable).parent / "milvus-lite"

__all__ = ["MILVUS_LITE", "LocalMilvus", "milvus_lite"]


def milvus_lite(data_dir: Path) -> LocalMilvus:
    """A server over ``data_dir`` on a free port (not started)."""
    from conftest import require_data

    return LocalMilvus(data_dir, command=require_data(MILVUS_LITE, "milvus-lite (pip install -e '.[test]')"))


class LocalMilvus:
    """`milvus-lite server` over ``data_dir`` on a loopback ``port`` (a free one by default), for tests and
    benchmarks; ``stop`` and ``start`` again keep the data. Milvus Lite comes from PyPI (the test extra)."""

    def __init__(self, data_dir: Path, port: int | None = None, command: Path | None = None) -> None:
        self.command = command or MILVUS_LITE
        self.data_dir = data_dir
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> LocalMilvus:
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

    def memory_mb(self) -> tuple[float, float]:
        """The server's resident memory now and at its peak so far (MB), from /proc (Linux)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text() if self.process else ""
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return tuple(int(fields.get(name, "0 kB").split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))  # type: ignore[return-value]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
