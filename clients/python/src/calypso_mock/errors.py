"""What the client raises."""

from __future__ import annotations

from typing import Any, Sequence


class CalypsoError(Exception):
    """A refusal in Calypso's error body: `errorCode` (e.g. "004" for not found), `message`, `traceId`."""

    def __init__(self, status: int, error_code: str, message: str, trace_id: str | None) -> None:
        super().__init__(f"{error_code}: {message}" + ("" if trace_id is None else f" (traceId {trace_id})"))
        self.status = status
        self.error_code = error_code
        self.message = message
        self.trace_id = trace_id


def describe_events(events: Sequence[dict[str, Any]]) -> str:
    return ", ".join(f"{e.get('eventType')}#{e.get('id')}" for e in events) or "none"


def describe_failed(delivery: dict[str, Any]) -> str:
    attempts = delivery.get("attempts") or []
    last = attempts[-1] if attempts else {}
    why = last.get("error") or (f"HTTP {last['httpStatus']}" if last.get("httpStatus") is not None else "not attempted")
    state = "failed for good" if delivery.get("status") == "failed" else f"next attempt {delivery.get('nextAttemptAt')}"
    return f"{delivery.get('eventType')}#{delivery.get('eventId')} to {delivery.get('url')}: {why} after {len(attempts)} attempt(s), {state}"


class WebhookTimeout(AssertionError):
    """No matching webhook arrived in time. Says what did arrive, and which deliveries failed."""

    def __init__(self, timeout: float, received: Sequence[dict[str, Any]], failed: Sequence[dict[str, Any]]) -> None:
        message = f"no matching webhook within {timeout:g} s; received: {describe_events(received)}"
        if failed:
            message += "; failed deliveries: " + "; ".join(describe_failed(d) for d in failed)
        super().__init__(message)
        self.timeout = timeout
        self.received = list(received)
        self.failed_deliveries = list(failed)
