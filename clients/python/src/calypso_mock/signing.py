"""Calypso's request and webhook signatures: lowercase hex HMAC-SHA512 of the exact body bytes."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any, Iterable, Mapping, Tuple, Union

#: Incoming headers: a mapping (dict, http.client.HTTPMessage, a framework's headers) or (name, value) pairs.
Headers = Union[Mapping[str, Any], Iterable[Tuple[str, Any]]]

_SIGN = re.compile(r"[0-9a-f]{128}")


def sign(body: bytes, secret: str) -> str:
    """The `Sign` header for `body`: HMAC-SHA512 of the exact bytes sent, keyed with the secret, in lowercase hex."""
    if isinstance(body, str):
        raise TypeError("sign: pass the exact bytes you send (body.encode()), not a str")
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha512).hexdigest()


def header(headers: Headers, name: str) -> str | None:
    """The first value of a header, its name in any case."""
    pairs: Iterable[Tuple[str, Any]] = headers.items() if isinstance(headers, Mapping) or hasattr(headers, "items") else headers
    wanted = name.lower()
    for key, value in pairs:
        if key.lower() == wanted:
            if isinstance(value, (list, tuple)):
                return str(value[0]) if value else None
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def verify_webhook(body: bytes, headers: Headers, secret: str) -> bool:
    """Checks a delivery as a merchant must: `Sign` is the HMAC-SHA512 of the raw body with the
    subscription's secret key. Compared in constant time; a missing, malformed or uppercase `Sign`
    is refused, as Calypso signs in lowercase."""
    received = header(headers, "sign")
    if received is None or _SIGN.fullmatch(received) is None:
        return False
    return hmac.compare_digest(sign(body, secret), received)
