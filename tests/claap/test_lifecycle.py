""" "Once the payload is received, state will change to Uploaded then either to Ready
or Failed. Payload formats: aac, avi, mp3, mp4, wav, webm, wmv." (post_recording)"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from recmock import RecMock
from tests.claap.conftest import PAYLOADS, ClaapClient
from tests.conftest import Receiver


@pytest.mark.parametrize("media_format", sorted(PAYLOADS))
def test_each_accepted_format_goes_uploaded_then_ready(
    claap: ClaapClient, mock: RecMock, media_format: str
) -> None:
    recording = claap.created(title=f"a {media_format}")
    assert claap.state(recording["id"]) == "Empty"

    assert claap.upload(recording, PAYLOADS[media_format]).status_code == 200
    assert claap.state(recording["id"]) == "Uploaded"

    mock.clock.advance(timedelta(seconds=9))
    assert claap.state(recording["id"]) == "Uploaded"
    mock.clock.advance(timedelta(seconds=1))
    ready = claap.get(recording["id"]).json["result"]["recording"]
    assert ready["state"] == "Ready"
    assert ready["video"]["url"].split("?")[0].endswith(f"/video.{media_format}")


def test_the_video_url_serves_the_uploaded_bytes(claap: ClaapClient, mock: RecMock) -> None:
    ready = claap.ready(mock)
    video = claap.client.get(ready["video"]["url"])
    assert video.status_code == 200
    assert video.mimetype == "video/mp4"
    assert video.data == PAYLOADS["mp4"]
    thumbnail = claap.client.get(ready["thumbnailUrl"])
    assert thumbnail.mimetype == "image/png" and thumbnail.data.startswith(b"\x89PNG")


def test_a_tampered_signature_serves_nothing(claap: ClaapClient, mock: RecMock) -> None:
    ready = claap.ready(mock)
    genuine = ready["video"]["url"]
    forged = genuine[: genuine.index("signature=") + len("signature=")] + "0" * 32
    assert claap.client.get(genuine).status_code == 200
    response = claap.client.get(forged)
    assert response.status_code == 403
    assert response.json == {
        "error": {"type": "forbidden", "message": "The URL signature is not valid"}
    }


def test_the_video_url_answers_range_requests(claap: ClaapClient, mock: RecMock) -> None:
    ready = claap.ready(mock)
    part = claap.client.get(ready["video"]["url"], headers={"Range": "bytes=4-7"})
    assert part.status_code == 206
    assert part.data == PAYLOADS["mp4"][4:8] == b"ftyp"


def test_ready_fills_duration_thumbnail_video_and_transcripts(
    claap: ClaapClient, mock: RecMock
) -> None:
    recording = claap.created()
    fetched = claap.get(recording["id"]).json["result"]["recording"]
    assert fetched["durationSeconds"] is None
    assert fetched["video"] is None and fetched["thumbnailUrl"] is None
    assert fetched["transcripts"] == []

    ready = claap.ready(
        mock, meeting={"startedAt": "2026-03-01T10:00Z", "endedAt": "2026-03-01T10:45Z"}
    )
    assert ready["durationSeconds"] == 45 * 60
    assert ready["transcripts"][0]["isTranscript"] is True
    assert ready["transcripts"][0]["langIso2"] == "en"


def test_an_unrecognised_payload_ends_failed(claap: ClaapClient, mock: RecMock) -> None:
    recording = claap.created()
    claap.upload(recording, b"%PDF-1.7 this is not a video")
    assert claap.state(recording["id"]) == "Uploaded"
    mock.clock.advance(timedelta(seconds=10))
    failed = claap.get(recording["id"]).json["result"]["recording"]
    assert failed["state"] == "Failed"
    assert failed["video"] is None


def test_without_a_payload_a_recording_stays_empty(claap: ClaapClient, mock: RecMock) -> None:
    recording = claap.created()
    mock.clock.advance(timedelta(days=3))
    assert claap.state(recording["id"]) == "Empty"


def test_the_payload_is_taken_once(claap: ClaapClient) -> None:
    recording = claap.created()
    claap.upload(recording, PAYLOADS["mp4"])
    again = claap.upload(recording, PAYLOADS["mp4"])
    assert again.status_code == 400
    assert again.json == {
        "error": {
            "type": "bad_request",
            "message": "The payload of this recording was already received",
        }
    }


def test_an_upload_url_with_a_wrong_signature_is_refused(claap: ClaapClient) -> None:
    recording = claap.created()
    url = recording["upload"]["url"].split("?")[0] + "?signature=guess"
    assert claap.client.put(url, data=PAYLOADS["mp4"]).status_code == 404
    assert claap.state(recording["id"]) == "Empty"


def test_an_upload_over_the_limit_is_413_and_changes_nothing(
    claap: ClaapClient, mock: RecMock
) -> None:
    mock.config.max_media_bytes = 1024
    recording = claap.created()
    response = claap.upload(recording, PAYLOADS["mp4"] + b"\x00" * 2048)
    assert response.status_code == 413
    assert response.json["error"]["type"] == "payload_too_large"
    assert claap.state(recording["id"]) == "Empty"
    assert claap.upload(recording, PAYLOADS["mp4"]).status_code == 200


class TestDownloadUrl:
    """ "pointing the input downloadUrl to a location publicly accessible with an HTTP GET
    request, returning less than 2 GiB of data within 5 minutes"."""

    def test_the_mock_fetches_the_payload(
        self, claap: ClaapClient, mock: RecMock, receiver: Receiver
    ) -> None:
        receiver.payload = PAYLOADS["webm"]
        recording = claap.created(downloadUrl=f"{receiver.url}/calls/42.webm")
        mock.wait_for_background()

        assert [r.path for r in receiver.received] == ["/calls/42.webm"]
        assert claap.state(recording["id"]) == "Uploaded"
        mock.clock.advance(timedelta(seconds=10))
        ready = claap.get(recording["id"]).json["result"]["recording"]
        assert claap.client.get(ready["video"]["url"]).data == PAYLOADS["webm"]

    def test_a_loopback_url_is_fetched_past_the_environments_proxy(
        self, claap: ClaapClient, mock: RecMock, receiver: Receiver, monkeypatch
    ) -> None:
        """A proxy in the environment (Docker sets one) is not for the test's own
        machine, after a redirect either (recmock.outbound)."""
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
        monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
        receiver.payload = PAYLOADS["mp4"]
        receiver.redirects["/calls/43"] = f"{receiver.url}/calls/43.mp4"
        recording = claap.created(downloadUrl=f"{receiver.url}/calls/43")
        mock.wait_for_background()

        assert [r.path for r in receiver.received] == ["/calls/43", "/calls/43.mp4"]
        assert claap.state(recording["id"]) == "Uploaded"

    def test_an_unreachable_url_ends_failed(self, claap: ClaapClient, mock: RecMock) -> None:
        recording = claap.created(downloadUrl="http://127.0.0.1:9/nothing.mp4")
        mock.wait_for_background()
        assert claap.state(recording["id"]) == "Failed"

    def test_an_error_answer_ends_failed(
        self, claap: ClaapClient, mock: RecMock, receiver: Receiver
    ) -> None:
        receiver.payload_status = 403
        recording = claap.created(downloadUrl=f"{receiver.url}/private.mp4")
        mock.wait_for_background()
        assert claap.state(recording["id"]) == "Failed"

    def test_a_payload_over_the_limit_ends_failed(
        self, claap: ClaapClient, mock: RecMock, receiver: Receiver
    ) -> None:
        mock.config.max_media_bytes = 4096  # 2 GiB, scaled down for the test
        receiver.payload = PAYLOADS["mp4"] + b"\x00" * 8192
        recording = claap.created(downloadUrl=f"{receiver.url}/huge.mp4")
        mock.wait_for_background()
        assert claap.state(recording["id"]) == "Failed"
        assert mock.vendors["claap"].backend.recordings.find(recording["id"])[1].failure_reason == (
            "downloadUrl gave more than the 2 GiB limit"
        )

    def test_an_upload_is_refused_when_download_url_is_given(
        self, claap: ClaapClient, mock: RecMock, receiver: Receiver
    ) -> None:
        receiver.payload = PAYLOADS["mp4"]
        recording = claap.created(downloadUrl=f"{receiver.url}/a.mp4")
        mock.wait_for_background()
        response = claap.upload(recording, PAYLOADS["mp4"])
        assert response.status_code == 400
        assert response.json["error"]["message"] == (
            "This recording takes its payload from downloadUrl"
        )


