"""What the chat server exposes: uploads are refused (the app takes no files) and a port in use is one line."""

from __future__ import annotations

import socket

import httpx
import pytest
from ports import free_port

from medquote.errors import UsageError
from medquote.ui.app import build_app, launch
from medquote.ui.network import check_port

TWENTY_MB = 20 * 1024 * 1024


@pytest.fixture
def running_app(fake_assistant, tmp_path):
    demo = build_app(fake_assistant, feedback_path=tmp_path / "feedback.jsonl")
    url = launch(demo, port=free_port(), prevent_thread_lock=True, quiet=True)
    try:
        yield url.rstrip("/")
    finally:
        demo.close()


@pytest.mark.parametrize("size", [TWENTY_MB, 10])
def test_an_anonymous_upload_is_refused_and_no_temp_path_is_returned(running_app, size):
    files = {"files": ("big.bin", b"\0" * size, "application/octet-stream")}
    response = httpx.post(f"{running_app}/gradio_api/upload", files=files, timeout=60)
    assert response.status_code == 403
    assert "/tmp" not in response.text and "gradio" not in response.text.lower()


def test_the_chat_still_answers_on_the_running_app(running_app):
    """Refusing uploads leaves the API working."""
    response = httpx.post(f"{running_app}/gradio_api/call/ask", json={"data": ["What are the symptoms of asthma?"]})
    assert response.status_code == 200 and "event_id" in response.json()


def test_check_port_names_a_port_in_use_and_what_to_do():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(UsageError, match=f"port {port} on 127.0.0.1 is already in use.*--port"):
            check_port("127.0.0.1", port)
    check_port("127.0.0.1", port)  # free again: no error


def test_check_port_says_when_the_address_is_not_this_machines():
    with pytest.raises(UsageError, match="cannot serve on 192.0.2.1:.*pass --host"):
        check_port("192.0.2.1", free_port())  # TEST-NET-1: never a local address
