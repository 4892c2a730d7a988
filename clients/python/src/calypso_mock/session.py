"""One server for a test session: the one at CALYPSO_MOCK_URL, or one started here, plus the receiver."""

from __future__ import annotations

import os
from typing import Any, Mapping, Optional

from .client import CalypsoMock
from .receiver import WebhookReceiver
from .server import ServerProcess
from .transport import MockHttp


class MockSession:
    """Opens accounts of their own on one server; `close()` stops what it started."""

    def __init__(self, url: str, admin_token: Optional[str] = None, process: Optional[ServerProcess] = None) -> None:
        self.http = MockHttp(url, admin_token)
        self.url = self.http.url
        self.process = process
        self.receiver = WebhookReceiver()

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> "MockSession":
        """CALYPSO_MOCK_URL when set, else a server started here; MOCK_ADMIN_TOKEN for /_mock when set."""
        token = env.get("MOCK_ADMIN_TOKEN") or None
        url = env.get("CALYPSO_MOCK_URL")
        if url:
            return cls(url, token)
        process = ServerProcess()
        try:
            return cls(process.url, token, process)
        except BaseException:
            process.stop()
            raise

    def open_account(self) -> CalypsoMock:
        return CalypsoMock.open(self.http, self.receiver)

    def close(self) -> None:
        self.receiver.close()
        if self.process is not None:
            self.process.stop()

    def __enter__(self) -> "MockSession":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
