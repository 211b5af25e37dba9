"""The room resources a client of compositions uses: rooms, sessions, recordings; and
the vendor action that simulates a finished session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.telnyx.conftest import TelnyxClient


def test_rooms_create_view_and_list(telnyx: TelnyxClient, mock) -> None:
    created = telnyx.post("/rooms", {"unique_name": "standup", "max_participants": 5})
    mock.clock.advance(timedelta(days=1))
    other = telnyx.post("/rooms", {"enable_recording": True}).json["data"]

    assert created.status_code == 201
    room = created.json["data"]
    assert room["record_type"] == "room"
    assert room["unique_name"] == "standup"
    assert room["max_participants"] == 5
    assert room["enable_recording"] is False
    assert room["active_session_id"] is None
    assert room["sessions"] == []
    assert other["unique_name"]  # generated when not given
    assert telnyx.get(f"/rooms/{room['id']}").json["data"]["id"] == room["id"]
    assert [r["id"] for r in telnyx.get("/rooms").json["data"]] == [other["id"], room["id"]]
    by_name = telnyx.get("/rooms", **{"filter[unique_name]": "standup"}).json["data"]
    assert [r["id"] for r in by_name] == [room["id"]]
    by_day = telnyx.get("/rooms", **{"filter[date_created_at][eq]": "2026-03-03"}).json["data"]
    assert [r["id"] for r in by_day] == [other["id"]]


def test_a_bad_room_is_422(telnyx: TelnyxClient) -> None:
    answer = telnyx.post("/rooms", {"max_participants": 1, "webhook_event_url": "nowhere"})
    assert answer.status_code == 422
    assert sorted(e["source"]["pointer"] for e in answer.json["errors"]) == [
        "/max_participants",
        "/webhook_event_url",
    ]


def test_a_simulated_session_has_participants_and_recordings(telnyx: TelnyxClient) -> None:
    room = telnyx.post("/rooms", {"unique_name": "demo"}).json["data"]

    made = telnyx.session(room_id=room["id"], participants=3, duration_secs=120)

    session = made["session"]
    assert session["room_id"] == room["id"]
    assert session["active"] is False
    assert session["created_at"] == "2026-03-02T09:28:00.000000Z"
    assert session["ended_at"] == "2026-03-02T09:30:00.000000Z"
    assert len(session["participants"]) == 3
    assert {p["session_id"] for p in session["participants"]} == {session["id"]}
    kinds = sorted((r["participant_id"], r["type"], r["codec"]) for r in made["recordings"])
    assert kinds == sorted(
        (p["id"], kind, codec)
        for p in session["participants"]
        for kind, codec in (("audio", "opus"), ("video", "vp8"))
    )
    assert all(r["duration_secs"] == 120 and r["status"] == "completed" for r in made["recordings"])

    viewed = telnyx.get(f"/room_sessions/{session['id']}").json["data"]
    assert "participants" not in viewed
    with_people = telnyx.get(f"/room_sessions/{session['id']}", include_participants="true")
    assert with_people.json["data"]["participants"] == session["participants"]
    of_room = telnyx.get(f"/rooms/{room['id']}/sessions").json["data"]
    assert [s["id"] for s in of_room] == [session["id"]]
    with_sessions = telnyx.get(f"/rooms/{room['id']}", include_sessions="true").json["data"]
    assert [s["id"] for s in with_sessions["sessions"]] == [session["id"]]


def test_sessions_list_filters(telnyx: TelnyxClient) -> None:
    one = telnyx.session()["session"]
    two = telnyx.session()["session"]

    def listed(**query: Any) -> list[str]:
        return [s["id"] for s in telnyx.get("/room_sessions", **query).json["data"]]

    assert sorted(listed()) == sorted([one["id"], two["id"]])
    assert listed(**{"filter[room_id]": one["room_id"]}) == [one["id"]]
    assert listed(**{"filter[active]": "true"}) == []
    assert sorted(listed(**{"filter[active]": "false"})) == sorted([one["id"], two["id"]])
    assert listed(**{"filter[date_ended_at][eq]": "2026-03-01"}) == []


def test_recordings_list_filter_view_and_delete(telnyx: TelnyxClient) -> None:
    made = telnyx.session(participants=2, duration_secs=30)
    recordings = made["recordings"]
    video = next(r for r in recordings if r["type"] == "video")

    def listed(**query: Any) -> list[str]:
        answer = telnyx.get("/room_recordings", **query)
        assert answer.status_code == 200, answer.json
        return sorted(r["id"] for r in answer.json["data"])

    assert listed() == sorted(r["id"] for r in recordings)
    assert listed(**{"filter[type]": "video"}) == sorted(
        r["id"] for r in recordings if r["type"] == "video"
    )
    assert listed(**{"filter[participant_id]": video["participant_id"]}) == sorted(
        r["id"] for r in recordings if r["participant_id"] == video["participant_id"]
    )
    assert listed(**{"filter[duration_secs][gte]": "31"}) == []
    assert len(listed(**{"filter[duration_secs][lte]": "30"})) == 4
    assert telnyx.get(f"/room_recordings/{video['id']}").json["data"] == video

    assert telnyx.delete(f"/room_recordings/{video['id']}").status_code == 204
    assert telnyx.get(f"/room_recordings/{video['id']}").status_code == 404
    assert video["id"] not in listed()


def test_a_recording_download_url_serves_webm(telnyx: TelnyxClient) -> None:
    recording = telnyx.session()["recordings"][0]
    url = recording["download_url"].removeprefix("http://localhost")
    served = telnyx.client.get(url)
    assert served.status_code == 200
    assert served.mimetype == "video/webm"
    assert served.data[:4] == b"\x1a\x45\xdf\xa3"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"room_id": "7b61621f-62e0-4aad-ab11-9fd19e272e73"}, 404,
         "No Telnyx room '7b61621f-62e0-4aad-ab11-9fd19e272e73'"),
        ({"participants": 0}, 400,
         "participants: Must be greater than or equal to 1 and less than or equal to 50."),
        ({"duration_secs": "long"}, 400, "duration_secs: Must be an integer."),
    ],
)  # fmt: skip
def test_the_session_action_refuses_bad_input(
    telnyx: TelnyxClient, body: dict, status: int, error: str
) -> None:
    answer = telnyx.client.post(
        "/_recmock/vendors/telnyx/sessions", json=body, headers=telnyx.headers()
    )
    assert (answer.status_code, answer.json) == (status, {"error": error})


@pytest.mark.parametrize("body", [b"[]", b"null", b'"x"', b"1"])
def test_the_session_action_wants_an_object(telnyx: TelnyxClient, body: bytes) -> None:
    answer = telnyx.client.post(
        "/_recmock/vendors/telnyx/sessions",
        data=body,
        headers={**telnyx.headers(), "Content-Type": "application/json"},
    )
    assert (answer.status_code, answer.json) == (400, {"error": "Expected a JSON object"})


def test_the_session_action_needs_a_room_or_a_key(client) -> None:
    answer = client.post("/_recmock/vendors/telnyx/sessions", json={})
    assert answer.status_code == 400
    assert answer.json == {"error": "Give a room_id, or Authorization: Bearer <key> for a new room"}


def test_unknown_ids_are_404_everywhere(telnyx: TelnyxClient) -> None:
    unknown = "7b61621f-62e0-4aad-ab11-9fd19e272e73"
    for path in (f"/rooms/{unknown}", f"/room_sessions/{unknown}", f"/room_recordings/{unknown}",
                 f"/rooms/{unknown}/sessions"):  # fmt: skip
        answer = telnyx.get(path)
        assert answer.status_code == 404, path
        assert answer.json["errors"][0]["code"] == "10005"
    assert telnyx.delete(f"/room_recordings/{unknown}").status_code == 404


def test_a_key_cannot_add_sessions_to_another_accounts_room(telnyx: TelnyxClient, client) -> None:
    room = telnyx.post("/rooms", {"unique_name": "ours"}).json["data"]
    answer = client.post(
        "/_recmock/vendors/telnyx/sessions",
        json={"room_id": room["id"]},
        headers={"Authorization": "Bearer KEY_someone_else"},
    )
    assert answer.status_code == 404
