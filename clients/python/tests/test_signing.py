import email.message
import json
import urllib.request

import pytest

from calypso_mock import sign, verify_webhook
from calypso_mock.signing import header

# The vector published in Calypso's docs (shared/calypso-contract.md, section 1).
VECTOR_SECRET = "b823a6b9ea72408583cef9ec8d67fa52"
VECTOR_BODY = b'{"timestamp":1}'
VECTOR_SIGN = "b16e9d45f49f2069becbc4f108b237bee588cfc353fe9501df103e692acbc68d482a10d34c12bea22fedde7e28e1b8e57a6a0a373b0e9a27c5257bd8b36e13b9"


def test_sign_matches_the_published_vector():
    assert sign(VECTOR_BODY, VECTOR_SECRET) == VECTOR_SIGN


def test_sign_takes_the_exact_bytes_not_a_str():
    with pytest.raises(TypeError, match="exact bytes"):
        sign('{"timestamp":1}', VECTOR_SECRET)  # type: ignore[arg-type]


def http_message(sign_value):
    message = email.message.Message()
    message["Sign"] = sign_value
    return message


@pytest.mark.parametrize("headers", [
    {"Sign": VECTOR_SIGN},
    {"sign": VECTOR_SIGN},
    {"SIGN": [VECTOR_SIGN]},
    [("Key", "k"), ("sign", VECTOR_SIGN)],
    http_message(VECTOR_SIGN),
], ids=["dict", "lowercase name", "list value", "pairs", "HTTPMessage"])
def test_verify_webhook_accepts_the_vector_in_any_header_shape(headers):
    assert verify_webhook(VECTOR_BODY, headers, VECTOR_SECRET) is True


@pytest.mark.parametrize("body, headers, secret", [
    (b'{"timestamp":2}', {"Sign": VECTOR_SIGN}, VECTOR_SECRET),
    (b'{"timestamp": 1}', {"Sign": VECTOR_SIGN}, VECTOR_SECRET),
    (VECTOR_BODY, {"Sign": VECTOR_SIGN}, VECTOR_SECRET + "0"),
    (VECTOR_BODY, {"Sign": VECTOR_SIGN.upper()}, VECTOR_SECRET),
    (VECTOR_BODY, {"Sign": VECTOR_SIGN[:-2]}, VECTOR_SECRET),
    (VECTOR_BODY, {"Sign": ""}, VECTOR_SECRET),
    (VECTOR_BODY, {"Key": VECTOR_SIGN}, VECTOR_SECRET),
], ids=["other body", "reserialised body", "other secret", "uppercase", "short", "empty", "missing"])
def test_verify_webhook_refuses_anything_else(body, headers, secret):
    assert verify_webhook(body, headers, secret) is False


def test_header_reads_bytes_values():
    assert header({"Sign": b"abc"}, "sign") == "abc"


def test_the_receiver_verifies_with_the_subscriptions_secret(calypso_mock):
    """A delivery signed with another secret is refused (401) and kept out of the waits; the same
    bytes signed with the subscription's secret are taken."""
    request_id = calypso_mock._request_id
    event = {"requestId": request_id, "id": 10 ** 12, "eventType": "CUSTOMER_PURSE_EXPIRED", "data": {}}
    body = json.dumps(event).encode()
    url = calypso_mock._receiver.url

    def post(secret):
        request = urllib.request.Request(url, data=body, headers={"Sign": sign(body, secret)}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    assert post("not-the-secret") == 401
    assert calypso_mock.webhooks() == []
    assert post(calypso_mock.webhook_secret) == 200
    assert calypso_mock.webhooks() == [event]
