"""Recordings: every documented status, the three states, lists, download links that
expire after an hour, and the 14-day retention (by the mock's clock and by freezegun)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from freezegun import freeze_time

from recmock import Config, RecMock, create_app
from tests.eyeson.conftest import EyesonClient

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_WEBM = (ROOT / "fixtures" / "media" / "sample.webm").read_bytes()


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_start_statuses(eyeson: EyesonClient, mock) -> None:
    off = eyeson.room(options={"recording_available": False})
    on = eyeson.room()
    unknown = eyeson.meeting("POST", "/rooms/nosuchaccesskey000000000/recording")
    not_ready = eyeson.meeting("POST", f"/rooms/{on['access_key']}/recording")
    mock.clock.advance(timedelta(seconds=2))
    disabled = eyeson.meeting("POST", f"/rooms/{off['access_key']}/recording")
    started = eyeson.meeting("POST", f"/rooms/{on['access_key']}/recording")
    twice = eyeson.meeting("POST", f"/rooms/{on['access_key']}/recording")
    eyeson.team("DELETE", f"/rooms/{on['room']['id']}")
    over = eyeson.meeting("POST", f"/rooms/{on['access_key']}/recording")

    assert (unknown.status_code, unknown.json) == (404, {"error": "Access key not found"})
    assert (not_ready.status_code, not_ready.json) == (
        406,
        {"error": "The meeting is not ready yet"},
    )
    assert (disabled.status_code, disabled.json) == (
        405,
        {"error": "Recording is not available in this room"},
    )
    assert (started.status_code, started.data) == (201, b"")  # "only HTTP status"
    assert "Content-Type" not in started.headers
    assert (twice.status_code, twice.json) == (406, {"error": "A recording is already running"})
    assert (over.status_code, over.json) == (410, {"error": "The meeting is over"})


def test_stop_statuses(eyeson: EyesonClient, mock) -> None:
    room = eyeson.ready_room(mock)
    key = room["access_key"]
    nothing = eyeson.meeting("DELETE", f"/rooms/{key}/recording")
    eyeson.meeting("POST", f"/rooms/{key}/recording")
    stopped = eyeson.meeting("DELETE", f"/rooms/{key}/recording")

    assert (nothing.status_code, nothing.json) == (404, {"error": "No recording is running"})
    assert (stopped.status_code, stopped.data) == (200, b"")


def test_three_states_told_apart_by_duration_and_download(eyeson: EyesonClient, mock) -> None:
    room = eyeson.ready_room(mock, user={"name": "Jane Doe", "id": "jane"})
    key, room_id = room["access_key"], room["room"]["id"]

    eyeson.meeting("POST", f"/rooms/{key}/recording")
    started = eyeson.recording_of(room_id)
    assert started["duration"] is None and started["links"]["download"] is None
    assert eyeson.meeting("GET", f"/rooms/{key}").json["recording"]["id"] == started["id"]

    mock.clock.advance(timedelta(minutes=30))
    eyeson.meeting("DELETE", f"/rooms/{key}/recording")
    stopped = eyeson.team("GET", f"/recordings/{started['id']}").json
    assert stopped["duration"] == 1800 and stopped["links"]["download"] is None

    mock.clock.advance(timedelta(seconds=10))
    finished = eyeson.team("GET", f"/recordings/{started['id']}").json
    assert finished["duration"] == 1800
    assert finished["links"]["download"].startswith("http://localhost/eyeson/files/meetings/")
    assert finished["id"] == started["id"]
    assert finished["created_at"] == int(datetime(2026, 3, 2, 9, 30, 2, tzinfo=UTC).timestamp())
    assert finished["links"]["self"] == f"http://localhost/eyeson/recordings/{started['id']}"
    assert finished["user"]["id"] == "jane" and finished["user"]["name"] == "Jane Doe"
    assert finished["room"]["id"] == room_id
    assert eyeson.meeting("GET", f"/rooms/{key}").json["recording"] is None


def test_shutting_the_meeting_down_stops_its_recording(eyeson: EyesonClient, mock) -> None:
    room = eyeson.ready_room(mock)
    eyeson.meeting("POST", f"/rooms/{room['access_key']}/recording")
    mock.clock.advance(timedelta(seconds=45))

    eyeson.team("DELETE", f"/rooms/{room['room']['id']}")
    stopped = eyeson.recording_of(room["room"]["id"])
    assert stopped["duration"] == 45 and stopped["links"]["download"] is None
    mock.clock.advance(timedelta(seconds=10))
    assert eyeson.recording_of(room["room"]["id"])["links"]["download"] is not None


def test_the_download_link_serves_webm_for_one_hour(eyeson: EyesonClient, mock) -> None:
    room = eyeson.ready_room(mock)
    recording = eyeson.record(mock, room)
    link = _local(recording["links"]["download"])

    served = eyeson.client.get(link)  # no API key: the link is signed
    assert (served.status_code, served.mimetype) == (200, "video/webm")
    assert served.data == SAMPLE_WEBM

    mock.clock.advance(timedelta(minutes=59, seconds=59))
    assert eyeson.client.get(link).status_code == 200
    mock.clock.advance(timedelta(seconds=1))
    expired = eyeson.client.get(link)
    assert (expired.status_code, expired.json) == (403, {"error": "The download link has expired"})

    fresh = eyeson.team("GET", f"/recordings/{recording['id']}").json["links"]["download"]
    assert eyeson.client.get(_local(fresh)).status_code == 200


def test_a_recording_is_destroyed_14_days_after_creation(eyeson: EyesonClient, mock) -> None:
    room = eyeson.ready_room(mock)
    recording = eyeson.record(mock, room)  # created at 09:30:02, finished 70 s later
    created = mock.now() - timedelta(seconds=70)

    mock.clock.set(created + timedelta(days=14) - timedelta(seconds=1))
    link = _local(eyeson.team("GET", f"/recordings/{recording['id']}").json["links"]["download"])
    assert eyeson.client.get(link).status_code == 200
    mock.clock.advance(timedelta(seconds=1))

    gone = eyeson.team("GET", f"/recordings/{recording['id']}")
    assert (gone.status_code, gone.json) == (404, {"error": "Recording not found"})
    assert eyeson.team("GET", f"/rooms/{room['room']['id']}/recordings").json == []
    assert eyeson.client.get(link).status_code == 404  # the file went with it
    assert mock.vendors["eyeson"].backend.recordings.find(recording["id"]) is None  # destroyed


@pytest.fixture
def thawed_app() -> Iterator[Flask]:
    """An app on the real clock, which freezegun moves."""
    app = create_app(Config(seed=5))
    yield app
    app.extensions["recmock"].close()


def test_retention_and_link_expiry_under_freezegun(thawed_app: Flask) -> None:
    mock: RecMock = thawed_app.extensions["recmock"]
    eyeson = EyesonClient(thawed_app.test_client())
    with freeze_time("2026-05-01 10:00:00", tick=False) as frozen:
        room = eyeson.room()
        frozen.tick(timedelta(seconds=3))
        eyeson.meeting("POST", f"/rooms/{room['access_key']}/recording")
        frozen.tick(timedelta(seconds=30))
        eyeson.meeting("DELETE", f"/rooms/{room['access_key']}/recording")
        frozen.tick(timedelta(seconds=10))
        recording = eyeson.recording_of(room["room"]["id"])
        link = _local(recording["links"]["download"])
        assert recording["duration"] == 30

        frozen.tick(timedelta(hours=1, seconds=1))
        assert eyeson.client.get(link).status_code == 403
        frozen.tick(timedelta(days=14))
        assert eyeson.team("GET", f"/recordings/{recording['id']}").status_code == 404
    assert mock.vendors["eyeson"].backend.recordings.find(recording["id"]) is None  # destroyed


def test_list_pages_and_filters(eyeson: EyesonClient, mock) -> None:
    room = eyeson.ready_room(mock, id="big")
    key = room["access_key"]
    ids = []
    for _ in range(27):
        eyeson.meeting("POST", f"/rooms/{key}/recording")
        mock.clock.advance(timedelta(seconds=5))
        eyeson.meeting("DELETE", f"/rooms/{key}/recording")
        ids.append(eyeson.team("GET", "/rooms/big/recordings").json[0]["id"])
    newest_first = ids[::-1]

    first = eyeson.team("GET", "/rooms/big/recordings").json
    second = eyeson.team("GET", "/rooms/big/recordings", query_string={"page": 2}).json
    assert isinstance(first, list) and len(first) == 25
    assert [r["id"] for r in first + second] == newest_first
    assert eyeson.team("GET", "/rooms/big/recordings", query_string={"page": 3}).json == []

    since = datetime(2026, 3, 2, 9, 32, tzinfo=UTC).isoformat()
    recent = eyeson.team("GET", "/rooms/big/recordings", query_string={"since": since}).json
    assert all(r["created_at"] >= datetime.fromisoformat(since).timestamp() for r in recent)
    assert 0 < len(recent) < 27
    until = eyeson.team("GET", "/rooms/big/recordings", query_string={"until": since}).json
    assert len(recent) + len(until) == 27

    bad = eyeson.team("GET", "/rooms/big/recordings", query_string={"page": "two"})
    assert (bad.status_code, bad.json) == (400, {"error": "page: must be a whole number"})
    unknown = eyeson.team("GET", "/rooms/nope/recordings")
    assert (unknown.status_code, unknown.json) == (404, {"error": "Room not found"})


def test_started_at_selects_one_meeting_instance(eyeson: EyesonClient, mock) -> None:
    first = eyeson.ready_room(mock, id="weekly")
    eyeson.record(mock, first, seconds=5)
    eyeson.team("DELETE", "/rooms/weekly")
    mock.clock.advance(timedelta(days=7))
    second = eyeson.ready_room(mock, id="weekly")
    eyeson.record(mock, second, seconds=5)

    def listed(at: datetime) -> int:
        query = {"started_at": at.isoformat()}
        return len(eyeson.team("GET", "/rooms/weekly/recordings", query_string=query).json)

    assert len(eyeson.team("GET", "/rooms/weekly/recordings").json) == 2
    assert listed(datetime(2026, 3, 2, 9, 30, 5, tzinfo=UTC)) == 1
    assert listed(mock.now()) == 1
    assert listed(datetime(2026, 3, 5, tzinfo=UTC)) == 0


def test_get_and_delete_a_recording(eyeson: EyesonClient, mock) -> None:
    recording = eyeson.record(mock, eyeson.ready_room(mock))

    deleted = eyeson.team("DELETE", f"/recordings/{recording['id']}")
    assert (deleted.status_code, deleted.data) == (200, b"")
    again = eyeson.team("DELETE", f"/recordings/{recording['id']}")
    assert (again.status_code, again.json) == (404, {"error": "Recording not found"})
    assert eyeson.team("GET", f"/recordings/{recording['id']}").status_code == 404


def test_a_script_makes_finishing_slower(eyeson: EyesonClient, mock) -> None:
    mock.add_scripts(
        {
            "vendor": "eyeson",
            "resource": "recording",
            "timeline": [{"after": "5m", "state": "finished"}],
        }
    )
    room = eyeson.ready_room(mock)
    eyeson.meeting("POST", f"/rooms/{room['access_key']}/recording")
    eyeson.meeting("DELETE", f"/rooms/{room['access_key']}/recording")
    mock.clock.advance(timedelta(minutes=4))
    assert eyeson.recording_of(room["room"]["id"])["links"]["download"] is None
    mock.clock.advance(timedelta(minutes=1))
    assert eyeson.recording_of(room["room"]["id"])["links"]["download"] is not None


def test_odd_page_and_link_values_are_refused_not_crashed(eyeson: EyesonClient, mock) -> None:
    recording = eyeson.record(mock, eyeson.ready_room(mock, id="r"))
    page = eyeson.team("GET", "/rooms/r/recordings", query_string={"page": "9" * 5000})
    parts = urlsplit(recording["links"]["download"])
    link = eyeson.client.get(f"{parts.path}?expires={'9' * 5000}&signature=x")

    assert (page.status_code, page.json) == (400, {"error": "page: must be a whole number"})
    assert (link.status_code, link.json) == (403, {"error": "The download link is not valid"})
