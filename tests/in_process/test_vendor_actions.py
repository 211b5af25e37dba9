"""Every vendor action (`/_recmock/vendors/<vendor>/...`) as a method of the mock the
fixture gives: the same effect as over HTTP, and a mistake refused with its message."""

from __future__ import annotations

import base64

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from recmock import Config, RecMock, mock_vendors
from recmock.pytest_plugin import LiveRecMock
from tests.conftest import Receiver

CLAAP = "https://api.claap.io/v1"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def _ready_recording(recmock: RecMock, key: str, title: str) -> dict:
    created = requests.post(
        f"{CLAAP}/recordings",
        json={"authorEmail": "ann@acme.com", "title": title},
        headers={"X-Claap-Key": key},
        timeout=5,
    ).json()["result"]["recording"]
    requests.put(created["upload"]["url"], data=MP4, timeout=5).raise_for_status()
    recmock.advance("10s")
    return created


class TestClaap:
    def test_a_webhook_for_every_workspace(self, recmock: RecMock, receiver: Receiver) -> None:
        recmock.clock.freeze()
        hook = recmock.claap.set_webhook(f"{receiver.url}/claap", "s3cret")
        assert (hook["url"], hook["secret"], hook["workspace"]) == (
            f"{receiver.url}/claap",
            "s3cret",
            "*",
        )
        assert recmock.claap.webhooks() == [hook]
        recording = _ready_recording(recmock, "cla_team", "Kick-off")
        [delivered] = receiver.received
        assert delivered.headers["X-Claap-Webhook-Secret"] == "s3cret"
        assert delivered.json()["event"]["type"] == "recording_added"
        assert delivered.json()["event"]["recording"]["id"] == recording["id"]

    def test_a_workspaces_own_webhook_and_its_removal(
        self, recmock: RecMock, receiver: Receiver
    ) -> None:
        recmock.clock.freeze()
        hook = recmock.claap.set_webhook(receiver.url, key="cla_team")
        assert hook["workspace"] == "cla_team"
        _ready_recording(recmock, "cla_other", "Not theirs")
        assert receiver.received == []
        recmock.claap.remove_webhook(key="cla_team")
        assert recmock.claap.webhooks() == []

    def test_a_person_edits_a_recording_in_claaps_app(
        self, recmock: RecMock, receiver: Receiver
    ) -> None:
        recmock.clock.freeze()
        recmock.claap.set_webhook(receiver.url)
        recording = _ready_recording(recmock, "cla_team", "Draft")
        edited = recmock.claap.edit_recording(recording["id"], title="Final", labels=["q3"])
        assert (edited["title"], edited["labels"]) == ("Final", ["q3"])
        assert [r.json()["event"]["type"] for r in receiver.received] == [
            "recording_added",
            "recording_updated",
        ]

    def test_mistakes_are_refused_with_the_control_apis_message(self, recmock: RecMock) -> None:
        with pytest.raises(ValueError, match=r"url: an http\(s\) URL is required"):
            recmock.claap.set_webhook("ftp://example.com/hook")
        with pytest.raises(ValueError, match="No Claap recording 'nope' in this workspace"):
            recmock.claap.edit_recording("nope", title="x")


class TestTelnyx:
    def test_a_finished_session_of_a_new_room(self, recmock: RecMock) -> None:
        made = recmock.telnyx.simulate_session(api_key="KEY_team", participants=3, duration_secs=90)
        session = made["session"]
        assert (session["active"], len(session["participants"])) == (False, 3)
        assert sorted(r["type"] for r in made["recordings"]) == ["audio"] * 3 + ["video"] * 3
        listed = requests.get(
            f"https://api.telnyx.com/v2/rooms/{session['room_id']}/sessions",
            headers={"Authorization": "Bearer KEY_team"},
            timeout=5,
        ).json()["data"]
        assert [s["id"] for s in listed] == [session["id"]]

    def test_a_session_of_a_given_room_without_recordings(self, recmock: RecMock) -> None:
        room = requests.post(
            "https://api.telnyx.com/v2/rooms",
            json={"unique_name": "weekly"},
            headers={"Authorization": "Bearer KEY_team"},
            timeout=5,
        ).json()["data"]
        made = recmock.telnyx.simulate_session(room_id=room["id"], recordings=False)
        assert made["session"]["room_id"] == room["id"]
        assert made["recordings"] == []

    def test_a_new_room_needs_an_account(self, recmock: RecMock) -> None:
        with pytest.raises(ValueError, match="Give a room_id, or Authorization: Bearer <key>"):
            recmock.telnyx.simulate_session()
        with pytest.raises(ValueError, match="participants"):
            recmock.telnyx.simulate_session(api_key="KEY_team", participants=0)

    def test_the_recordings_download_in_process(self, recmock: RecMock) -> None:
        made = recmock.telnyx.simulate_session(api_key="KEY_team", participants=1)
        for recording in made["recordings"]:
            answer = requests.get(recording["download_url"], timeout=5)
            assert answer.status_code == 200, recording["download_url"]

    def test_the_webhook_public_key(self, recmock: RecMock) -> None:
        key = base64.b64decode(recmock.telnyx.public_key())
        Ed25519PublicKey.from_public_bytes(key)  # raises unless it is one
        assert len(key) == 32


def test_valts_token_public_key(recmock: RecMock) -> None:
    key = recmock.valt.public_key()
    assert key["alg"] == "PS512"
    assert key["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert key["jwk"]["kid"] == key["kid"]


def test_a_vendor_without_actions_says_which_have_them(recmock: RecMock) -> None:
    with pytest.raises(AttributeError, match="vendors with actions: claap, telnyx, valt"):
        recmock.eyeson  # noqa: B018


def test_the_admin_token_guards_http_but_not_the_tests_own_methods() -> None:
    with mock_vendors(Config.in_process(admin_token="s3cret")) as mock:
        refused = requests.get("https://api.telnyx.com/_recmock/vendors/telnyx/public_key")
        assert refused.status_code == 401
        assert mock.telnyx.public_key()


def test_a_live_servers_actions_make_links_to_it(recmock_server: LiveRecMock) -> None:
    """The live server's mock answers no vendor host in process: the links a test's own
    call makes point at the server, as those made over its HTTP control API do."""
    made = recmock_server.mock.telnyx.simulate_session(api_key="KEY_live", participants=1)
    for recording in made["recordings"]:
        assert recording["download_url"].startswith(f"{recmock_server.url}/telnyx/")
        assert requests.get(recording["download_url"], timeout=5).status_code == 200
