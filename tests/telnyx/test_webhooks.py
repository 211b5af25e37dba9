"""Composition webhooks: Telnyx's envelope, an ed25519 signature a receiver can verify
with the public key the control API gives out, the failover URL, and the timeout."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.conftest import Receiver
from tests.telnyx.conftest import TelnyxClient

ROOT = Path(__file__).resolve().parents[2]


def _verify(public_key: str, headers: dict[str, str], body: bytes) -> None:
    """What a receiver does with Telnyx's headers (raises InvalidSignature)."""
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    signed = headers["telnyx-timestamp"].encode() + b"|" + body
    key.verify(base64.b64decode(headers["telnyx-signature-ed25519"]), signed)


def _headers(received: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in received.headers.items()}


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A loopback port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hooks"
    listener.close()


def test_completed_webhook_is_enveloped_and_signed(
    telnyx: TelnyxClient, session: dict[str, Any], mock, receiver: Receiver
) -> None:
    created = telnyx.compose(session, webhook_event_url=f"{receiver.url}/hooks")
    mock.clock.advance(timedelta(seconds=35))

    assert len(receiver.received) == 1
    hook = receiver.received[0]
    event = hook.json()
    assert hook.path == "/hooks"
    assert event["meta"] == {"attempt": 1, "delivered_to": f"{receiver.url}/hooks"}
    data = event["data"]
    assert data["record_type"] == "event"
    assert data["event_type"] == "video.room.composition.completed"
    assert data["occurred_at"] == "2026-03-02T09:30:35.000000Z"
    shown = telnyx.composition(created["id"])
    payload = dict(data["payload"])
    assert payload.pop("download_url").startswith(
        "http://localhost/telnyx/files/room_compositions/"
    )
    assert payload == {
        "composition_id": created["id"],
        "room_id": created["room_id"],
        "session_id": created["session_id"],
        "format": "mp4",
        "resolution": "1280x720",
        "duration_secs": shown["duration_secs"],
        "size_mb": shown["size_mb"],
    }

    public_key = telnyx.client.get("/_recmock/vendors/telnyx/public_key").json["public_key"]
    headers = _headers(hook)
    _verify(public_key, headers, hook.body)
    assert abs(int(headers["telnyx-timestamp"]) - time.time()) < 60  # real time, not mock time
    with pytest.raises(InvalidSignature):
        _verify(public_key, headers, hook.body.replace(b"completed", b"failed"))


def test_failed_webhook_when_a_script_fails_the_composition(
    telnyx: TelnyxClient, session: dict[str, Any], mock, receiver: Receiver
) -> None:
    mock.add_scripts(ROOT / "fixtures" / "scripts" / "telnyx-composition-fails.yaml")
    created = telnyx.compose(session, resolution="640x360", webhook_event_url=receiver.url)

    mock.clock.advance(timedelta(minutes=2))

    [hook] = receiver.received
    assert hook.json()["data"]["event_type"] == "video.room.composition.failed"
    assert hook.json()["data"]["payload"] == {
        "composition_id": created["id"],
        "room_id": created["room_id"],
        "session_id": created["session_id"],
        "format": "mp4",
        "resolution": "640x360",
    }


def test_the_failover_url_gets_what_the_primary_refused(
    telnyx: TelnyxClient, session: dict[str, Any], mock, receiver: Receiver
) -> None:
    receiver.statuses = [500]  # the primary answers 500, the failover 200
    telnyx.compose(
        session,
        webhook_event_url=f"{receiver.url}/primary",
        webhook_event_failover_url=f"{receiver.url}/failover",
    )
    mock.clock.advance(timedelta(seconds=35))

    assert [r.path for r in receiver.received] == ["/primary", "/failover"]
    failover = receiver.received[1]
    assert failover.json()["meta"] == {"attempt": 1, "delivered_to": f"{receiver.url}/failover"}
    public_key = telnyx.client.get("/_recmock/vendors/telnyx/public_key").json["public_key"]
    _verify(public_key, _headers(failover), failover.body)
    attempts = mock.outbox.attempts("telnyx")
    assert [(a["url"], a["status"]) for a in attempts] == [
        (f"{receiver.url}/primary", 500),
        (f"{receiver.url}/failover", 200),
    ]


def test_a_primary_slower_than_webhook_timeout_secs_is_abandoned_for_the_failover(
    telnyx: TelnyxClient, session: dict[str, Any], mock, receiver: Receiver, silent_url: str
) -> None:
    telnyx.compose(
        session,
        webhook_event_url=silent_url,
        webhook_event_failover_url=f"{receiver.url}/failover",
        webhook_timeout_secs=1,
    )
    started = time.monotonic()
    mock.clock.advance(timedelta(seconds=35))
    took = time.monotonic() - started

    assert 1 <= took < 5
    assert [r.path for r in receiver.received] == ["/failover"]
    primary = mock.outbox.attempts("telnyx")[0]
    assert primary["url"] == silent_url
    assert primary["error"] == "no answer within 1s"


def test_no_webhook_without_a_url(telnyx: TelnyxClient, session: dict[str, Any], mock) -> None:
    telnyx.compose(session)
    mock.clock.advance(timedelta(seconds=35))
    assert mock.outbox.attempts("telnyx") == []
