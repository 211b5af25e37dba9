"""Webhooks: POST JSON `{"eventId", "event": {"type", "recording"}}` with headers
X-Claap-Webhook-Id and X-Claap-Webhook-Secret; the receiver must answer 200 within 5 s;
retries immediately, after 1 min and after 5 min (docs.claap.io api-reference/webhooks)."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from recmock import RecMock
from tests.claap.conftest import ClaapClient
from tests.conftest import Receiver


def _subscribe(client: FlaskClient, url: str, **extra) -> dict:
    response = client.put("/_recmock/vendors/claap/webhook", json={"url": url, **extra})
    assert response.status_code == 200
    return response.json["webhook"]


def test_recording_added_when_ready(claap: ClaapClient, mock: RecMock, receiver: Receiver) -> None:
    hook = _subscribe(claap.client, f"{receiver.url}/claap", secret="s3cret")
    ready = claap.ready(mock, title="Demo")

    assert len(receiver.received) == 1
    delivered = receiver.received[0]
    assert delivered.path == "/claap"
    assert delivered.headers["X-Claap-Webhook-Id"] == hook["id"]
    assert delivered.headers["X-Claap-Webhook-Secret"] == "s3cret"
    assert delivered.headers["Content-Type"] == "application/json"
    body = delivered.json()
    assert set(body) == {"eventId", "event"}
    assert len(body["eventId"]) == 21
    assert body["event"] == {"type": "recording_added", "recording": ready}


def test_retries_immediately_then_after_1_and_5_minutes(
    claap: ClaapClient, mock: RecMock, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503, 502, 500]
    _subscribe(claap.client, receiver.url)
    claap.ready(mock)
    assert len(receiver.received) == 2  # the attempt and its immediate retry

    mock.clock.advance(timedelta(seconds=59))
    assert len(receiver.received) == 2
    mock.clock.advance(timedelta(seconds=1))
    assert len(receiver.received) == 3
    mock.clock.advance(timedelta(minutes=5))
    assert len(receiver.received) == 4
    mock.clock.advance(timedelta(days=1))
    assert len(receiver.received) == 4  # then dropped

    event_ids = {r.json()["eventId"] for r in receiver.received}
    assert len(event_ids) == 1  # "eventId is stable across retries"
    attempts = mock.outbox.attempts("claap")
    assert [(a["attempt"], a["status"]) for a in attempts] == [
        (1, 500),
        (2, 503),
        (3, 502),
        (4, 500),
    ]


def test_a_receiver_slower_than_5_seconds_fails_the_attempt(
    claap: ClaapClient, mock: RecMock, receiver: Receiver, monkeypatch
) -> None:
    from recmock.vendors.claap import backend

    monkeypatch.setattr(backend, "WEBHOOK_TIMEOUT_S", 0.2)  # 5 s, scaled down for the test
    receiver.delay_s = 1.0
    _subscribe(claap.client, receiver.url)
    claap.ready(mock)
    first = mock.outbox.attempts("claap")[0]
    assert first["status"] is None
    assert first["error"] == "no answer within 0.2s"


def test_recording_updated_when_edited_in_the_app(
    claap: ClaapClient, mock: RecMock, receiver: Receiver
) -> None:
    _subscribe(claap.client, receiver.url)
    ready = claap.ready(mock)
    response = claap.client.patch(
        f"/_recmock/vendors/claap/recordings/{ready['id']}", json={"title": "Renamed"}
    )
    assert response.status_code == 200
    events = [r.json()["event"] for r in receiver.received]
    assert [e["type"] for e in events] == ["recording_added", "recording_updated"]
    assert events[1]["recording"]["title"] == "Renamed"


def test_a_workspace_webhook_only_gets_its_own_recordings(
    client: FlaskClient, mock: RecMock, receiver: Receiver
) -> None:
    response = client.put(
        "/_recmock/vendors/claap/webhook",
        json={"url": receiver.url},
        headers={"X-Claap-Key": "cla_mine"},
    )
    assert response.json["webhook"]["workspace"] == "cla_mine"
    ClaapClient(client, "cla_theirs").ready(mock)
    assert receiver.received == []
    ClaapClient(client, "cla_mine").ready(mock)
    assert len(receiver.received) == 1


def test_nothing_is_sent_without_a_target(claap: ClaapClient, mock: RecMock) -> None:
    claap.ready(mock)
    assert mock.outbox.attempts() == []
