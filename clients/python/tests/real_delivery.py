"""A real delivery from the mock, as a receiver gets it: the raw body and the Sign header."""

import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Capture:
    """A receiver of the test's own that keeps the raw body and Sign header of the first delivery."""

    def __init__(self):
        self.delivery = None
        self.arrived = threading.Event()
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if capture.delivery is None:
                    capture.delivery = (body, self.headers["Sign"])
                    capture.arrived.set()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def real_delivery(calypso_mock):
    """The raw body and Sign of a delivery the mock made, and the subscription's secret."""
    capture = Capture()
    try:
        channel = calypso_mock.call("subscription/webhook/create", {
            "requestId": str(uuid.uuid4()), "notificationEventTypes": ["CUSTOMER_PURSE_MEM_POOL_FOUND"], "url": capture.url,
        })
        customer = calypso_mock.call("customer-purse/customer/create", {})
        calypso_mock.deposit(customer["id"], "BTC", 0.5, stop_at="MEM_POOL_FOUND")
        assert capture.arrived.wait(30), "the mock delivered nothing to the capturing receiver"
        body, sign = capture.delivery
        yield body, sign, channel["secretKey"]
    finally:
        capture.server.shutdown()
        capture.server.server_close()
