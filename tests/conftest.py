"""Shared fixtures: a fresh app per test on a frozen clock, a Claap client, a
loopback HTTP receiver for webhooks and downloadUrl payloads, and a live server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recmock import Config, RecMock, create_app

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def free_port() -> int:
    """A loopback port nothing listens on now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def config() -> Config:
    return Config(seed=1234, public_url=None, admin_token=None)


@pytest.fixture
def app(config: Config) -> Iterator[Flask]:
    app = create_app(config)
    mock: RecMock = app.extensions["recmock"]
    mock.clock.freeze()
    mock.clock.set(START)
    yield app
    mock.close()


@pytest.fixture
def mock(app: Flask) -> RecMock:
    return app.extensions["recmock"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that records requests and answers as told."""

    url: str
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers to give, in order; then 200
    delay_s: float = 0.0
    payload: bytes = b""  # what a GET answers (a downloadUrl)
    payload_status: int = 200
    redirects: dict[str, str] = field(default_factory=dict)  # GET path -> 302 Location


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}
    stop_waiting = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            me = state["r"]
            length = int(self.headers.get("Content-Length") or 0)
            me.received.append(
                Received("POST", self.path, dict(self.headers), self.rfile.read(length))
            )
            if me.delay_s:
                stop_waiting.wait(me.delay_s)
            status = me.statuses.pop(0) if me.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            me = state["r"]
            me.received.append(Received("GET", self.path, dict(self.headers), b""))
            if self.path in me.redirects:
                self.send_response(302)
                self.send_header("Location", me.redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(me.payload_status)
            self.send_header("Content-Length", str(len(me.payload)))
            self.end_headers()
            self.wfile.write(me.payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["r"] = Receiver(url=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state["r"]
    stop_waiting.set()
    server.shutdown()
    server.server_close()


@dataclass
class LiveServer:
    url: str
    mock: RecMock


def start_live_server(config: Config) -> tuple[LiveServer, object]:
    """recmock on waitress on a free loopback port, in this process."""
    from waitress import create_server

    app = create_app(config)
    server = create_server(app, host="127.0.0.1", port=0, threads=16, ident="")
    threading.Thread(target=server.run, daemon=True).start()
    return LiveServer(
        f"http://127.0.0.1:{server.effective_port}", app.extensions["recmock"]
    ), server


@pytest.fixture
def live_server(config: Config) -> Iterator[LiveServer]:
    live, server = start_live_server(config)
    yield live
    server.close()
    live.mock.close()
