"""enqueued -> processing -> completed on the mock's clock; the download URL serves a
real MP4 and expires; a state script fails a composition."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.telnyx.conftest import TelnyxClient

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_MP4 = (ROOT / "fixtures" / "media" / "sample.mp4").read_bytes()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_enqueued_processing_completed_on_the_mock_clock(
    telnyx: TelnyxClient, session: dict[str, Any], mock
) -> None:
    created = telnyx.compose(session)

    mock.clock.advance(timedelta(seconds=4))
    assert telnyx.composition(created["id"])["status"] == "enqueued"
    mock.clock.advance(timedelta(seconds=1))
    processing = telnyx.composition(created["id"])
    assert processing["status"] == "processing"
    assert processing["started_at"] == "2026-03-02T09:30:05.000000Z"
    assert "completed_at" not in processing and "download_url" not in processing
    mock.clock.advance(timedelta(seconds=30))
    done = telnyx.composition(created["id"])

    assert done["status"] == "completed"
    assert done["started_at"] == "2026-03-02T09:30:05.000000Z"
    assert done["ended_at"] == done["completed_at"] == "2026-03-02T09:30:35.000000Z"
    assert done["updated_at"] == "2026-03-02T09:30:35.000000Z"
    assert done["duration_secs"] == 90  # the session's length
    assert done["size_mb"] == round(len(SAMPLE_MP4) / 1e6, 3)
    assert done["download_url"].startswith("http://localhost/telnyx/files/room_compositions/")


def test_the_download_url_serves_the_mp4_for_ten_minutes(
    telnyx: TelnyxClient, session: dict[str, Any], mock
) -> None:
    created = telnyx.compose(session)
    mock.clock.advance(timedelta(seconds=35))
    url = telnyx.composition(created["id"])["download_url"]

    served = telnyx.client.get(_path(url))  # no API key: the URL is pre-signed
    assert served.status_code == 200
    assert served.mimetype == "video/mp4"
    assert served.data == SAMPLE_MP4
    assert served.data[4:8] == b"ftyp"
    ranged = telnyx.client.get(_path(url), headers={"Range": "bytes=0-7"})
    assert (ranged.status_code, ranged.data) == (206, SAMPLE_MP4[:8])

    mock.clock.advance(timedelta(minutes=10, seconds=1))
    expired = telnyx.client.get(_path(url))
    assert expired.status_code == 403
    assert expired.json["errors"][0]["detail"] == "The download URL has expired."
    fresh = telnyx.composition(created["id"])["download_url"]  # each answer signs anew
    assert telnyx.client.get(_path(fresh)).status_code == 200


def test_a_forged_or_foreign_download_url_is_refused(
    telnyx: TelnyxClient, session: dict[str, Any], mock
) -> None:
    created = telnyx.compose(session)
    mock.clock.advance(timedelta(seconds=35))
    url = telnyx.composition(created["id"])["download_url"]
    other = session["recordings"][0]["id"]

    forged = telnyx.client.get(_path(url).replace(created["id"], other))
    assert forged.status_code == 403
    assert forged.json["errors"][0]["detail"] == "The download URL is not valid."


def test_a_deleted_composition_is_not_downloadable(
    telnyx: TelnyxClient, session: dict[str, Any], mock
) -> None:
    created = telnyx.compose(session)
    mock.clock.advance(timedelta(seconds=35))
    url = telnyx.composition(created["id"])["download_url"]
    telnyx.delete(f"/room_compositions/{created['id']}")

    assert telnyx.client.get(_path(url)).status_code == 404


def test_a_script_fails_a_composition(telnyx: TelnyxClient, session: dict[str, Any], mock) -> None:
    mock.add_scripts(ROOT / "fixtures" / "scripts" / "telnyx-composition-fails.yaml")
    failing = telnyx.compose(session, resolution="640x360")
    normal = telnyx.compose(session)

    mock.clock.advance(timedelta(minutes=2))

    shown = telnyx.composition(failing["id"])
    assert shown["status"] == "processing"  # Telnyx's enum has no failed
    assert "download_url" not in shown
    assert telnyx.composition(normal["id"])["status"] == "completed"


def test_a_state_dump_keeps_compositions_and_their_progress(
    telnyx: TelnyxClient, session: dict[str, Any], mock
) -> None:
    created = telnyx.compose(session)
    mock.clock.advance(timedelta(seconds=6))
    dump = mock.dump_state()

    mock.replace_state(dump)
    assert telnyx.composition(created["id"])["status"] == "processing"
    mock.clock.advance(timedelta(seconds=30))
    assert telnyx.composition(created["id"])["status"] == "completed"


def test_a_hand_edited_dump_with_wrong_member_types_is_refused_whole(
    telnyx: TelnyxClient, session: dict[str, Any], mock
) -> None:
    dump = mock.dump_state()
    stored = dump["vendors"]["telnyx"]["resources"]["room_session"]
    [row] = next(iter(stored.values()))  # the one session, under its account
    row["participants"] = ["not an object"]

    with pytest.raises(ValueError, match=r"room_session.participants.0: 'not an object'"):
        mock.replace_state(dump)
    assert telnyx.get(f"/room_sessions/{session['session']['id']}").status_code == 200
