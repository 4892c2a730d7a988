import re
import time

import pytest

from calypso_mock import CalypsoError, WebhookTimeout

ACCOUNT = re.compile(r"0x[0-9a-f]{40}")
TRACE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
FLOW = [
    "CUSTOMER_PURSE_MEM_POOL_FOUND",
    "CUSTOMER_PURSE_PENDING_COMPLIANCE",
    "CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE",
    "CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED",
]


def new_customer(calypso_mock, **fields):
    return calypso_mock.call("customer-purse/customer/create", {"email": "erin@example.com", **fields})


def test_the_handle_names_its_server_and_credentials(calypso_mock):
    assert calypso_mock.url.startswith("http://")
    assert calypso_mock.api_url == calypso_mock.url + "/api/v1"
    assert ACCOUNT.fullmatch(calypso_mock.account)
    assert calypso_mock.api_key and calypso_mock.api_secret and calypso_mock.webhook_secret


def test_each_handle_has_an_account_of_its_own(calypso_mock, calypso_mock_session):
    other = calypso_mock_session.open_account()
    try:
        assert other.account != calypso_mock.account and other.api_key != calypso_mock.api_key
        customer = new_customer(calypso_mock)
        with pytest.raises(CalypsoError) as refused:
            other.call("customer-purse/transaction/find", {"customerId": customer["id"], "pageNumber": 0, "pageSize": 10})
        assert refused.value.error_code == "004"
        tx = calypso_mock.deposit(customer["id"], "BTC", 1)
        calypso_mock.wait_for_webhook(FLOW[-1], transaction_id=tx["id"])
        assert other.webhooks() == []
    finally:
        other.close()


def test_call_signs_and_returns_the_json(calypso_mock):
    customer = new_customer(calypso_mock, description="vip")
    assert customer["email"] == "erin@example.com" and customer["blocked"] is False
    assert calypso_mock.call("customer-purse/customer/update", {"id": customer["id"], "description": "gold"})["description"] == "gold"
    entry = calypso_mock.requests(limit=1)[0]
    assert entry["path"] == "/api/v1/customer-purse/customer/update"


