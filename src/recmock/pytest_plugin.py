"""recmock's pytest plugin, registered by `pip install recmock` (entry point
`pytest11`). Two fixtures, each a fresh, isolated mock for every test:

- `recmock`: the mock in-process. `requests` calls to the vendors' real hosts
  (`https://api.claap.io/v1/...`) are answered by it without sockets, so code under test
  keeps its production URLs. The test steers it as a Python object: `recmock.advance("10s")`,
  `recmock.add_scripts(...)`, `recmock.journal.entries(...)`, `recmock.outbox.attempts()`.
- `recmock_server`: a real HTTP server on a free loopback port, started once per test
  session (per xdist worker) and reset before each test, for clients that do not use
  `requests`. `recmock_server.url_for("claap")` is the base URL to give them.

Like pytest-httpserver, one app serves the whole session and a reset before each test
keeps a test's cost far below a millisecond. `@pytest.mark.recmock(reset=["claap"])`
narrows that reset to the vendors a test uses (the clock and journal are reset too).

Override points: the `recmock_config` fixture (seed, limits, ...); the live server's
address with `--recmock-host`/`--recmock-port`, the ini options `recmock_host`/
`recmock_port`, or the environment variables `RECMOCK_PYTEST_HOST`/`RECMOCK_PYTEST_PORT`
(default 127.0.0.1 and a free port).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from recmock.app import create_app
from recmock.config import Config
from recmock.intercept import route_requests
from recmock.mock import RecMock
from recmock.ticker import Ticker


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "recmock(reset=[vendor, ...]): reset only these vendors before the test"
    )


def _reset(mock: RecMock, request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("recmock")
    vendors = marker.kwargs.get("reset") if marker else None
    if vendors is None:
        mock.reset()
        return
    for vendor in vendors:
        mock.reset(vendor)
    mock.journal.clear()
    mock.clock.reset()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("recmock")
    group.addoption("--recmock-host", help="address of the recmock_server fixture")
    group.addoption("--recmock-port", type=int, help="port of the recmock_server fixture")
    parser.addini("recmock_host", "address of the recmock_server fixture", default="127.0.0.1")
    parser.addini("recmock_port", "port of the recmock_server fixture (0: free)", default="0")


@pytest.fixture(scope="session")
def recmock_config() -> Config:
    """The settings of the session's mocks; override this fixture to change them."""
    return Config(seed=0, public_url=None, admin_token=None)


@pytest.fixture(scope="session")
def recmock_app(recmock_config: Config) -> Iterator[Flask]:
    """The session's in-process app behind the `recmock` fixture."""
    app = create_app(recmock_config)
    yield app
    app.extensions["recmock"].close()


@pytest.fixture
def recmock(recmock_app: Flask, request: pytest.FixtureRequest) -> Iterator[RecMock]:
    """A fresh mock, in-process; `requests` to the vendors' real hosts reach it."""
    mock: RecMock = recmock_app.extensions["recmock"]
    _reset(mock, request)
    with route_requests(recmock_app, set(mock.host_mounts())):
        yield mock


@dataclass
class LiveRecMock:
    """The live server: its base URL and the mock behind it (same process)."""

    url: str
    mock: RecMock

    def url_for(self, vendor: str) -> str:
        """The base URL a client of `vendor` should use, e.g. http://127.0.0.1:PORT/claap/v1."""
        found = self.mock.vendors[vendor]
        return f"{self.url}{found.mount}{found.api_base}"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.mock, name)  # recmock_server.advance("1m"), .journal, ...


def _address(pytestconfig: pytest.Config) -> tuple[str, int]:
    host = (
        pytestconfig.getoption("recmock_host")
        or os.environ.get("RECMOCK_PYTEST_HOST")
        or pytestconfig.getini("recmock_host")
    )
    port = pytestconfig.getoption("recmock_port")
    if port is None:
        port = int(os.environ.get("RECMOCK_PYTEST_PORT") or pytestconfig.getini("recmock_port"))
    return host, port


@pytest.fixture(scope="session")
def recmock_live(recmock_config: Config, pytestconfig: pytest.Config) -> Iterator[LiveRecMock]:
    """The session's live server behind `recmock_server`."""
    from waitress import create_server

    host, port = _address(pytestconfig)
    app = create_app(recmock_config)
    server = create_server(app, host=host, port=port, threads=8, ident="")
    mock: RecMock = app.extensions["recmock"]
    ticker = Ticker(mock)  # a real server: due events happen in real time, unasked
    ticker.start()
    thread = threading.Thread(target=server.run, name="recmock-live-server", daemon=True)
    thread.start()
    yield LiveRecMock(f"http://{host}:{server.effective_port}", mock)
    server.close()
    ticker.stop()
    mock.close()


@pytest.fixture
def recmock_server(recmock_live: LiveRecMock, request: pytest.FixtureRequest) -> LiveRecMock:
    """A fresh mock behind a real socket, for clients that do not use `requests`."""
    _reset(recmock_live.mock, request)
    return recmock_live
