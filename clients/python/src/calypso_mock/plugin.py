"""The pytest plugin (entry point pytest11): the `calypso_mock` fixture."""

from __future__ import annotations

from typing import Iterator

import pytest

from .client import CalypsoMock
from .session import MockSession


@pytest.fixture(scope="session")
def calypso_mock_session() -> Iterator[MockSession]:
    """The server of the run (CALYPSO_MOCK_URL, else started once) and the webhook receiver."""
    with MockSession.from_environment() as session:
        yield session


@pytest.fixture
def calypso_mock(calypso_mock_session: MockSession) -> Iterator[CalypsoMock]:
    """An account of this test's own on the session's server, its webhooks delivered to the receiver."""
    handle = calypso_mock_session.open_account()
    try:
        yield handle
    finally:
        handle.close()
