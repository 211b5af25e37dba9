"""GET /v1/recordings (filters, sorts, cursor pagination), GET and DELETE
/v1/recordings/{id}, GET /v1/recordings/{id}/transcript."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from recmock import RecMock
from tests.claap.conftest import ClaapClient


def _ids(response) -> list[str]:
    return [r["id"] for r in response.json["result"]["recordings"]]


def _titles(response) -> list[str]:
    return [r["title"] for r in response.json["result"]["recordings"]]


@pytest.fixture
def three(claap: ClaapClient, mock: RecMock) -> list[dict]:
    made = []
    for title, email, channel in [
        ("Bravo", "ann.lee@acme.com", "sales"),
        ("alpha", "bob.ray@acme.com", "support"),
        ("Charlie", "ann.lee@acme.com", "sales"),
    ]:
        made.append(claap.created(title=title, authorEmail=email, channelId=channel))
        mock.clock.advance(timedelta(hours=1))
    return made


def test_lists_newest_first_by_default(claap: ClaapClient, three: list[dict]) -> None:
    response = claap.list()
    assert response.status_code == 200
    assert _titles(response) == ["Charlie", "alpha", "Bravo"]
    assert response.json["result"]["pagination"] == {"nextCursor": None}


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("created_asc", ["Bravo", "alpha", "Charlie"]),
        ("created_desc", ["Charlie", "alpha", "Bravo"]),
        ("title_asc", ["alpha", "Bravo", "Charlie"]),
        ("title_desc", ["Charlie", "Bravo", "alpha"]),
    ],
)
def test_sorts(claap: ClaapClient, three: list[dict], sort: str, titles: list[str]) -> None:
    assert _titles(claap.list(sort=sort)) == titles


def test_filters(claap: ClaapClient, three: list[dict]) -> None:
    ann = three[0]["recorder"]
    assert _titles(claap.list(recorderEmail="ann.lee@acme.com")) == ["Charlie", "Bravo"]
    assert _titles(claap.list(recorderId=ann["id"])) == ["Charlie", "Bravo"]
    assert _titles(claap.list(channelId="support")) == ["alpha"]
    assert _titles(claap.list(createdAfter="2026-03-02T10:30:00Z")) == ["Charlie", "alpha"]
    assert _titles(claap.list(createdBefore="2026-03-02T10:30")) == ["Bravo"]
    assert _titles(claap.list(createdAfter="2026-03-02", createdBefore="2026-03-02T11:00Z")) == [
        "alpha",
        "Bravo",
    ]


def test_filter_by_labels(claap: ClaapClient, mock: RecMock, three: list[dict]) -> None:
    claap.client.patch(
        f"/_recmock/vendors/claap/recordings/{three[1]['id']}", json={"labels": ["vip"]}
    )
    claap.client.patch(
        f"/_recmock/vendors/claap/recordings/{three[2]['id']}", json={"labels": ["won"]}
    )
    assert _titles(claap.list(labels="vip,won")) == ["Charlie", "alpha"]
    assert _titles(claap.list(labels="won")) == ["Charlie"]


def test_the_cursor_walks_every_page_once(claap: ClaapClient, mock: RecMock) -> None:
    made = [claap.created(title=f"r{n:02d}")["id"] for n in range(7)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = claap.list(**query)
        seen += _ids(response)
        pages += 1
        cursor = response.json["result"]["pagination"]["nextCursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(made) and len(seen) == 7


@pytest.mark.parametrize(
    ("query", "path", "message"),
    [
        ({"limit": "abc"}, "limit", "Value is not a valid integer"),
        ({"limit": "0"}, "limit", "Value must be between 1 and 100"),
        ({"limit": "101"}, "limit", "Value must be between 1 and 100"),
        ({"sort": "newest"}, "sort", "Value must be one of: created_asc, created_desc, "
         "duration_asc, duration_desc, title_asc, title_desc"),
        ({"createdAfter": "soon"}, "createdAfter", "Value is not a valid date"),
        ({"cursor": "not-a-cursor"}, "cursor", "Value is not a valid cursor"),
    ],
)  # fmt: skip
def test_invalid_query_parameters(claap: ClaapClient, query: dict, path: str, message: str) -> None:
    response = claap.list(**query)
    assert response.status_code == 400
    assert response.json == {
        "error": {"type": "validation_error", "message": message, "path": path}
    }


def test_get_answers_the_documented_recording(claap: ClaapClient, mock: RecMock) -> None:
    ready = claap.ready(mock, title="Demo")
    assert {
        "createdAt", "durationSeconds", "id", "labels", "recorder", "state", "thumbnailUrl",
        "transcripts", "url", "video", "workspace", "actionItems", "companies",
        "insightTemplates", "keyTakeaways", "outlines", "channel", "meeting", "deal",
    } <= set(ready)  # fmt: skip
    assert set(ready["recorder"]) == {"attended", "email", "id", "name"}


def test_delete_then_get_is_404_and_the_file_is_gone(claap: ClaapClient, mock: RecMock) -> None:
    ready = claap.ready(mock)
    response = claap.client.delete(f"/claap/v1/recordings/{ready['id']}", headers=claap.headers())
    assert response.status_code == 200
    assert response.json == {"result": {"ok": True}}
    assert claap.get(ready["id"]).status_code == 404
    assert claap.client.get(ready["video"]["url"]).status_code == 404
    again = claap.client.delete(f"/claap/v1/recordings/{ready['id']}", headers=claap.headers())
    assert again.status_code == 404


class TestTranscript:
    def test_json_is_segments_with_speakers_and_word_timings(
        self, claap: ClaapClient, mock: RecMock
    ) -> None:
        ready = claap.ready(
            mock,
            meeting={"participants": [{"name": "Ann Lee"}, {"name": "Bob Ray"}]},
        )
        response = claap.client.get(
            f"/claap/v1/recordings/{ready['id']}/transcript", headers=claap.headers()
        )
        assert response.status_code == 200
        result = response.json["result"]
        assert result["languageCode"] == "en"
        segments = result["segments"]
        assert {s["speaker"] for s in segments} == {"Ann Lee", "Bob Ray"}
        for segment in segments:
            assert set(segment) == {
                "endedAt", "languageCode", "speaker", "startedAt", "text", "words",
            }  # fmt: skip
            assert segment["text"] == " ".join(w["word"] for w in segment["words"])
            assert segment["startedAt"] <= segment["words"][0]["startedAt"]
            assert segment["words"][-1]["endedAt"] <= segment["endedAt"]

    def test_text_is_one_timed_line_per_segment(self, claap: ClaapClient, mock: RecMock) -> None:
        ready = claap.ready(mock, meeting={"participants": [{"name": "Ann Lee"}]})
        response = claap.client.get(
            f"/claap/v1/recordings/{ready['id']}/transcript?format=text", headers=claap.headers()
        )
        assert response.mimetype == "text/plain"
        lines = response.get_data(as_text=True).splitlines()
        assert lines[0].startswith("00:00 Ann Lee: ")
        assert all(re.fullmatch(r"\d\d:\d\d Ann Lee: .+", line) for line in lines)

    def test_the_transcript_urls_serve_both_forms_without_a_key(
        self, claap: ClaapClient, mock: RecMock
    ) -> None:
        ready = claap.ready(mock)
        (transcript,) = ready["transcripts"]
        assert transcript["langIso2"] == "en" and transcript["isActive"] is True
        as_json = claap.client.get(transcript["url"])
        as_text = claap.client.get(transcript["textUrl"])
        assert as_json.json["result"]["languageCode"] == "en"
        assert as_text.mimetype == "text/plain"

    def test_a_language_it_was_not_translated_to_is_404(
        self, claap: ClaapClient, mock: RecMock
    ) -> None:
        ready = claap.ready(mock)
        url = f"/claap/v1/recordings/{ready['id']}/transcript"
        assert claap.client.get(f"{url}?lang=en", headers=claap.headers()).status_code == 200
        response = claap.client.get(f"{url}?lang=fr", headers=claap.headers())
        assert response.status_code == 404
        assert response.json == {
            "error": {"type": "not_found", "message": "Transcript was not found"}
        }

    def test_before_ready_there_is_no_transcript(self, claap: ClaapClient) -> None:
        recording = claap.created()
        response = claap.client.get(
            f"/claap/v1/recordings/{recording['id']}/transcript", headers=claap.headers()
        )
        assert response.status_code == 404
        assert response.json == {
            "error": {"type": "not_found", "message": "Transcript was not found"}
        }

    def test_an_unknown_format_is_a_validation_error(
        self, claap: ClaapClient, mock: RecMock
    ) -> None:
        ready = claap.ready(mock)
        response = claap.client.get(
            f"/claap/v1/recordings/{ready['id']}/transcript?format=srt", headers=claap.headers()
        )
        assert response.status_code == 400
        assert response.json["error"]["path"] == "format"


def test_signed_urls_expire_24_hours_after_they_were_issued(
    claap: ClaapClient, mock: RecMock
) -> None:
    ready = claap.ready(mock)
    video_url = ready["video"]["url"]
    mock.clock.advance(timedelta(hours=23, minutes=59, seconds=59))
    assert claap.client.get(video_url).status_code == 200
    mock.clock.advance(timedelta(seconds=1))
    expired = claap.client.get(video_url)
    assert expired.status_code == 403
    assert expired.json == {"error": {"type": "forbidden", "message": "The URL has expired"}}
    fresh = claap.get(ready["id"]).json["result"]["recording"]["video"]["url"]
    assert claap.client.get(fresh).status_code == 200


def test_ai_fields_only_when_asked(claap: ClaapClient, mock: RecMock) -> None:
    ready = claap.ready(mock)
    assert "aiFields" not in ready
    asked = claap.client.get(
        f"/claap/v1/recordings/{ready['id']}?returnAiFields=true", headers=claap.headers()
    )
    assert asked.json["result"]["recording"]["aiFields"] == []
    assert asked.json["result"]["recording"]["insightTemplates"] == []


def test_duration_sorts(claap: ClaapClient, mock: RecMock) -> None:
    for minutes, title in [(30, "half hour"), (5, "short"), (60, "hour")]:
        claap.ready(
            mock,
            title=title,
            meeting={
                "startedAt": "2026-03-01T10:00Z",
                "endedAt": f"2026-03-01T{10 + minutes // 60}:{minutes % 60:02d}Z",
            },
        )
    assert _titles(claap.list(sort="duration_asc")) == ["short", "half hour", "hour"]
    assert _titles(claap.list(sort="duration_desc")) == ["hour", "half hour", "short"]
