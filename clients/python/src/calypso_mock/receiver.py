"""A webhook receiver of the fixture's own: each account's subscription delivers here."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Tuple

from .signing import verify_webhook
from .waits import WebhookWaits

#: The path deliveries are POSTed to.
PATH = "/calypso/webhooks"


class WebhookReceiver:
    """Listens on `host`:0 in a thread. Answers 200 to a delivery whose `Sign` verifies with the
    secret of the subscription named by its requestId, and hands the event to that subscription's
    waits; answers 401 to any other, so the mock records the failure and retries it, as Calypso would."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._routes: Dict[str, Tuple[str, WebhookWaits]] = {}
        self._lock = threading.Lock()
        self.rejected = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver._receive(self.path, body, self.headers)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the signature http.server calls)
                pass

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="calypso-mock-receiver", daemon=True)
        self._thread.start()
        self.url = f"http://{host}:{self._server.server_address[1]}{PATH}"

    def _receive(self, path: str, body: bytes, headers: object) -> int:
        if path != PATH:
            return 404
        try:
            event = json.loads(body.decode("utf-8"))
        except ValueError:
            event = None
        request_id = event.get("requestId") if isinstance(event, dict) and isinstance(event.get("id"), int) else None
        with self._lock:
            route = self._routes.get(request_id) if isinstance(request_id, str) else None
        if event is None or route is None or not verify_webhook(body, headers, route[0]):  # type: ignore[arg-type]
            with self._lock:
                self.rejected += 1
            return 401
        route[1].add(event)
        return 200

    def route(self, request_id: str, secret: str, waits: WebhookWaits) -> None:
        """Deliveries of the subscription `request_id` are verified with `secret` and go to `waits`."""
        with self._lock:
            self._routes[request_id] = (secret, waits)

    def unroute(self, request_id: str) -> None:
        with self._lock:
            self._routes.pop(request_id, None)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
