"""Authentication (`X-Claap-Key: cla_...`) and the error envelope
(docs.claap.io api-reference/authentication, /errors)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from recmock import RecMock
from tests.claap.conftest import ClaapClient

UNAUTHORIZED = {
    "error": {"type": "unauthorized", "message": "API key was not supplied or is not valid"}
}


@pytest.mark.parametrize("headers", [{}, {"X-Claap-Key": ""}, {"X-Claap-Key": "Bearer cla_x"}])
def test_a_missing_or_malformed_key_is_401(client: FlaskClient, headers: dict) -> None:
    response = client.get("/claap/v1/recordings", headers=headers)
    assert response.status_code == 401
    assert response.json == UNAUTHORIZED


def test_once_keys_are_registered_only_they_are_accepted(client: FlaskClient) -> None:
    assert (
        client.post("/_recmock/keys", json={"vendor": "claap", "key": "cla_good"}).status_code
        == 201
    )

    assert (
        client.get("/claap/v1/recordings", headers={"X-Claap-Key": "cla_good"}).status_code == 200
    )
    rejected = client.get("/claap/v1/recordings", headers={"X-Claap-Key": "cla_other"})
    assert rejected.status_code == 401
    assert rejected.json == UNAUTHORIZED


def test_each_key_is_its_own_workspace(client: FlaskClient) -> None:
    one, two = ClaapClient(client, "cla_one"), ClaapClient(client, "cla_two")
    recording = one.created(title="mine")

    assert two.get(recording["id"]).status_code == 404
    assert two.list().json["result"]["recordings"] == []
    assert one.get(recording["id"]).status_code == 200


def test_an_unknown_recording_is_404_not_found(claap: ClaapClient) -> None:
    response = claap.get("nope")
    assert response.status_code == 404
    assert response.json == {"error": {"type": "not_found", "message": "Recording was not found"}}


def test_an_unknown_route_and_a_wrong_method_answer_in_claaps_shape(claap: ClaapClient) -> None:
    unknown = claap.client.get("/claap/v1/meetings", headers=claap.headers())
    assert unknown.status_code == 404
    assert unknown.json == {
        "error": {"type": "not_found", "message": "Unknown route: GET /v1/meetings"}
    }
    wrong_method = claap.client.patch("/claap/v1/recordings", headers=claap.headers())
    assert wrong_method.status_code == 404
    assert wrong_method.json["error"]["type"] == "not_found"
    assert wrong_method.mimetype == "application/json"
    assert wrong_method.headers["Allow"] == "GET, HEAD, POST"  # the same order every run


def test_a_websocket_upgrade_is_an_unknown_route(claap: ClaapClient) -> None:
    """werkzeug matches an upgrade to websocket rules only; Claap serves none. On a path
    with a GET rule only it raises a 400 of its own, which keeps the unknown-route words."""
    recording = claap.created()
    upgrade = {**claap.headers(), "Upgrade": "websocket", "Connection": "Upgrade"}
    path = f"/v1/recordings/{recording['id']}/transcript"
    answer = claap.client.get(f"/claap{path}", headers=upgrade)
    assert answer.status_code == 400
    assert answer.json == {
        "error": {"type": "bad_request", "message": f"Unknown route: GET {path}"}
    }


def test_a_crash_is_a_500_in_claaps_shape(claap: ClaapClient, mock: RecMock, monkeypatch) -> None:
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(mock.vendors["claap"].backend.recordings, "all", explode)
    response = claap.list()
    assert response.status_code == 500
    assert response.json == {
        "error": {"type": "internal_server_error", "message": "Internal server error"}
    }
