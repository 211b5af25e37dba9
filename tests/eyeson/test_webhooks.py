"""eyeson webhooks: one per API key, `recording_update` and `room_update` payloads,
signed with X-Eyeson-Signature (HMAC-SHA256 of the body, keyed with the API key)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from tests.conftest import Receiver
from tests.eyeson.conftest import API_KEY, EyesonClient


def _signature_ok(received) -> bool:
    """What a receiver does (eyeson-go webhook.go does the same)."""
    expected = hmac.new(API_KEY.encode(), received.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(received.headers["X-Eyeson-Signature"], expected)


def test_register_get_and_delete(eyeson: EyesonClient, receiver: Receiver) -> None:
    created = eyeson.team(
        "POST", "/webhooks", data={"url": f"{receiver.url}/hook", "types": "recording_update"}
    )
    assert created.status_code == 201
    webhook = created.json
    assert webhook["types"] == ["recording_update"] and webhook["url"] == f"{receiver.url}/hook"

    replaced = eyeson.team(
        "POST",
        "/webhooks",
        json={"url": receiver.url, "types": ["room_update", "recording_update"]},
    ).json  # one per key: this replaces the first
    shown = eyeson.team("GET", "/webhooks").json
    assert shown == {
        "id": replaced["id"],
        "types": ["room_update", "recording_update"],
        "url": receiver.url,
        "last_request_sent_at": None,
        "last_response_code": None,
    }
    assert eyeson.team("DELETE", f"/webhooks/{webhook['id']}").status_code == 404
    assert eyeson.team("DELETE", f"/webhooks/{replaced['id']}").status_code == 204
    assert eyeson.team("GET", "/webhooks").status_code == 404


def test_bad_registrations(eyeson: EyesonClient) -> None:
    no_url = eyeson.team("POST", "/webhooks", data={"types": "room_update"})
    bad_type = eyeson.team("POST", "/webhooks", data={"url": "https://x.test", "types": "nope"})
    ftp = eyeson.team("POST", "/webhooks", data={"url": "ftp://x.test", "types": "room_update"})

    assert (no_url.status_code, no_url.json) == (
        400,
        {"error": "url: Missing data for required field."},
    )
    assert bad_type.status_code == 400
    assert bad_type.json["error"].startswith("types: unknown ['nope']")
    assert (ftp.status_code, ftp.json) == (400, {"error": "url: Not a valid URL."})


def test_recording_update_when_finished_signed_with_the_api_key(
    eyeson: EyesonClient, mock, receiver: Receiver
) -> None:
    eyeson.team("POST", "/webhooks", data={"url": receiver.url, "types": "recording_update"})
    recording = eyeson.record(mock, eyeson.ready_room(mock))

    [hook] = receiver.received
    assert _signature_ok(hook)
    event = hook.json()
    assert event["type"] == "recording_update"
    assert event["timestamp"] == int(mock.now().timestamp())
    assert event["recording"]["id"] == recording["id"]
    assert event["recording"]["duration"] == 60
    assert event["recording"]["links"]["download"] is not None
    shown = eyeson.team("GET", "/webhooks").json
    assert shown["last_response_code"] == "200"
    assert shown["last_request_sent_at"] == "2026-03-02T09:31:12.000+00:00"


def test_room_update_when_ready_and_when_shut_down(
    eyeson: EyesonClient, mock, receiver: Receiver
) -> None:
    eyeson.team("POST", "/webhooks", data={"url": receiver.url, "types": "room_update"})
    room = eyeson.ready_room(mock, id="demo")
    eyeson.team("DELETE", "/rooms/demo")

    events = [r.json() for r in receiver.received]
    assert [(e["type"], e["room"]["ready"], e["room"]["shutdown"]) for e in events] == [
        ("room_update", True, False),
        ("room_update", False, True),
    ]
    assert events[0]["room"]["id"] == room["room"]["id"] == "demo"
    assert "guest_token" not in events[0]["room"]  # room_update's documented fields
    assert all(_signature_ok(r) for r in receiver.received)


def test_a_tampered_body_fails_the_check(eyeson: EyesonClient, mock, receiver: Receiver) -> None:
    eyeson.team("POST", "/webhooks", data={"url": receiver.url, "types": "room_update"})
    eyeson.ready_room(mock)
    [hook] = receiver.received
    hook.body = hook.body.replace(b"true", b"false")
    assert not _signature_ok(hook)


def test_no_webhook_for_types_not_asked_for(eyeson: EyesonClient, mock, receiver) -> None:
    eyeson.team("POST", "/webhooks", data={"url": receiver.url, "types": "recording_update"})
    eyeson.ready_room(mock)
    mock.clock.advance(timedelta(minutes=1))
    assert receiver.received == []


def test_a_shared_receiver_shows_each_key_only_its_own_deliveries(
    eyeson: EyesonClient, client, mock, receiver: Receiver
) -> None:
    other = EyesonClient(client, key="another_team_key")
    for team in (eyeson, other):
        team.team("POST", "/webhooks", data={"url": receiver.url, "types": "room_update"})
    other.ready_room(mock)

    assert other.team("GET", "/webhooks").json["last_response_code"] == "200"
    assert eyeson.team("GET", "/webhooks").json["last_response_code"] is None
