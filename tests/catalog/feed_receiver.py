"""A real webhook receiver for the change-feed tests: an HTTP server on a free localhost port.

It checks each request exactly as docs/catalog.md tells a receiver to (HMAC-SHA256 of
``"<timestamp>.<body>"`` with its own copy of the secret, timestamp within five minutes), answers
with the next scripted status (401 for a bad signature), and records what it received.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """The receiver-side check of docs/catalog.md, written independently of govdata's code."""
    timestamp = headers.get("x-govdata-timestamp", "")
    signature = headers.get("x-govdata-signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = (
        "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    )
    return hmac.compare_digest(expected, signature)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str
    statuses: list[int] = field(default_factory=list)  # answers in order; 200 once they run out
    received: list[Received] = field(default_factory=list)
    url: str = ""

    @property
    def verified(self) -> list[Received]:
        return [r for r in self.received if r.verified]


@contextmanager
def receiver(secret: str, statuses: list[int] | None = None) -> Iterator[Receiver]:
    state = Receiver(secret=secret, statuses=list(statuses or []))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            ok = verify(state.secret, headers, body)
            with lock:
                state.received.append(Received(headers, body, ok))
                status = (state.statuses.pop(0) if state.statuses else 200) if ok else 401
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"no")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/govdata"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
