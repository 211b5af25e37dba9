"""Each test here runs once per HTTP client recmock answers in process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.in_process.clients import CLIENTS, Client


@pytest.fixture(params=CLIENTS, ids=[c.name for c in CLIENTS])
def client(request: pytest.FixtureRequest) -> Iterator[Client]:
    made: Client = request.param()
    yield made
    made.close()
