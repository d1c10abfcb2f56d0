"""What the chat exposes to the network: the address it binds (a port in use is said in one line, with
what to do) and the routes it refuses (uploads: the app takes no files)."""

from __future__ import annotations

import errno
import socket
from typing import Any

from medquote.errors import UsageError

__all__ = ["MAX_UPLOAD_BYTES", "UPLOAD_PATH", "bind_error", "check_port", "no_uploads"]

# The chat takes no files: Gradio's upload route is answered "forbidden" before Gradio sees it, and
# anything that still reaches Gradio's multipart parser may hold no more than this many bytes.
MAX_UPLOAD_BYTES = 0
UPLOAD_PATH = "/gradio_api/upload"


def no_uploads() -> list[Any]:
    """A route answering every upload with 403: nothing a stranger sends is stored, no temp path is returned."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    def refuse(request) -> PlainTextResponse:
        return PlainTextResponse("This app takes no files.", status_code=403)

    return [Route(UPLOAD_PATH, refuse, methods=["POST", "PUT"])]


def check_port(host: str, port: int) -> None:
    """A ``UsageError`` naming the port (and what to do) unless ``host:port`` can be served."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no obstacle
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise bind_error(host, port, exc) from exc


def bind_error(host: str, port: int, exc: OSError) -> UsageError:
    if exc.errno == errno.EADDRINUSE or "port" in str(exc).lower():
        return UsageError(
            f"port {port} on {host} is already in use (another medquote or another program); "
            f"stop that one, or pass --port with a free port, e.g. --port {port + 1 if port < 65535 else 8000}"
        )
    return UsageError(f"cannot serve on {host}:{port} ({exc.strerror or exc}); pass --host and --port this machine has")
