"""JSON over HTTP with urllib: /api/v1 calls signed per account, /_mock calls with the admin token."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Mapping

from .errors import CalypsoError
from .signing import sign

#: Enough for the longest long poll the server accepts (120 s) and then some.
_REQUEST_TIMEOUT_S = 150.0


def _send(request: urllib.request.Request, timeout: float) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode("utf-8")
            return json.loads(text) if text else None
    except urllib.error.HTTPError as err:
        raw = err.read().decode("utf-8", "replace")
        err.close()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        raise CalypsoError(err.code, str(body.get("errorCode", err.code)), str(body.get("message", raw or err.reason)), body.get("traceId")) from None


class MockHttp:
    """One server, seen from a test: `get`/`post`/`delete` on /_mock, `call` on /api/v1."""

    def __init__(self, url: str, admin_token: str | None = None) -> None:
        self.url = url.rstrip("/")
        self._auth = {} if admin_token is None else {"Authorization": f"Bearer {admin_token}"}

    def _mock(self, method: str, path: str, query: Mapping[str, Any] | None, body: Any, timeout: float) -> Any:
        given = {k: v for k, v in (query or {}).items() if v is not None}
        search = "" if not given else "?" + urllib.parse.urlencode(given)
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = dict(self._auth)
        if data is not None:
            headers["Content-Type"] = "application/json"
        return _send(urllib.request.Request(f"{self.url}/_mock/{path}{search}", data=data, headers=headers, method=method), timeout)

    def get(self, path: str, timeout: float = _REQUEST_TIMEOUT_S, **query: Any) -> Any:
        return self._mock("GET", path, query, None, timeout)

    def post(self, path: str, body: Any = None) -> Any:
        return self._mock("POST", path, None, {} if body is None else body, _REQUEST_TIMEOUT_S)

    def delete(self, path: str, **query: Any) -> Any:
        return self._mock("DELETE", path, query, None, _REQUEST_TIMEOUT_S)

    def call(self, path: str, payload: Any, account: str, api_key: str, api_secret: str, method: str = "POST") -> Any:
        """A signed request to /api/v1/<path>: the envelope is serialised once and its exact bytes signed."""
        envelope: dict[str, Any] = {"account": account, "timestamp": int(time.time() * 1000)}
        if payload is not None:
            envelope["payload"] = payload
        body = json.dumps(envelope, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json", "Key": api_key, "Sign": sign(body, api_secret)}
        url = f"{self.url}/api/v1/{path.lstrip('/')}"
        return _send(urllib.request.Request(url, data=body, headers=headers, method=method), _REQUEST_TIMEOUT_S)
