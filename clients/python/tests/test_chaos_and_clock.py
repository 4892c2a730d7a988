import runpy
import time

import pytest

from calypso_mock import CalypsoError
from doc_files import doc_files

MEM_POOL = "CUSTOMER_PURSE_MEM_POOL_FOUND"
CREDITED = "CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED"
#: The whole retry ladder, 30 s to 125 430 s: 328 350 s.
LADDER_MS = 328_350_000


def settled(calypso_mock, count, timeout=10.0):
    """The account's deliveries once `count` of them are settled (the log records an attempt just after the receiver answers)."""
    deadline = time.monotonic() + timeout
    while True:
        log = calypso_mock.deliveries()
        if len([d for d in log if d["status"] != "pending"]) >= count or time.monotonic() > deadline:
            return log
        time.sleep(0.01)


def test_a_forged_signature_is_refused_by_the_receiver_and_retried(calypso_mock):
    fault = calypso_mock.webhook_fault("bad-signature", event_type=MEM_POOL)
    assert fault["kind"] == "bad-signature" and fault["account"] == calypso_mock.account and fault["times"] == 1
    customer = calypso_mock.call("customer-purse/customer/create", {})
    tx = calypso_mock.deposit(customer["id"], "BTC", 1, stop_at="MEM_POOL_FOUND")
    assert calypso_mock.wait_for_webhook(MEM_POOL, transaction_id=tx["id"])["id"] > 0
    [delivery] = settled(calypso_mock, 1)
    assert [(a["httpStatus"], [f["kind"] for f in a["faults"]]) for a in delivery["attempts"]] == [(401, ["bad-signature"]), (200, [])]


def test_a_duplicate_is_kept_once(calypso_mock):
    calypso_mock.webhook_fault("duplicate", event_type=CREDITED)
    customer = calypso_mock.call("customer-purse/customer/create", {})
    tx = calypso_mock.deposit(customer["id"], "BTC", 1)
    calypso_mock.wait_for_webhook(CREDITED, transaction_id=tx["id"])
    log = settled(calypso_mock, 5)
    copies = [d for d in log if d["redeliveryOf"] is not None]
    assert len(copies) == 1 and copies[0]["attempts"][0]["faults"][0]["kind"] == "duplicate"
    assert [e["eventType"] for e in calypso_mock.webhooks()].count(CREDITED) == 1


def test_until_cleared_and_a_bad_fault_is_refused(calypso_mock):
    fault = calypso_mock.webhook_fault("reorder", count=3, until_cleared=True)
    assert fault["untilCleared"] is True and fault["times"] is None
    with pytest.raises(CalypsoError) as refused:
        calypso_mock.webhook_fault("delay")
    assert refused.value.error_code == "001" and "delayMs" in refused.value.message
    assert calypso_mock.clear_webhook_faults() == {"cleared": 1, "released": 0}


def test_advancing_the_clock_runs_the_retry_ladder(calypso_mock):
    calypso_mock.webhook_fault("fail", until_cleared=True)
    customer = calypso_mock.call("customer-purse/customer/create", {})
    calypso_mock.deposit(customer["id"], "BTC", 1, stop_at="MEM_POOL_FOUND")
    before = calypso_mock.clock()["offsetMs"]
    advanced = calypso_mock.advance_clock(LADDER_MS)
    assert advanced["offsetMs"] == before + LADDER_MS
    [delivery] = calypso_mock.deliveries()
    assert delivery["status"] == "failed" and len(delivery["attempts"]) == 20
    assert calypso_mock.reset_clock()["offsetMs"] == 0
    calypso_mock.clear_webhook_faults()


def test_the_python_recipe_of_docs_test_clock_runs_as_written(tmp_path, calypso_mock):
    script = tmp_path / "test_outage.py"
    script.write_text(doc_files("test-clock.md")["test_outage.py"], encoding="utf-8")
    recipe = runpy.run_path(str(script))
    recipe["test_a_receiver_that_never_answers_200_gets_exactly_20_attempts"](calypso_mock)
