"""Claap's rules run without a request: the backend on its own, as the handlers and the
vendor actions call it."""

from __future__ import annotations

import pytest

from recmock import RecMock
from recmock.vendors.claap import errors
from recmock.vendors.claap.backend import ClaapBackend
from recmock.vendors.claap.rules import QUOTA, RATE_BURST

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
KEY = "cla_backend"


@pytest.fixture
def claap(mock: RecMock) -> ClaapBackend:
    backend: ClaapBackend = mock.vendors["claap"].backend
    return backend


def _create(claap: ClaapBackend, title: str = "Weekly") -> str:
    data = {"authorEmail": "jane.doe@acme.com", "title": title}
    return claap.create_recording(KEY, data, "https://api.claap.io").id


def test_a_recording_goes_empty_uploaded_ready_on_the_clock(
    claap: ClaapBackend, mock: RecMock
) -> None:
    recording_id = _create(claap)
    recording = claap.recording(KEY, recording_id)
    assert (recording.state, recording.recorder["name"]) == ("Empty", "Jane Doe")
    claap.receive_payload(recording, MP4)
    assert claap.read_recording(KEY, recording_id)["state"] == "Uploaded"
    mock.advance("10s")
    shown = claap.read_recording(KEY, recording_id)
    assert shown["state"] == "Ready"
    assert shown["video"]["url"].startswith(f"https://api.claap.io/files/{recording_id}/video.mp4?")


def test_a_payload_that_is_no_media_ends_failed(claap: ClaapBackend, mock: RecMock) -> None:
    recording = claap.recording(KEY, _create(claap))
    claap.receive_payload(recording, b"not a video")
    mock.advance("10s")
    assert claap.recording(KEY, recording.id).state == "Failed"
    with pytest.raises(errors.BadRequest, match="already received"):
        claap.receive_payload(recording, MP4)


def test_the_quota_counts_creates_in_a_rolling_window(claap: ClaapBackend, mock: RecMock) -> None:
    for _ in range(QUOTA):
        _create(claap)
    with pytest.raises(errors.QuotaExceeded):
        _create(claap)
    mock.advance("30d")
    _create(claap)  # the first ones have left the window


def test_rate_limits_answer_their_headers_and_refuse_past_the_burst(
    claap: ClaapBackend, mock: RecMock
) -> None:
    tenant, headers = claap.authenticate(KEY, "list_recordings")
    assert (tenant, headers["X-RateLimit-Remaining"]) == (KEY, str(RATE_BURST - 1))
    for _ in range(RATE_BURST - 1):
        claap.authenticate(KEY, "list_recordings")
    with pytest.raises(errors.RateLimited) as refused:
        claap.authenticate(KEY, "list_recordings")
    assert refused.value.headers["X-RateLimit-Remaining"] == "0"
    claap.authenticate(KEY, "get_recording")  # another endpoint, another bucket
    mock.advance("1s")
    claap.authenticate(KEY, "list_recordings")  # 3 calls a second come back


def test_a_key_claap_would_not_issue_is_refused(claap: ClaapBackend) -> None:
    with pytest.raises(errors.Unauthorized):
        claap.authenticate("not_a_claap_key", "list_recordings")


def test_an_edit_needs_a_recording_of_the_workspace(claap: ClaapBackend) -> None:
    recording_id = _create(claap)
    with pytest.raises(LookupError, match="in this workspace"):
        claap.edit_recording("cla_someone_else", recording_id, "x", None)
    with pytest.raises(ValueError, match="labels: a list of strings"):
        claap.edit_recording(KEY, recording_id, None, "q3")
    assert claap.edit_recording(KEY, recording_id, "", ["q3"])["title"] == "Untitled"


def test_a_webhook_needs_an_http_url(claap: ClaapBackend) -> None:
    with pytest.raises(ValueError, match=r"url: an http\(s\) URL is required"):
        claap.set_webhook("*", "mailto:ann@acme.com", None)
    target = claap.set_webhook("*", "http://127.0.0.1:9/hook", None)
    assert len(target.secret) >= 24
