"""Example: a client that does not use `requests` (here the standard library's urllib)
talks to the `recmock_server` fixture over a real socket."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


def _call(
    method: str, url: str, body: dict | None = None, key: str = "cla_live"
) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"X-Claap-Key": key, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_create_and_read_back_over_a_socket(recmock_server) -> None:
    base = recmock_server.url_for("claap")
    assert base.startswith("http://127.0.0.1:") and base.endswith("/claap/v1")

    status, created = _call("POST", f"{base}/recordings", {"authorEmail": "ann@acme.com"})
    assert status == 200
    recording_id = created["result"]["recording"]["id"]

    status, fetched = _call("GET", f"{base}/recordings/{recording_id}")
    assert status == 200
    assert fetched["result"]["recording"]["state"] == "Empty"


def test_errors_arrive_in_claaps_shape(recmock_server) -> None:
    status, body = _call("GET", f"{recmock_server.url_for('claap')}/recordings/nope")
    assert status == 404
    assert body == {"error": {"type": "not_found", "message": "Recording was not found"}}


def test_the_live_server_is_reset_between_tests(recmock_server) -> None:
    status, listed = _call("GET", f"{recmock_server.url_for('claap')}/recordings")
    assert status == 200
    assert listed["result"]["recordings"] == []
