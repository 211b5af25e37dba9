"""Rooms: parameters in JSON, form or query string; the documented shapes; ready on the
clock; joining, guests, shutting down; credentials and the `{"error"}` body."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.eyeson.conftest import API_KEY, EyesonClient

HEX24 = re.compile(r"[0-9a-f]{24}")
KEY24 = re.compile(r"[A-Za-z0-9]{24}")


@pytest.mark.parametrize("encoding", ["json", "form", "query"])
def test_create_takes_json_form_and_query_parameters(eyeson: EyesonClient, encoding: str) -> None:
    flat = {"user[name]": "Ann Lee", "user[id]": "ann@acme.com", "name": "Standup",
            "options[recording_available]": "false"}  # fmt: skip
    nested = {"user": {"name": "Ann Lee", "id": "ann@acme.com"}, "name": "Standup",
              "options": {"recording_available": False}}  # fmt: skip
    sent = {"json": {"json": nested}, "form": {"data": flat}, "query": {"query_string": flat}}

    answer = eyeson.team("POST", "/rooms", **sent[encoding])

    assert answer.status_code == 201
    meeting = answer.json
    assert meeting["user"]["name"] == "Ann Lee"
    assert meeting["user"]["id"] == "ann@acme.com"
    assert meeting["room"]["name"] == "Standup"
    assert meeting["options"]["recording_available"] is False


def test_the_documented_shape(eyeson: EyesonClient) -> None:
    meeting = eyeson.room()

    assert set(meeting) == {
        "access_key", "ready", "locked", "room", "team", "user", "links", "options",
        "presentation", "broadcasts", "recording", "snapshots", "signaling",
    }  # fmt: skip
    assert KEY24.fullmatch(meeting["access_key"])
    assert KEY24.fullmatch(meeting["room"]["guest_token"])
    assert HEX24.fullmatch(meeting["room"]["id"])
    assert HEX24.fullmatch(meeting["user"]["id"])
    assert meeting["user"]["room_id"] == meeting["room"]["id"]
    assert meeting["room"]["started_at"] == "2026-03-02T09:30:00.000Z"
    assert meeting["room"]["shutdown"] is False
    assert meeting["ready"] is False and meeting["room"]["ready"] is False
    assert meeting["recording"] is None and meeting["broadcasts"] == []
    assert meeting["links"]["self"] == f"http://localhost/eyeson/rooms/{meeting['access_key']}"
    assert meeting["links"]["guest_join"].endswith(meeting["room"]["guest_token"])
    assert meeting["options"]["recording_available"] is True


@pytest.mark.parametrize("params", [{}, {"user": {}}, {"user": {"name": ""}}, {"name": "no user"}])
def test_user_name_is_required(eyeson: EyesonClient, params: dict) -> None:
    answer = eyeson.team("POST", "/rooms", json=params)
    assert answer.status_code == 400
    assert answer.json["error"].startswith("user[name]: ")


def test_ready_shortly_after_creation_on_the_clock(eyeson: EyesonClient, mock) -> None:
    key = eyeson.room()["access_key"]
    mock.clock.advance(timedelta(seconds=1))
    assert eyeson.meeting("GET", f"/rooms/{key}").json["ready"] is False
    mock.clock.advance(timedelta(seconds=1))
    shown = eyeson.meeting("GET", f"/rooms/{key}").json
    assert shown["ready"] is True and shown["room"]["ready"] is True


def test_a_script_delays_readiness(eyeson: EyesonClient, mock) -> None:
    mock.add_scripts(
        {"vendor": "eyeson", "resource": "room", "timeline": [{"after": "1m", "state": "ready"}]}
    )
    key = eyeson.room()["access_key"]
    mock.clock.advance(timedelta(seconds=59))
    assert eyeson.meeting("GET", f"/rooms/{key}").json["ready"] is False
    mock.clock.advance(timedelta(seconds=1))
    assert eyeson.meeting("GET", f"/rooms/{key}").json["ready"] is True


def test_a_custom_id_is_kept_and_joins_the_running_meeting(eyeson: EyesonClient, mock) -> None:
    first = eyeson.room(id="demo", user={"name": "Ann"})
    second = eyeson.room(id="demo", user={"name": "Bob"})

    assert first["room"]["id"] == second["room"]["id"] == "demo"
    assert first["access_key"] != second["access_key"]
    assert first["room"]["guest_token"] == second["room"]["guest_token"]
    assert [r["id"] for r in eyeson.team("GET", "/rooms").json] == ["demo"]


def test_guests_join_by_token_until_the_meeting_ends(eyeson: EyesonClient) -> None:
    meeting = eyeson.room(id="demo")
    token = meeting["room"]["guest_token"]

    guest = eyeson.meeting("POST", f"/guests/{token}", data={"name": "Guest One"})
    assert guest.status_code == 201
    assert guest.json["user"]["guest"] is True
    assert guest.json["room"]["id"] == "demo"
    assert eyeson.meeting("POST", f"/guests/{token}", json={}).status_code == 400
    assert eyeson.meeting("POST", "/guests/unknownunknownunknown123", data={"name": "x"}).json == {
        "error": "Guest token not found"
    }

    assert eyeson.team("DELETE", "/rooms/demo").status_code == 204
    late = eyeson.meeting("POST", f"/guests/{token}", data={"name": "Late"})
    assert (late.status_code, late.json) == (410, {"error": "The meeting is over"})


def test_shutting_down_a_meeting(eyeson: EyesonClient) -> None:
    meeting = eyeson.room()
    room_id, key = meeting["room"]["id"], meeting["access_key"]

    shut = eyeson.team("DELETE", f"/rooms/{room_id}")
    assert (shut.status_code, shut.data) == (204, b"")
    gone = eyeson.meeting("GET", f"/rooms/{key}")
    assert (gone.status_code, gone.json) == (410, {"error": "The meeting is over"})
    assert eyeson.team("GET", "/rooms").json == []
    again = eyeson.team("DELETE", f"/rooms/{room_id}")
    assert (again.status_code, again.json) == (404, {"error": "Room not found"})


def test_a_new_meeting_under_a_custom_id_after_shutdown(eyeson: EyesonClient) -> None:
    old = eyeson.room(id="weekly")
    eyeson.team("DELETE", "/rooms/weekly")
    new = eyeson.room(id="weekly")

    assert new["room"]["id"] == "weekly"
    assert new["room"]["guest_token"] != old["room"]["guest_token"]
    assert eyeson.meeting("GET", f"/rooms/{new['access_key']}").status_code == 200
    assert eyeson.meeting("GET", f"/rooms/{old['access_key']}").status_code == 410


def test_credentials(eyeson: EyesonClient, client, mock) -> None:
    missing = client.post("/eyeson/rooms", json={"user": {"name": "x"}})
    assert (missing.status_code, missing.json) == (
        401,
        {"error": "Authorization failed: an API key is required"},
    )
    mock.register_key("eyeson", API_KEY)
    unknown = client.get("/eyeson/rooms", headers={"Authorization": "someone-else"})
    assert (unknown.status_code, unknown.json) == (401, {"error": "Authorization failed"})
    assert client.get("/eyeson/rooms", headers={"Authorization": API_KEY}).status_code == 200


def test_unknown_access_key_and_route_answer_json(eyeson: EyesonClient) -> None:
    unknown = eyeson.meeting("GET", "/rooms/nosuchaccesskey000000000")
    route = eyeson.meeting("GET", "/nothing/here")
    assert (unknown.status_code, unknown.json) == (404, {"error": "Access key not found"})
    assert route.status_code == 404 and route.json["error"].startswith("Unknown route")


def test_teams_do_not_see_each_others_rooms(eyeson: EyesonClient, client) -> None:
    eyeson.room(id="ours")
    other = EyesonClient(client, key="another_team_key")
    assert other.team("GET", "/rooms").json == []
    assert other.team("DELETE", "/rooms/ours").status_code == 404
    assert other.team("GET", "/rooms/ours/recordings").status_code == 404


def test_served_on_the_real_host(client) -> None:
    answer = client.post(
        "/rooms",
        json={"user": {"name": "Ann"}},
        headers={"Host": "api.eyeson.team", "Authorization": API_KEY},
    )
    assert answer.status_code == 201
    assert answer.json["links"]["self"].startswith("http://api.eyeson.team/rooms/")


def test_options_are_plain_values_and_keys_no_deeper_than_eyesons(eyeson: EyesonClient) -> None:
    nested = eyeson.team("POST", "/rooms", json={"user": {"name": "A"}, "options": {"a": {"b": 1}}})
    deep = eyeson.team("POST", "/rooms", query_string={"user[name]": "A", "options[a][b][c]": "1"})
    empty = eyeson.team("POST", "/rooms", data={"user[name]": "A", "options[]": "1"})

    assert (nested.status_code, nested.json) == (
        400,
        {"error": "options[a]: must be a plain value"},
    )
    assert deep.status_code == 400 and "nested deeper" in deep.json["error"]
    assert (empty.status_code, empty.json) == (400, {"error": "options[]: must be a plain value"})
    assert eyeson.team("GET", "/rooms").json == []  # nothing half-made


def test_a_chunked_form_over_the_limit_is_refused_whole(eyeson: EyesonClient) -> None:
    import io

    body = b"user[name]=" + b"a" * (1024 * 1024 + 10) + b"&options[recording_available]=false"
    answer = eyeson.client.post(
        "/eyeson/rooms",
        input_stream=io.BytesIO(body),
        headers={
            "Authorization": API_KEY,
            "Content-Type": "application/x-www-form-urlencoded",
            "Transfer-Encoding": "chunked",
        },
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert answer.status_code == 413
    assert eyeson.team("GET", "/rooms").json == []


@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_a_form_body_is_journaled_as_sent(eyeson: EyesonClient, framing: str) -> None:
    import io

    body = b"id=standup&user%5Bname%5D=Jane+Doe"
    chunked = {"Transfer-Encoding": "chunked"} if framing == "chunked" else {}
    answer = eyeson.client.post(
        "/eyeson/rooms",
        input_stream=io.BytesIO(body),
        content_length=None if chunked else len(body),
        headers={
            "Authorization": API_KEY,
            "Content-Type": "application/x-www-form-urlencoded",
            **chunked,
        },
        environ_overrides={"wsgi.input_terminated": True},
    )
    (entry,) = eyeson.client.get("/_recmock/requests").json["requests"]

    assert answer.status_code == 201
    assert answer.json["user"]["name"] == "Jane Doe"
    assert entry["body"] == body.decode()


def test_guests_cannot_join_a_locked_meeting(eyeson: EyesonClient) -> None:
    token = eyeson.room(options={"locked": True})["room"]["guest_token"]
    answer = eyeson.meeting("POST", f"/guests/{token}", data={"name": "G"})
    assert (answer.status_code, answer.json) == (423, {"error": "The meeting is locked"})


def test_a_key_sent_with_a_scheme_is_refused(client) -> None:
    answer = client.get("/eyeson/rooms", headers={"Authorization": f"Bearer {API_KEY}"})
    assert answer.status_code == 401
    assert "bare API key" in answer.json["error"]


def test_a_state_round_trip_keeps_pending_work_pending(eyeson: EyesonClient, mock) -> None:
    waiting = eyeson.room()  # ready at +2 s
    recorded = eyeson.ready_room(mock, id="rec")
    eyeson.meeting("POST", f"/rooms/{recorded['access_key']}/recording")
    eyeson.meeting("DELETE", f"/rooms/{recorded['access_key']}/recording")  # finish at +10 s
    mock.clock.advance(timedelta(seconds=1))

    mock.replace_state(mock.dump_state())

    assert eyeson.recording_of("rec")["links"]["download"] is None
    mock.clock.advance(timedelta(seconds=8))
    assert eyeson.recording_of("rec")["links"]["download"] is None
    mock.clock.advance(timedelta(seconds=1))
    assert eyeson.recording_of("rec")["links"]["download"] is not None
    assert eyeson.meeting("GET", f"/rooms/{waiting['access_key']}").json["ready"] is True


def test_a_guest_token_that_is_not_ascii_is_unknown(eyeson: EyesonClient) -> None:
    answer = eyeson.meeting("POST", "/guests/%C3%A9", data={"name": "G"})
    assert (answer.status_code, answer.json) == (404, {"error": "Guest token not found"})