def test_a_refusal_raises_calypso_error_with_code_message_and_trace_id(calypso_mock):
    with pytest.raises(CalypsoError) as refused:
        calypso_mock.call("customer-purse/address/get", {"customerId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "currency": "USDT_TRN"})
    assert refused.value.status == 400
    assert refused.value.error_code == "001"
    assert "currency" in refused.value.message
    assert TRACE_ID.fullmatch(refused.value.trace_id)
    with pytest.raises(CalypsoError) as missing:
        calypso_mock.call("customer-purse/customer/craete", {})
    assert (missing.value.status, missing.value.error_code) == (404, "004")


def test_a_mock_route_refusal_raises_calypso_error_too(calypso_mock):
    with pytest.raises(CalypsoError) as refused:
        calypso_mock.deposit("3fa85f64-5717-4562-b3fc-2c963f66afa6", "BTC", -1)
    assert refused.value.error_code == "001" and "amount" in refused.value.message


def test_a_deposit_delivers_its_flow_in_order(calypso_mock):
    customer = new_customer(calypso_mock)
    tx = calypso_mock.deposit(customer["id"], "USDT_TRX", 125.5)
    assert tx["transactionState"] == "CONFIRMED"
    events = [calypso_mock.wait_for_webhook(transaction_id=tx["id"]) for _ in FLOW]
    assert [e["eventType"] for e in events] == FLOW
    assert all(e["data"]["amount"] == 125.5 and e["data"]["customerId"] == customer["id"] for e in events)
    assert calypso_mock.webhooks() == events


def test_each_wait_takes_its_event_once(calypso_mock):
    customer = new_customer(calypso_mock)
    first = calypso_mock.deposit(customer["id"], "BTC", 1)
    second = calypso_mock.deposit(customer["id"], "BTC", 2)
    taken = [calypso_mock.wait_for_webhook(FLOW[2], customer_id=customer["id"].upper()) for _ in range(2)]
    assert [e["data"]["transactionId"] for e in taken] == [first["id"], second["id"]]
    with pytest.raises(WebhookTimeout) as nothing_left:
        calypso_mock.wait_for_webhook(FLOW[2], customer_id=customer["id"], timeout=0.2)
    assert "received: " + FLOW[0] in str(nothing_left.value)
    assert "failed deliveries" not in str(nothing_left.value)


def test_block_and_unblock_show_in_the_events(calypso_mock):
    customer = new_customer(calypso_mock)
    assert calypso_mock.block(customer["id"])["blocked"] is True
    blocked = calypso_mock.deposit(customer["id"], "ETH", 3)
    assert calypso_mock.wait_for_webhook(FLOW[2], transaction_id=blocked["id"])["data"]["customerBlocked"] is True
    assert calypso_mock.unblock(customer["id"])["blocked"] is False
    unblocked = calypso_mock.deposit(customer["id"], "ETH", 4)
    assert calypso_mock.wait_for_webhook(FLOW[2], transaction_id=unblocked["id"])["data"]["customerBlocked"] is False


def test_a_declined_deposit_and_a_paused_one(calypso_mock):
    customer = new_customer(calypso_mock)
    declined = calypso_mock.deposit(customer["id"], "LTC", 5, outcome="DECLINED")
    assert declined["transactionState"] == "DECLINED"
    assert calypso_mock.wait_for_webhook("CUSTOMER_PURSE_COMPLIANCE_DECLINED")["data"]["transactionId"] == declined["id"]

    paused = calypso_mock.deposit(customer["id"], "BTC", 6, stop_at="PENDING_COMPLIANCE_CHECK")
    assert paused["transactionState"] == "PENDING_COMPLIANCE_CHECK"
    calypso_mock.wait_for_webhook(FLOW[1], transaction_id=paused["id"])
    assert calypso_mock.advance(paused["id"])["transactionState"] == "CONFIRMED"
    assert calypso_mock.wait_for_webhook(FLOW[3], transaction_id=paused["id"])["data"]["amount"] == 6


def test_an_expired_purse(calypso_mock):
    customer = new_customer(calypso_mock)
    purse = calypso_mock.call("customer-purse/address/get", {"customerId": customer["id"], "currency": "TRX"})
    assert calypso_mock.expire_purse(purse["id"])["status"] == "ARCHIVED"
    assert calypso_mock.wait_for_webhook("CUSTOMER_PURSE_EXPIRED")["data"]["purseId"] == purse["id"]


def test_an_injected_api_fault(calypso_mock):
    calypso_mock.fault("customer-purse/customer/create", errorCode="000", times=1)
    with pytest.raises(CalypsoError) as down:
        new_customer(calypso_mock)
    assert down.value.error_code == "000"
    assert new_customer(calypso_mock)["email"] == "erin@example.com"


def first_failed_attempt(calypso_mock, deadline_s=10.0):
    """The positive signal that a failing delivery was tried: its first attempt in the log."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        tried = [d for d in calypso_mock.deliveries() if d["attempts"]]
        if tried:
            return tried
        time.sleep(0.02)
    raise AssertionError("no delivery attempt was recorded")


def test_a_timed_out_wait_names_the_failed_deliveries(calypso_mock):
    calypso_mock.fail_webhooks(times=1000, status=503)
    customer = new_customer(calypso_mock)
    calypso_mock.deposit(customer["id"], "BTC", 1, stop_at="MEM_POOL_FOUND")
    first_failed_attempt(calypso_mock)
    with pytest.raises(WebhookTimeout) as timed_out:
        calypso_mock.wait_for_webhook(FLOW[0], timeout=0.1)
    message = str(timed_out.value)
    assert "received: none" in message
    assert f"failed deliveries: {FLOW[0]}#" in message and "HTTP 503" in message
    assert timed_out.value.failed_deliveries[0]["eventType"] == FLOW[0]


def test_a_failing_receiver_recovers_and_the_wait_gets_the_retry(calypso_mock):
    calypso_mock.fail_webhooks(times=2)
    customer = new_customer(calypso_mock)
    tx = calypso_mock.deposit(customer["id"], "BTC", 1, stop_at="MEM_POOL_FOUND")
    # The third attempt lands after two retries: 30 and 30 s, times the server's retry scale.
    if calypso_mock.deliveries()[0]["nextAttemptAt"] is not None and _retry_scale_is_real(calypso_mock):
        pytest.skip("the server at CALYPSO_MOCK_URL retries on Calypso's real schedule (30 s)")
    assert calypso_mock.wait_for_webhook(FLOW[0], transaction_id=tx["id"], timeout=30)["id"] > 0
    assert [a["httpStatus"] for a in calypso_mock.deliveries()[0]["attempts"]] == [500, 500, 200]


def _retry_scale_is_real(calypso_mock):
    first_failed_attempt(calypso_mock)
    delivery = calypso_mock.deliveries()[0]
    if delivery["nextAttemptAt"] is None:
        return False
    started = delivery["attempts"][-1]["startedAt"]
    return _seconds(delivery["nextAttemptAt"]) - _seconds(started) >= 1


def _seconds(iso):
    from datetime import datetime
    return datetime.strptime(iso.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def test_reset_empties_the_account_and_webhooks_still_arrive(calypso_mock):
    customer = new_customer(calypso_mock)
    calypso_mock.deposit(customer["id"], "BTC", 1)
    calypso_mock.wait_for_webhook(FLOW[3])
    calypso_mock.reset()
    assert calypso_mock.webhooks() == []
    with pytest.raises(CalypsoError):
        calypso_mock.call("customer-purse/customer/block", {"customerId": customer["id"]})
    again = new_customer(calypso_mock)
    tx = calypso_mock.deposit(again["id"], "BTC", 2)
    assert calypso_mock.wait_for_webhook(FLOW[3])["data"]["transactionId"] == tx["id"]


def test_close_deletes_the_receivers_subscription(calypso_mock_session):
    handle = calypso_mock_session.open_account()
    assert len(handle.call("subscription/webhook")["subscriptions"]) >= 1
    request_id = handle._request_id
    handle.close()
    remaining = [s["requestId"] for s in handle.call("subscription/webhook")["subscriptions"]]
    assert request_id not in remaining
    handle.close()  # a second close does nothing


def test_the_http_wait_says_when_nothing_is_subscribed(calypso_mock_session):
    """GET /_mock/webhooks/wait on an account that nothing delivers for: its 408 says why it is empty."""
    bare = calypso_mock_session.http.post("accounts", {})  # no receiver subscription, unlike the fixture's
    with pytest.raises(CalypsoError) as empty:
        calypso_mock_session.http.get("webhooks/wait", account=bare["account"], timeoutMs=20)
    assert (empty.value.status, empty.value.error_code) == (408, "004")
    assert f"account {bare['account']} has no webhook subscription" in empty.value.message
    assert "WEBHOOK_URL" in empty.value.message and "subscription/webhook/create" in empty.value.message


def test_a_deposit_to_an_address(calypso_mock):
    customer = new_customer(calypso_mock)
    purse = calypso_mock.call("customer-purse/address/get", {"customerId": customer["id"], "currency": "USDT_TRX"})
    tx = calypso_mock.deposit(None, "USDT_TRX", 7, address=purse["address"])
    assert tx["customerId"] == customer["id"]
    assert calypso_mock.wait_for_webhook(FLOW[3], customer_id=customer["id"])["data"]["transactionId"] == tx["id"]


def test_a_snapshot_restores_the_account_and_waits_see_only_later_events(calypso_mock):
    customer = calypso_mock.call("customer-purse/customer/create", {"email": "seeded@example.com"})
    seeded = calypso_mock.deposit(customer["id"], "BTC", 1)
    calypso_mock.wait_for_webhook("CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED", transaction_id=seeded["id"])
    saved = calypso_mock.snapshot("seeded")
    assert (saved["name"], saved["customers"], saved["transactions"], saved["deliveries"]) == ("seeded", 1, 1, 4)
    with pytest.raises(CalypsoError) as refused:
        calypso_mock.snapshot("seeded")
    assert refused.value.error_code == "001" and "exists already" in refused.value.message

    calypso_mock.block(customer["id"])
    calypso_mock.call("customer-purse/customer/create", {})
    calypso_mock.restore("seeded")
    found = calypso_mock.call("customer-purse/transaction/find", {"pageNumber": 0, "pageSize": 10})
    assert [tx["id"] for tx in found["result"]] == [seeded["id"]]
    assert calypso_mock.unblock(customer["id"])["blocked"] is False
    assert calypso_mock.webhooks() == []

    later = calypso_mock.deposit(customer["id"], "BTC", 2)
    event = calypso_mock.wait_for_webhook("CUSTOMER_PURSE_MEM_POOL_FOUND")
    assert event["data"]["transactionId"] == later["id"]

    assert [s["name"] for s in calypso_mock.snapshots()] == ["seeded"]
    calypso_mock.delete_snapshot("seeded")
    assert calypso_mock.snapshots() == []
