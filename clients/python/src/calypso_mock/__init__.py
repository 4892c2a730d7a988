"""calypso-mock for Python: a pytest fixture and a standard-library client for the mock's HTTP API."""

from .client import CalypsoMock
from .errors import CalypsoError, WebhookTimeout
from .receiver import WebhookReceiver
from .server import ServerProcess, server_command
from .session import MockSession
from .signing import sign, verify_webhook

__all__ = [
    "CalypsoError", "CalypsoMock", "MockSession", "ServerProcess", "WebhookReceiver", "WebhookTimeout",
    "server_command", "sign", "verify_webhook",
]
