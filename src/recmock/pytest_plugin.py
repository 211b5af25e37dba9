"""recmock's pytest plugin, registered by `pip install recmock` (entry point
`pytest11`). Two fixtures, each a fresh, isolated mock for every test:

- `recmock`: the mock in-process. Calls to the vendors' real hosts
  (`https://api.claap.io/v1/...`) from `requests`, urllib3, httpx (sync and async) and
  aiohttp are answered by it without sockets (`recmock.in_process`), so code under test
  keeps its production URLs. The test steers it as a Python object: `recmock.advance("10s")`,
  `recmock.add_scripts(...)`, `recmock.journal.entries(...)`, `recmock.outbox.attempts()`,
  `recmock.telnyx.simulate_session()`. A vendor host looked up in DNS by a client that
  is not intercepted fails the test at teardown (`UninterceptedRequestError`).
- `recmock_server`: a real HTTP server on a free loopback port, started once per test
  session (per xdist worker) and reset before each test, for any other client.
  `recmock_server.url_for("claap")` is the base URL to give them.

Like pytest-httpserver, one app serves the whole session (one per distinct
`recmock_config`) and a reset before each test keeps a test's cost far below a
millisecond. `@pytest.mark.recmock(reset=["claap"])`
narrows that reset to the vendors a test uses (the clock and journal are reset too).

Override points: the `recmock_config` fixture (seed, limits, ...), also per folder in its
conftest.py (each distinct config gets its own app and live server); the live server's
address with `--recmock-host`/`--recmock-port`, the ini options `recmock_host`/
`recmock_port`, or the environment variables `RECMOCK_PYTEST_HOST`/`RECMOCK_PYTEST_PORT`
(default 127.0.0.1 and a free port).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pytest
from flask import Flask

from recmock.app import create_app
from recmock.config import Config
from recmock.in_process import answering_in_process
from recmock.intercept.interception import INTERCEPTION
from recmock.mock import RecMock
from recmock.ticker import Ticker

Made = TypeVar("Made")


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
    try:
        mock.reset(vendors)
    except ValueError as exc:
        raise pytest.UsageError(f"@pytest.mark.recmock(reset=...): {exc}") from None
    mock.journal.clear()
    mock.restore_settings()
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
    return Config.in_process()


class _PerConfig(Generic[Made]):
    """What the session builds once for each distinct `recmock_config`. A folder's
    conftest.py may override the fixture; its tests must get a mock built from that
    override, whichever test of the session happened to build one first."""

    def __init__(self, build: Callable[[Config], Made], close: Callable[[Made], None]) -> None:
        self._build = build
        self._close = close
        self._made: list[tuple[Config, Made]] = []  # Config is unhashable (lists, dicts)

    def get(self, config: Config) -> Made:
        for built_from, made in self._made:
            if built_from == config:
                return made
        made = self._build(config)
        self._made.append((config, made))
        return made

    def __len__(self) -> int:
        return len(self._made)

    def close(self) -> None:
        for _, made in self._made:
            self._close(made)


def _close_app(app: Flask) -> None:
    app.extensions["recmock"].close()


@pytest.fixture(scope="session")
def recmock_apps() -> Iterator[_PerConfig[Flask]]:
    """The session's in-process apps, one per distinct `recmock_config`. The client
    libraries stay patched for the session once a test used `recmock` (and are put
    back at its end), so a test only switches which mock answers."""
    apps = _PerConfig(create_app, _close_app)
    with INTERCEPTION.held():
        yield apps
    apps.close()


@pytest.fixture
def recmock_app(recmock_config: Config, recmock_apps: _PerConfig[Flask]) -> Flask:
    """The in-process app behind the `recmock` fixture, built once for this config."""
    return recmock_apps.get(recmock_config)


@pytest.fixture
def recmock(
    recmock_config: Config,
    recmock_apps: _PerConfig[Flask],
    request: pytest.FixtureRequest,
) -> Iterator[RecMock]:
    """A fresh mock, in-process: requests, urllib3, httpx and aiohttp calls to the
    vendors' real hosts reach it."""
    mock: RecMock = recmock_apps.get(recmock_config).extensions["recmock"]
    _reset(mock, request)
    with answering_in_process(mock):
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


class _LiveServer:
    """A waitress server in a thread, with the ticker a real server needs: due events
    happen in real time, unasked."""

    def __init__(self, config: Config, host: str, port: int) -> None:
        from waitress import create_server

        app = create_app(config)
        try:
            self.server = create_server(app, host=host, port=port, threads=8, ident="")
        except OSError as exc:
            app.extensions["recmock"].close()
            pytest.fail(
                f"recmock_server cannot listen on {host}:{port}: {exc.strerror or exc};"
                " choose another --recmock-port (or 0 for a free one)",
                pytrace=False,
            )
        self.mock: RecMock = app.extensions["recmock"]
        self.ticker = Ticker(self.mock)
        self.ticker.start()
        threading.Thread(target=self.server.run, name="recmock-live-server", daemon=True).start()
        url = f"http://{host}:{self.server.effective_port}"
        self.mock.served_at = url
        self.recmock = LiveRecMock(url, self.mock)

    def close(self) -> None:
        self.server.close()
        self.ticker.stop()
        self.mock.close()


@pytest.fixture(scope="session")
def recmock_live_servers(pytestconfig: pytest.Config) -> Iterator[_PerConfig[_LiveServer]]:
    """The session's live servers, one per distinct `recmock_config`; only the first
    can have a fixed port, and only without parallel xdist workers (each worker is a
    session of its own)."""
    host, port = _address(pytestconfig)
    workers = getattr(pytestconfig, "workerinput", {}).get("workercount", 1)

    def start(config: Config) -> _LiveServer:
        if port and workers > 1:
            raise pytest.UsageError(
                f"the live server's port is fixed ({port}), but each of the {workers} xdist"
                " workers starts its own; leave the port free (0) or run without -n"
            )
        if port and len(servers):
            raise pytest.UsageError(
                f"a second recmock_config needs a second live server, but its port is fixed"
                f" ({port}); leave the port free (0) or use one recmock_config"
            )
        return _LiveServer(config, host, port)

    servers = _PerConfig(start, _LiveServer.close)
    yield servers
    servers.close()


@pytest.fixture
def recmock_live(
    recmock_config: Config, recmock_live_servers: _PerConfig[_LiveServer]
) -> LiveRecMock:
    """The live server behind `recmock_server`, started once for this config."""
    return recmock_live_servers.get(recmock_config).recmock


@pytest.fixture
def recmock_server(recmock_live: LiveRecMock, request: pytest.FixtureRequest) -> LiveRecMock:
    """A fresh mock behind a real socket, for clients that do not use `requests`."""
    _reset(recmock_live.mock, request)
    return recmock_live
