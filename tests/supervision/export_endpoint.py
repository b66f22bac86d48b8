"""A loopback stand-in of the provincial monitoring system's intake: it takes POSTed JSON
Lines batches, keeps each Idempotency-Key once (a batch sent again after a failure replaces
nothing), checks every line parses, and answers what a test asks for (ok, or refuse the next
n posts with 503)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Endpoint:
    def __init__(self):
        self.refuse = 0            # how many of the next posts answer 503
        self.posts: list[str] = []  # every key posted, accepted or not
        self.batches: dict[str, list[dict]] = {}  # accepted: key -> its events
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/province/events"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def lines(self) -> list[dict]:
        """Every event accepted, once per batch key (what the province holds)."""
        return [e for batch in self.batches.values() for e in batch]

    def take(self, path: str, headers, body: bytes) -> int:
        if path != "/province/events":
            return 404
        key = headers.get("Idempotency-Key")
        if not key or not headers.get("Content-Type", "").startswith("application/x-ndjson"):
            return 400
        with self._lock:
            self.posts.append(key)
            if self.refuse:
                self.refuse -= 1
                return 503
            try:
                events = [json.loads(line) for line in body.decode("utf-8").splitlines()]
            except ValueError:
                return 400
            self.batches[key] = events
        return 200

    def _handler(self):
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = endpoint.take(self.path, self.headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # quiet
                pass

        return Handler
