"""The read a client polls, `GET /v1/recordings/{id}`, is answered outside Flask
(`app.FastReads`) when rate limits are off and nothing but the recording shapes the
answer. Each such read is sent both ways here, through the fast path and through the
Flask route alone, and must come back with the same status, headers and body and leave
the same journal entry; every request the fast path must not answer has to reach the
Flask route. Flask's `request_started` signal tells which of the two served a request."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import requests
from flask import Flask, request, request_started
from flask.testing import FlaskClient
from freezegun import freeze_time

from recmock import Config, RecMock
from recmock.app import FastReads
from recmock.in_process import answering_in_process
from recmock.vendors.claap.models import Recording
from tests.claap.conftest import KEY, PAYLOADS, ClaapClient
from tests.conftest import START, Receiver


@pytest.fixture
def config() -> Config:
    return Config(seed=1234, public_url=None, admin_token=None, rate_limits=False)


@pytest.fixture
def flask_served(app: Flask) -> Iterator[list[str]]:
    """The paths of the requests that Flask's request handling served, in order."""
    served: list[str] = []

    def note(sender: Flask, **extra: Any) -> None:
        served.append(request.path)

    request_started.connect(note, app)
    yield served
    request_started.disconnect(note, app)


@contextmanager
def fast_reads_off(app: Flask) -> Iterator[None]:
    """The app with a fast path that answers nothing: every read goes to Flask."""
    layer = app.wsgi_app
    while not isinstance(layer, FastReads):
        layer = layer.app  # the WSGI middlewares around Flask's own wsgi_app
    handlers, layer.handlers = layer.handlers, {}
    try:
        yield
    finally:
        layer.handlers = handlers


def read(client: FlaskClient, mock: RecMock, path: str, **kwargs: Any) -> dict[str, Any]:
    """One GET: what the client saw and the journal entry it left (less its id and
    timing, which differ from request to request)."""
    response = client.get(path, **kwargs)
    entry = mock.journal.entries()[-1]
    del entry["id"], entry["duration_ms"]
    return {
        "status": response.status,
        "headers": list(response.headers),
        "body": response.data,
        "journal": entry,
    }


