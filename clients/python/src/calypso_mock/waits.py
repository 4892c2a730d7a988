"""One account's received events and the waits on them: each wait takes the event it returns."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, List, Optional

Event = Dict[str, Any]
Predicate = Callable[[Event], bool]


def matcher(event_type: str | None, customer_id: str | None, transaction_id: str | None) -> Predicate:
    """Every field given must match; ids compare in lowercase, as the mock writes them."""
    customer = None if customer_id is None else customer_id.lower()
    transaction = None if transaction_id is None else transaction_id.lower()

    def accepts(event: Event) -> bool:
        data = event.get("data") or {}
        return (event_type is None or event.get("eventType") == event_type) and \
            (customer is None or data.get("customerId") == customer) and \
            (transaction is None or data.get("transactionId") == transaction)
    return accepts


class WebhookWaits:
    """A wait returns the oldest kept event that matches and that no earlier wait returned, whether it
    arrived before the wait or arrives during it; that event is then taken, so a later wait never
    returns it again. Each event is kept once, by id (deliveries are at least once)."""

    def __init__(self) -> None:
        self._events: List[Event] = []
        self._kept: set[int] = set()
        self._taken: set[int] = set()
        self._changed = threading.Condition()
        self._reset_at = 0

    def add(self, event: Event) -> None:
        with self._changed:
            if event["id"] <= self._reset_at or event["id"] in self._kept:
                return
            self._kept.add(event["id"])
            self._events.append(event)
            self._changed.notify_all()

    def wait(self, accepts: Predicate, timeout: float) -> Optional[Event]:
        """The event, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = next((e for e in self._events if e["id"] not in self._taken and accepts(e)), None)
                if found is not None:
                    self._taken.add(found["id"])
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)

    def events(self) -> List[Event]:
        with self._changed:
            return list(self._events)

    def clear(self, last_event_id: int = 0) -> None:
        """Forgets every event; one of `last_event_id` or older, still in flight at a reset, is dropped when it arrives."""
        with self._changed:
            self._reset_at = max(self._reset_at, last_event_id)
            self._events.clear()
            self._kept.clear()
            self._taken.clear()