class TestScripts:
    def test_a_script_replaces_the_lifecycle_for_matching_titles(
        self, claap: ClaapClient, mock: RecMock
    ) -> None:
        mock.scripts.add(
            """
            - vendor: claap
              match: {title: "corrupt*"}
              timeline:
                - {after: 10s, state: Uploaded}
                - {after: 2m, state: Failed}
            """
        )
        corrupt = claap.created(title="corrupt call")
        normal = claap.created(title="normal call")
        for recording in (corrupt, normal):
            claap.upload(recording, PAYLOADS["mp4"])

        assert claap.state(corrupt["id"]) == "Empty"
        mock.clock.advance(timedelta(seconds=10))
        assert claap.state(corrupt["id"]) == "Uploaded"
        assert claap.state(normal["id"]) == "Ready"
        mock.clock.advance(timedelta(minutes=2))
        assert claap.state(corrupt["id"]) == "Failed"

    def test_immediate_skips_the_processing_time(self, claap: ClaapClient, mock: RecMock) -> None:
        mock.scripts.add(
            {"vendor": "claap", "timeline": [{"state": "Ready", "after": "immediate"}]}
        )
        recording = claap.created()
        claap.upload(recording, PAYLOADS["mp3"])
        assert claap.state(recording["id"]) == "Ready"

    def test_after_reads_moves_on_after_that_many_reads(
        self, claap: ClaapClient, mock: RecMock
    ) -> None:
        recording = claap.ready_after_reads(mock, 2)
        assert [claap.state(recording["id"]) for _ in range(3)] == ["Uploaded", "Uploaded", "Ready"]


@pytest.mark.parametrize("name", ["sample.mp4", "sample.webm"])
def test_a_real_media_file_round_trips(claap: ClaapClient, mock: RecMock, name: str) -> None:
    data = (Path(__file__).resolve().parents[2] / "fixtures" / "media" / name).read_bytes()
    recording = claap.created()
    claap.upload(recording, data)
    mock.clock.advance(timedelta(seconds=10))
    ready = claap.get(recording["id"]).json["result"]["recording"]
    assert ready["state"] == "Ready"
    assert claap.client.get(ready["video"]["url"]).data == data
