import os
import sys

import pytest

from calypso_mock import ServerProcess, server_command
from calypso_mock.server import SERVER_ARGS


def which_of(*found):
    return lambda name: f"/bin/{name}" if name in found else None


def test_the_command_is_calypso_mock_on_path_first():
    assert server_command(which_of("calypso-mock", "npx")) == ["/bin/calypso-mock"]


def test_else_npx_fetches_it():
    assert server_command(which_of("npx")) == ["/bin/npx", "--yes", "calypso-mock"]


def test_without_either_it_says_what_to_do():
    with pytest.raises(RuntimeError, match="CALYPSO_MOCK_URL"):
        server_command(which_of())


def fake_server(script):
    """A stand-in for the server: a Python process that runs `script` with the server's arguments."""
    return [sys.executable, "-c", script]


def test_the_port_is_read_from_the_start_up_line():
    listening = "import sys, time; print(sys.argv[1:], flush=True); " \
        "print('{\"level\":30,\"msg\":\"calypso-mock listening on http://127.0.0.1:45678 (API http://127.0.0.1:45678/api/v1)\"}', flush=True); time.sleep(60)"
    process = ServerProcess(fake_server(listening), timeout=30)
    try:
        assert process.url == "http://127.0.0.1:45678"
        assert str(SERVER_ARGS) in process.output[0]
        assert "--port', '0'" in process.output[0]
    finally:
        process.stop()
    assert process._process.returncode is not None


def test_a_server_that_exits_at_start_says_why():
    with pytest.raises(RuntimeError, match="did not start.*invalid configuration: PORT"):
        ServerProcess(fake_server("print('calypso-mock: invalid configuration: PORT'); raise SystemExit(1)"), timeout=30)


def test_the_session_started_a_server_only_without_calypso_mock_url(calypso_mock_session, calypso_mock):
    given = os.environ.get("CALYPSO_MOCK_URL")
    if given:
        assert calypso_mock_session.process is None and calypso_mock.url == given.rstrip("/")
    else:
        assert calypso_mock_session.process is not None and calypso_mock.url == calypso_mock_session.process.url


def test_mock_admin_token_is_sent_on_mock_calls():
    """A server that wants MOCK_ADMIN_TOKEN refuses /_mock without it and serves the session that sends it."""
    from calypso_mock import CalypsoError, MockSession

    process = ServerProcess([*server_command(), "--admin-token", "python-fixture-token"], timeout=60)
    try:
        with MockSession.from_environment({"CALYPSO_MOCK_URL": process.url}) as without_token, pytest.raises(CalypsoError) as refused:
            without_token.open_account()
        assert (refused.value.status, refused.value.error_code) == (401, "002")
        with MockSession.from_environment({"CALYPSO_MOCK_URL": process.url, "MOCK_ADMIN_TOKEN": "python-fixture-token"}) as session:
            handle = session.open_account()
            customer = handle.call("customer-purse/customer/create", {})
            handle.deposit(customer["id"], "BTC", 1)
            assert handle.wait_for_webhook("CUSTOMER_PURSE_MEM_POOL_FOUND")["data"]["customerId"] == customer["id"]
            handle.close()
    finally:
        process.stop()