def both_ways(
    app: Flask, client: FlaskClient, mock: RecMock, path: str, **kwargs: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    fast = read(client, mock, path, **kwargs)
    with fast_reads_off(app):
        through_flask = read(client, mock, path, **kwargs)
    return fast, through_flask


def recording_path(recording: dict[str, Any]) -> str:
    return f"/claap/v1/recordings/{recording['id']}"


class TestAnsweredWithoutFlask:
    def test_a_new_recording_reads_as_the_flask_route_reads_it(
        self, app: Flask, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        path = recording_path(claap.created(title="Weekly sync"))
        flask_served.clear()
        fast, through_flask = both_ways(app, claap.client, mock, path, headers=claap.headers())
        assert fast == through_flask
        assert fast["status"] == "200 OK"
        assert fast["headers"] == [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(fast["body"]))),
        ]
        assert flask_served == [path]  # the second read only

    def test_a_ready_recording_with_its_signed_links_reads_the_same(
        self, app: Flask, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        ready = claap.ready(mock)
        assert ready["video"]["url"].startswith("http://localhost/claap/files/")
        flask_served.clear()
        fast, through_flask = both_ways(
            app, claap.client, mock, recording_path(ready), headers=claap.headers()
        )
        assert fast == through_flask
        assert b'"state":"Ready"' in fast["body"]
        assert len(flask_served) == 1

    def test_a_read_through_claaps_own_host_reads_the_same(
        self, app: Flask, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        recording = claap.created()
        flask_served.clear()
        fast, through_flask = both_ways(
            app,
            claap.client,
            mock,
            f"/v1/recordings/{recording['id']}",
            base_url="https://api.claap.io",
            headers=claap.headers(),
        )
        assert fast == through_flask
        assert fast["status"] == "200 OK"
        assert fast["journal"]["path"] == f"/v1/recordings/{recording['id']}"
        assert len(flask_served) == 1

    def test_a_scripted_after_reads_step_counts_fast_reads(
        self, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        recording = claap.ready_after_reads(mock, 2)
        flask_served.clear()
        states = [claap.state(recording["id"]) for _ in range(3)]
        assert states == ["Uploaded", "Uploaded", "Ready"]
        assert flask_served == []

    def test_the_webhook_a_read_causes_is_sent_before_the_read_answers(
        self, claap: ClaapClient, mock: RecMock, receiver: Receiver, flask_served: list[str]
    ) -> None:
        claap.client.put("/_recmock/vendors/claap/webhook", json={"url": receiver.url})
        recording = claap.ready_after_reads(mock, 1)
        flask_served.clear()
        assert claap.state(recording["id"]) == "Uploaded"  # and this read makes it Ready
        assert [r.json()["event"]["type"] for r in receiver.received] == ["recording_added"]
        assert flask_served == []

    def test_a_transition_that_fell_due_is_carried_out_before_the_read(
        self, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        """freezegun moves the mock's clock without carrying out what falls due, as
        real time does between two requests of a running server."""
        mock.clock.reset()
        with freeze_time(START, tick=False) as frozen:
            recording = claap.created()
            claap.upload(recording, PAYLOADS["mp4"])
            frozen.tick(timedelta(seconds=10))
            flask_served.clear()
            assert claap.state(recording["id"]) == "Ready"
        assert flask_served == []

    def test_the_access_log_line_is_the_flask_routes(
        self,
        app: Flask,
        claap: ClaapClient,
        mock: RecMock,
        caplog: pytest.LogCaptureFixture,
        flask_served: list[str],
    ) -> None:
        mock.config.access_log = True
        path = recording_path(claap.created())
        flask_served.clear()
        with caplog.at_level(logging.INFO, logger="recmock.access"):
            both_ways(app, claap.client, mock, path, headers=claap.headers())
        lines = [r.getMessage().rsplit(" ", 1)[0] for r in caplog.records]  # less the ms
        assert lines == [f'127.0.0.1 "GET {path}" 200'] * 2
        assert flask_served == [path]  # the second read only

    def test_a_long_host_name_with_a_port_reads_fast(
        self, claap: ClaapClient, flask_served: list[str]
    ) -> None:
        """The port is no part of the name werkzeug checks (63 characters a label)."""
        recording = claap.created()
        flask_served.clear()
        host = "x" * 60 + ":5000"
        assert (
            claap.client.get(
                recording_path(recording), headers={**claap.headers(), "Host": host}
            ).status_code
            == 200
        )
        assert flask_served == []

    def test_a_registered_key_reads_fast(
        self, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        mock.register_key("claap", KEY)
        recording = claap.created()
        flask_served.clear()
        assert claap.get(recording["id"]).status_code == 200
        assert flask_served == []

    def test_a_used_up_fault_leaves_reads_fast_again(
        self, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        mock.scripts.add(
            {"vendor": "claap", "fault": {"method": "POST", "times": 1, "status": 503}}
        )
        assert claap.create().status_code == 503
        recording = claap.created()
        flask_served.clear()
        assert claap.get(recording["id"]).status_code == 200
        assert flask_served == []

    def test_requests_routed_in_process_read_fast(
        self, mock: RecMock, claap: ClaapClient, flask_served: list[str]
    ) -> None:
        recording = claap.created()
        flask_served.clear()
        with answering_in_process(mock):
            answer = requests.get(
                f"https://api.claap.io/v1/recordings/{recording['id']}",
                headers=claap.headers(),
                timeout=5,
            )
        assert answer.status_code == 200
        assert answer.json()["result"]["recording"]["id"] == recording["id"]
        assert flask_served == []

    def test_a_crash_answers_claaps_500_as_the_flask_route_does(
        self,
        app: Flask,
        claap: ClaapClient,
        mock: RecMock,
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
        flask_served: list[str],
    ) -> None:
        path = recording_path(claap.created())

        def broken(*args: Any) -> dict:
            raise RuntimeError("a bug in the mock")

        monkeypatch.setattr(Recording, "to_json", broken)
        flask_served.clear()
        with caplog.at_level(logging.ERROR, logger="recmock"):
            fast, through_flask = both_ways(app, claap.client, mock, path, headers=claap.headers())
        logged = [(r.getMessage(), r.exc_info[0]) for r in caplog.records]
        assert logged == [(f"unexpected error serving GET {path}", RuntimeError)] * 2
        assert fast == through_flask
        assert fast["status"] == "500 INTERNAL SERVER ERROR"
        assert fast["body"] == (
            b'{"error":{"type":"internal_server_error","message":"Internal server error"}}\n'
        )
        assert fast["journal"]["status"] == 500
        assert len(flask_served) == 1


class TestLeftToFlask:
    """What the fast path does not answer reaches the Flask route, which answers it."""

    @pytest.mark.parametrize(
        ("path", "kwargs", "status"),
        [
            ("/claap/v1/recordings/nosuchrecording", {"headers": {"X-Claap-Key": KEY}}, 404),
            ("/claap/v1/recordings/{id}", {}, 401),
            ("/claap/v1/recordings/{id}", {"headers": {"X-Claap-Key": "not-a-key"}}, 401),
            ("/claap/v1/recordings/{id}", {"headers": {"X-Claap-Key": "cla_other"}}, 404),
            (
                "/claap/v1/recordings/{id}",
                {"headers": {"X-Claap-Key": KEY}, "query_string": {"returnAiFields": "true"}},
                200,
            ),
            ("/claap/v1/recordings/{id}", {"headers": {"X-Claap-Key": KEY}, "json": {}}, 200),
            ("/claap/v1/recordings/{id}/", {"headers": {"X-Claap-Key": KEY}}, 404),
        ],
        ids=[
            "unknown id",
            "no key",
            "malformed key",
            "another workspace",
            "query string",
            "a body",
            "trailing slash",
        ],
    )
    def test_a_read_the_fast_path_declines(
        self,
        claap: ClaapClient,
        flask_served: list[str],
        path: str,
        kwargs: dict[str, Any],
        status: int,
    ) -> None:
        path = path.format(id=claap.created()["id"])
        flask_served.clear()
        response = claap.client.get(path, **kwargs)
        assert response.status_code == status
        assert len(flask_served) == 1
        if "query_string" in kwargs:
            assert response.json["result"]["recording"]["aiFields"] == []

    def test_a_path_that_is_not_ascii(
        self, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        """WSGI hands the path over as latin-1 and werkzeug decodes it as UTF-8: read
        undecoded, `café` would find a recording whose id is `cafÃ©`."""
        recording = mock.vendors["claap"].recordings.get(KEY, claap.created()["id"])
        mojibake = "café".encode().decode("latin-1")
        mock.vendors["claap"].recordings.put(KEY, replace(recording, id=mojibake))
        flask_served.clear()
        assert claap.get("café").status_code == 404
        assert flask_served == ["/claap/v1/recordings/café"]

    def test_a_websocket_upgrade(self, claap: ClaapClient, flask_served: list[str]) -> None:
        """werkzeug matches an upgrade to websocket rules only: Claap has none, and the
        path's DELETE rule makes it a wrong method, which Claap answers as a 404."""
        path = recording_path(claap.created())
        flask_served.clear()
        response = claap.client.get(
            path, headers={**claap.headers(), "Upgrade": "websocket", "Connection": "Upgrade"}
        )
        assert response.status_code == 404
        assert flask_served == [path]

    @pytest.mark.parametrize("host", ["a..b", "x" * 64 + ".example.com"])
    def test_a_host_werkzeug_cannot_bind_to(
        self, claap: ClaapClient, flask_served: list[str], host: str
    ) -> None:
        path = recording_path(claap.created())
        flask_served.clear()
        response = claap.client.get(path, headers={**claap.headers(), "Host": host})
        assert response.status_code == 400
        assert response.json["error"] == {
            "type": "bad_request",
            "message": f"Host header is not a valid host name: {host!r}",
        }
        assert flask_served == [path]

    def test_a_head_request(self, claap: ClaapClient, flask_served: list[str]) -> None:
        path = recording_path(claap.created())
        flask_served.clear()
        response = claap.client.head(path, headers=claap.headers())
        assert response.status_code == 200
        assert flask_served == [path]

    def test_a_key_not_registered_once_keys_are(
        self, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        path = recording_path(claap.created())
        mock.register_key("claap", "cla_registered")
        flask_served.clear()
        response = claap.get(path.rsplit("/", 1)[1])
        assert response.status_code == 401
        assert flask_served == [path]

    def test_any_read_while_a_fault_is_scripted_for_claap(
        self, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        recording = claap.created()
        mock.scripts.add({"vendor": "claap", "fault": {"path": "/v1/recordings/*", "status": 503}})
        flask_served.clear()
        response = claap.get(recording["id"])
        assert response.status_code == 503
        assert flask_served == [recording_path(recording)]

    def test_a_fault_for_another_vendor_leaves_claap_reads_fast(
        self, claap: ClaapClient, mock: RecMock, flask_served: list[str]
    ) -> None:
        recording = claap.created()
        mock.scripts.add({"vendor": "telnyx", "fault": {"path": "/v2/*", "status": 503}})
        flask_served.clear()
        assert claap.get(recording["id"]).status_code == 200
        assert flask_served == []


@pytest.mark.parametrize("config", [Config(seed=1234, public_url=None, admin_token=None)])
def test_with_rate_limits_on_reads_go_to_flask_and_carry_claaps_headers(
    claap: ClaapClient, flask_served: list[str]
) -> None:
    recording = claap.created()
    flask_served.clear()
    response = claap.get(recording["id"])
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert flask_served == [recording_path(recording)]
