"""A running mock seen through one merchant account of its own."""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Any, Dict, List, Optional

from .errors import CalypsoError, WebhookTimeout
from .receiver import WebhookReceiver
from .transport import MockHttp
from .waits import Event, WebhookWaits, matcher

Json = Dict[str, Any]

#: Every customer purse event, to the fixture's receiver.
_SERVICE_TYPES = ["CUSTOMER_PURSE"]


class CalypsoMock:
    """One account on a mock: its credentials, signed API calls, the /_mock controls for its data,
    and waits on the webhooks its own subscription delivers to the fixture's receiver."""

    def __init__(self, http: MockHttp, credentials: Json, receiver: WebhookReceiver) -> None:
        self._http = http
        self._receiver = receiver
        self._waits = WebhookWaits()
        self._request_id: Optional[str] = None
        self.url: str = http.url
        self.api_url: str = f"{http.url}/api/v1"
        self.account: str = credentials["account"]
        self.api_key: str = credentials["apiKey"]
        self.api_secret: str = credentials["apiSecret"]
        #: The secret that signs the deliveries to the fixture's receiver.
        self.webhook_secret: str = ""

    @classmethod
    def open(cls, http: MockHttp, receiver: WebhookReceiver) -> "CalypsoMock":
        """A new account (POST /_mock/accounts), subscribed to every customer purse event at `receiver`."""
        handle = cls(http, http.post("accounts", {}), receiver)
        handle._subscribe()
        return handle

    def _subscribe(self) -> None:
        request_id = str(uuid.uuid4())
        channel = self.call("subscription/webhook/create", {
            "requestId": request_id, "notificationServiceTypes": _SERVICE_TYPES, "url": self._receiver.url,
        })
        self.webhook_secret = channel["secretKey"]
        self._receiver.route(request_id, self.webhook_secret, self._waits)
        self._request_id = request_id

    # The Calypso API
    def call(self, path: str, payload: Any = None, method: str = "POST") -> Any:
        """A correctly signed request to /api/v1/<path> (POST; webhook delete is a DELETE); returns the
        JSON answer, raises CalypsoError on a refusal."""
        return self._http.call(path, payload, self.account, self.api_key, self.api_secret, method)

    def block(self, customer_id: str) -> Json:
        return self.call("customer-purse/customer/block", {"customerId": customer_id})  # type: ignore[no-any-return]

    def unblock(self, customer_id: str) -> Json:
        return self.call("customer-purse/customer/unblock", {"customerId": customer_id})  # type: ignore[no-any-return]

    # /_mock: one method per route
    def deposit(self, customer_id: Optional[str], currency: str, amount: float, outcome: Optional[str] = None,
                stop_at: Optional[str] = None, **fields: Any) -> Json:
        """Fakes an incoming deposit (POST /_mock/deposits); `fields` takes the others: addressFrom,
        transactionHash, or address (with customer_id None) to deposit to an address."""
        body = {"customerId": customer_id, "currency": currency, "amount": amount, "outcome": outcome, "stopAt": stop_at, **fields}
        return self._http.post("deposits", {k: v for k, v in body.items() if v is not None})  # type: ignore[no-any-return]

    def advance(self, transaction_id: str, stop_at: Optional[str] = None) -> Json:
        """Moves a paused deposit on, to the end or to a later `stop_at` (POST /_mock/transactions/{id}/advance)."""
        return self._http.post(f"transactions/{transaction_id}/advance", {} if stop_at is None else {"stopAt": stop_at})  # type: ignore[no-any-return]

    def expire_purse(self, purse_id: str) -> Json:
        """Expires a purse now, with CUSTOMER_PURSE_EXPIRED (POST /_mock/purses/{id}/expire)."""
        return self._http.post(f"purses/{purse_id}/expire")  # type: ignore[no-any-return]

    def fault(self, path: str, **spec: Any) -> Json:
        """The next calls to `path` by this account answer as told: errorCode, status, body, delayMs, times (POST /_mock/faults)."""
        return self._http.post("faults", {**spec, "path": path, "account": self.account})  # type: ignore[no-any-return]

    def fail_webhooks(self, times: int = 1, status: Optional[int] = None) -> Json:
        """The next `times` deliveries of this account's events fail with `status` (500) and are retried (POST /_mock/webhooks/faults)."""
        body = {"account": self.account, "times": times, **({} if status is None else {"status": status})}
        return self._http.post("webhooks/faults", body)  # type: ignore[no-any-return]

    def webhook_fault(self, kind: str = "fail", *, event_type: Optional[str] = None, delay_ms: Optional[int] = None,
                      count: Optional[int] = None, status: Optional[int] = None, times: Optional[int] = None,
                      until_cleared: bool = False) -> Json:
        """Delivery chaos on this account's webhooks (POST /_mock/webhooks/faults): kind "duplicate",
        "reorder" (count), "delay" (delay_ms), "bad-signature", "stale" or "fail" (status), for `times`
        uses (1) or until cleared. See docs/delivery-chaos.md."""
        body = {"kind": kind, "account": self.account, "eventType": event_type, "delayMs": delay_ms, "count": count,
                "status": status, "times": times, "untilCleared": True if until_cleared else None}
        return self._http.post("webhooks/faults", {k: v for k, v in body.items() if v is not None})  # type: ignore[no-any-return]

    def clear_webhook_faults(self) -> Json:
        """Clears this account's webhook faults; events a reorder fault holds are sent at once: {cleared, released}."""
        return self._http.delete("webhooks/faults", account=self.account)  # type: ignore[no-any-return]

    def clock(self) -> Json:
        """This account's test clock: {account, now, offsetMs} (GET /_mock/clock)."""
        return self._http.get("clock", account=self.account)  # type: ignore[no-any-return]

    def advance_clock(self, ms: int) -> Json:
        """Moves this account's clock `ms` on; returns once what fell due on the way (webhook retries, purse
        expiry, deposit steps) has fired, with the clock and `fired` (POST /_mock/clock/advance)."""
        return self._http.post("clock/advance", {"ms": ms, "account": self.account})  # type: ignore[no-any-return]

    def reset_clock(self) -> Json:
        """Puts this account's clock back on the machine's (POST /_mock/clock/reset)."""
        return self._http.post("clock/reset", {"account": self.account})  # type: ignore[no-any-return]

    def deliveries(self, **query: Any) -> List[Json]:
        """This account's deliveries with every attempt, newest first (GET /_mock/webhooks/deliveries)."""
        return self._http.get("webhooks/deliveries", account=self.account, **query)["deliveries"]  # type: ignore[no-any-return]

    def requests(self, **query: Any) -> List[Json]:
        """The server's request journal, newest first (GET /_mock/requests)."""
        return self._http.get("requests", **query)["requests"]  # type: ignore[no-any-return]

    def reset(self) -> None:
        """Empties this account's data (POST /_mock/reset with the account); its waits start afresh."""
        last = self._http.post("reset", {"account": self.account})["lastEventId"]
        self._waits.clear(last)
        # The reset deleted the account's API subscriptions, the receiver's among them.
        self._unsubscribe_locally()
        self._subscribe()

    # Snapshots of this account's data
    def snapshot(self, name: str, replace: bool = False) -> Json:
        """Saves this account's data under `name` (POST /_mock/snapshots); refused while a delivery is
        pending, and for a name in use unless `replace`."""
        body: Json = {"name": name, "account": self.account}
        if replace:
            body["replace"] = True
        return self._http.post("snapshots", body)  # type: ignore[no-any-return]

    def restore(self, name: str) -> None:
        """Puts this account's data back as the snapshot saved it; later waits see only newer events."""
        last = self._http.post(f"snapshots/{urllib.parse.quote(name, safe='')}/restore", {"account": self.account})["lastEventId"]
        self._waits.clear(last)

    def snapshots(self) -> List[Json]:
        """This account's snapshots, oldest first (GET /_mock/snapshots)."""
        return self._http.get("snapshots", account=self.account)["snapshots"]  # type: ignore[no-any-return]

    def delete_snapshot(self, name: str) -> None:
        self._http.delete(f"snapshots/{urllib.parse.quote(name, safe='')}", account=self.account)

    # Webhooks
    def wait_for_webhook(self, event_type: Optional[str] = None, customer_id: Optional[str] = None,
                         transaction_id: Optional[str] = None, timeout: float = 10.0) -> Event:
        """The oldest event of this account that matches and that no earlier wait of this handle
        returned, whether it arrived before the call or arrives within `timeout` seconds. Raises
        WebhookTimeout naming what did arrive and the deliveries that failed."""
        found = self._waits.wait(matcher(event_type, customer_id, transaction_id), timeout)
        if found is not None:
            return found
        failed = [d for d in self.deliveries() if d["status"] == "failed" or (d["status"] == "pending" and d["attempts"])]
        raise WebhookTimeout(timeout, self._waits.events(), failed)

    def webhooks(self) -> List[Event]:
        """Every verified event of this account the receiver kept, whether a wait took it or not."""
        return self._waits.events()

    def _unsubscribe_locally(self) -> None:
        if self._request_id is not None:
            self._receiver.unroute(self._request_id)
            self._request_id = None

    def close(self) -> None:
        """Deletes the receiver's subscription (its pending deliveries are cancelled); the account stays."""
        request_id = self._request_id
        self._unsubscribe_locally()
        if request_id is None:
            return
        try:
            self.call("subscription/webhook", {"requestId": request_id}, method="DELETE")
        except CalypsoError as err:
            if err.error_code != "004":
                raise
