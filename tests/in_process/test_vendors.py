"""Each vendor's main calls, through every client recmock answers in process, at the
vendors' real URLs: create, read, upload and media where the vendor has them, an error.
The `recmock` fixture is the one users get from the plugin."""

from __future__ import annotations

from pathlib import Path

from recmock import RecMock
from tests.in_process.clients import Client

MEDIA = Path(__file__).resolve().parents[2] / "fixtures" / "media"
MP4 = (MEDIA / "sample.mp4").read_bytes()
WEBM = (MEDIA / "sample.webm").read_bytes()

CLAAP = "https://api.claap.io/v1"
CLAAP_KEY = {"X-Claap-Key": "cla_in_process"}
TELNYX = "https://api.telnyx.com/v2"
TELNYX_KEY = {"Authorization": "Bearer KEY_in_process"}
EYESON = "https://api.eyeson.team"
EYESON_KEY = {"Authorization": "eyeson-in-process-key"}
VALT = "http://valt.example.com/api/v3"
SCOOT = "https://api.scoot.app/api/v1"
SCOOT_KEY = {"X-API-Key": "scoot-in-process-key"}


def test_claap_create_upload_in_chunks_process_and_download(
    client: Client, recmock: RecMock
) -> None:
    recmock.clock.freeze()
    created = client.send(
        "POST", f"{CLAAP}/recordings", headers=CLAAP_KEY, json={"authorEmail": "ann@acme.com"}
    )
    assert created.status == 200
    recording = created.json()["result"]["recording"]
    assert recording["state"] == "Empty"
    assert recording["upload"]["url"].startswith("https://api.claap.io/uploads/")

    halves = [MP4[: len(MP4) // 2], MP4[len(MP4) // 2 :]]
    uploaded = client.send(
        "PUT", recording["upload"]["url"], headers={"Content-Type": "video/mp4"}, chunks=halves
    )
    assert uploaded.status == 200
    recmock.advance("10s")

    read = client.send("GET", f"{CLAAP}/recordings/{recording['id']}", headers=CLAAP_KEY)
    assert read.status == 200
    ready = read.json()["result"]["recording"]
    assert ready["state"] == "Ready"
    assert client.download(ready["video"]["url"]) == MP4
    [put] = recmock.journal.entries(vendor="claap", method="PUT")
    assert put["headers"]["Transfer-Encoding"] == "chunked"


def test_claap_follows_a_recordings_link_to_its_video(client: Client, recmock: RecMock) -> None:
    created = client.send(
        "POST", f"{CLAAP}/recordings", headers=CLAAP_KEY, json={"authorEmail": "ann@acme.com"}
    ).json()["result"]["recording"]
    client.send("PUT", created["upload"]["url"], content=MP4)
    recmock.advance("10s")
    link = f"https://api.claap.io/app/recordings/{created['id']}"
    assert client.send("GET", link).status == 302
    followed = client.send("GET", link, follow_redirects=True)
    assert (followed.status, followed.body) == (200, MP4)


def test_claap_errors_in_claaps_shape(client: Client, recmock: RecMock) -> None:
    missing = client.send("GET", f"{CLAAP}/recordings/nope", headers=CLAAP_KEY)
    assert missing.status == 404
    assert missing.json() == {"error": {"type": "not_found", "message": "Recording was not found"}}
    refused = client.send("GET", f"{CLAAP}/recordings")
    assert refused.status == 401
    assert refused.json() == {
        "error": {"type": "unauthorized", "message": "API key was not supplied or is not valid"}
    }


def test_telnyx_compose_a_session_list_it_and_download(client: Client, recmock: RecMock) -> None:
    recmock.clock.freeze()
    session = recmock.telnyx.simulate_session(api_key="KEY_in_process", duration_secs=90)
    created = client.send(
        "POST",
        f"{TELNYX}/room_compositions",
        headers=TELNYX_KEY,
        json={"session_id": session["session"]["id"]},
    )
    assert created.status == 202
    composition = created.json()["data"]
    assert composition["status"] == "enqueued"

    recmock.advance("35s")
    listed = client.send(
        "GET", f"{TELNYX}/room_compositions?filter[status]=completed", headers=TELNYX_KEY
    )
    assert [c["id"] for c in listed.json()["data"]] == [composition["id"]]
    done = client.send(
        "GET", f"{TELNYX}/room_compositions/{composition['id']}", headers=TELNYX_KEY
    ).json()["data"]
    assert (done["status"], done["duration_secs"]) == ("completed", 90)
    assert client.download(done["download_url"])[4:8] == b"ftyp"


def test_telnyx_errors_in_telnyxs_shape(client: Client, recmock: RecMock) -> None:
    invalid = client.send(
        "POST", f"{TELNYX}/room_compositions", headers=TELNYX_KEY, json={"resolution": "4000x10"}
    )
    assert invalid.status == 422
    assert [(e["code"], e["source"]["pointer"]) for e in invalid.json()["errors"]] == [
        ("10004", "/session_id"),
        ("10015", "/resolution"),
    ]
    refused = client.send("GET", f"{TELNYX}/room_compositions")
    assert refused.status == 401
    assert refused.json()["errors"][0]["code"] == "10009"


def test_eyeson_meeting_recorded_and_downloaded(client: Client, recmock: RecMock) -> None:
    recmock.clock.freeze()
    created = client.send(
        "POST", f"{EYESON}/rooms", headers=EYESON_KEY, form={"id": "standup", "user[name]": "Jane"}
    )
    assert created.status == 201
    access_key = created.json()["access_key"]
    assert client.send("GET", f"{EYESON}/rooms/{access_key}").json()["room"]["id"] == "standup"

    recmock.advance("2s")  # the room is ready
    assert client.send("POST", f"{EYESON}/rooms/{access_key}/recording").status == 201
    recmock.advance("60s")
    assert client.send("DELETE", f"{EYESON}/rooms/{access_key}/recording").status == 200
    recmock.advance("10s")
    [recording] = client.send(
        "GET", f"{EYESON}/rooms/standup/recordings", headers=EYESON_KEY
    ).json()
    shown = client.send("GET", f"{EYESON}/recordings/{recording['id']}", headers=EYESON_KEY)
    assert client.download(shown.json()["links"]["download"]) == WEBM


def test_eyeson_errors_in_eyesons_shape(client: Client, recmock: RecMock) -> None:
    missing = client.send("GET", f"{EYESON}/rooms/nope")
    assert (missing.status, missing.json()) == (404, {"error": "Access key not found"})


def test_valt_login_upload_and_download_with_its_token(client: Client, recmock: RecMock) -> None:
    login = client.send("POST", f"{VALT}/login", json={"username": "ann", "password": "secret"})
    token = login.json()["data"]["access_token"]
    record = client.send(
        "POST", f"{VALT}/records/create-upload?access_token={token}", json={"name": "Interview"}
    ).json()
    uploaded = client.send(
        "POST",
        f"{VALT}/records/{record['id']}/videos/{record['videos'][0]}?access_token={token}",
        files={"file": ("interview.mp4", MP4, "video/mp4")},
    )
    assert (uploaded.status, uploaded.json()) == (201, record)
    link = client.send(
        "GET", f"{VALT}/records/download/{record['id']}/{record['videos'][0]}?access_token={token}"
    ).json()["url"]
    assert client.download(link) == MP4


def test_valt_errors_in_valts_shape(client: Client, recmock: RecMock) -> None:
    refused = client.send("GET", f"{VALT}/records/1")
    assert refused.status == 401
    assert refused.json() == {"error": {"code": 401, "message": "No API token provided"}}


def test_scoot_processing_completes(client: Client, recmock: RecMock) -> None:
    recmock.clock.freeze()
    social_recording = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
    started = client.send(
        "POST",
        f"{SCOOT}/recording/processing",
        headers=SCOOT_KEY,
        json={
            "socialRecordingId": social_recording,
            "socialId": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            "recordingId": "recordings/weekly.mp4",
            "name": "Weekly",
        },
    )
    assert started.status == 200
    assert started.json()["status"] == "PROCESSING"
    recmock.advance("60s")
    read = client.send(
        "GET", f"{SCOOT}/recording?socialRecordingId={social_recording}", headers=SCOOT_KEY
    )
    assert read.json()["status"] == "COMPLETE"


def test_scoot_errors_in_scoots_shape(client: Client, recmock: RecMock) -> None:
    invalid = client.send(
        "POST", f"{SCOOT}/recording/processing", headers=SCOOT_KEY, json={"socialId": "nope"}
    )
    assert invalid.status == 400
    body = invalid.json()
    assert (body["status"], body["error"], body["path"]) == (
        400,
        "Bad Request",
        "/api/v1/recording/processing",
    )
    assert body["errors"] == [
        {"field": "socialId", "defaultMessage": "must be a UUID"},
        {"field": "recordingId", "defaultMessage": "Missing data for required field."},
    ]
