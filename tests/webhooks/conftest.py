from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Deliveries run at once; endpoints on 127.0.0.1 are allowed for the test server."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it receives."""

    url: str
    requests: list[dict] = field(default_factory=list)
    status: int = 200
    reply: str = '{"ok": true}'

    @property
    def events(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]


@pytest.fixture
def receiver():
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the stdlib's naming
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            box = state["receiver"]
            box.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": body}
            )
            payload = box.reply.encode()
            self.send_response(box.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_port}/hook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state["receiver"]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
