"""Example: a team's own tests of its Claap integration, using the `recmock` fixture.

The code under test keeps Claap's production URL; the fixture answers it in-process
(no sockets), and the test moves the mock's clock instead of sleeping.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import resources

import requests
from freezegun import freeze_time

# A real MP4 that recmock ships (the same as fixtures/media/sample.mp4 in its repository).
SAMPLE = resources.files("recmock.assets").joinpath("sample.mp4")


# --- the application's code (normally in the application package) -------------------

CLAAP = "https://api.claap.io/v1"


def upload_call_recording(key: str, author: str, title: str, media: bytes) -> str:
    """Create a Claap recording and upload its media; answer the recording's id."""
    created = requests.post(
        f"{CLAAP}/recordings",
        json={"authorEmail": author, "title": title},
        headers={"X-Claap-Key": key},
        timeout=10,
    )
    created.raise_for_status()
    recording = created.json()["result"]["recording"]
    requests.put(recording["upload"]["url"], data=media, timeout=10).raise_for_status()
    return recording["id"]


def recording_state(key: str, recording_id: str) -> str:
    answer = requests.get(
        f"{CLAAP}/recordings/{recording_id}", headers={"X-Claap-Key": key}, timeout=10
    )
    answer.raise_for_status()
    return answer.json()["result"]["recording"]["state"]


# --- its tests -----------------------------------------------------------------------


def test_a_recording_becomes_ready_after_processing(recmock) -> None:
    recmock.clock.freeze()
    recording_id = upload_call_recording(
        "cla_team", "ann@acme.com", "Kick-off", SAMPLE.read_bytes()
    )
    assert recording_state("cla_team", recording_id) == "Uploaded"

    recmock.advance("10s")

    assert recording_state("cla_team", recording_id) == "Ready"
    sent = recmock.journal.entries(vendor="claap", method="POST")
    assert [entry["path"] for entry in sent] == ["/v1/recordings"]


def test_freezegun_moves_the_mock_too(recmock) -> None:
    with freeze_time("2026-06-01 12:00:00") as frozen:
        recording_id = upload_call_recording(
            "cla_team", "ann@acme.com", "Demo", SAMPLE.read_bytes()
        )
        frozen.tick(timedelta(seconds=10))
        assert recording_state("cla_team", recording_id) == "Ready"


def test_a_scripted_failure(recmock) -> None:
    recmock.add_scripts(
        {"vendor": "claap", "match": {"title": "broken*"}, "timeline": [{"state": "Failed"}]}
    )
    recording_id = upload_call_recording("cla_team", "ann@acme.com", "broken call", b"junk")
    assert recording_state("cla_team", recording_id) == "Failed"


def test_each_test_starts_from_an_empty_mock(recmock) -> None:
    listed = requests.get(
        f"{CLAAP}/recordings", headers={"X-Claap-Key": "cla_team"}, timeout=10
    ).json()
    assert listed["result"]["recordings"] == []
    assert recmock.journal.entries() != []  # this test's own request, and only that one
    assert len(recmock.journal.entries()) == 1


def test_the_quota_is_enforced(recmock) -> None:
    for n in range(50):
        upload_call_recording("cla_quota", "ann@acme.com", f"call {n}", SAMPLE.read_bytes())
        recmock.advance("1s")  # Claap allows 3 calls a second
    refused = requests.post(
        f"{CLAAP}/recordings",
        json={"authorEmail": "ann@acme.com"},
        headers={"X-Claap-Key": "cla_quota"},
        timeout=10,
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["type"] == "quota_exceeded"
