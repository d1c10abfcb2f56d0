"""A free loopback port, for every test and benchmark that starts a server (the chat, Milvus Lite)."""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
