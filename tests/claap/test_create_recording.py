"""POST /v1/recordings — "Create a recording in an empty state." (docs.claap.io
api-reference/endpoint/post_recording)"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from recmock.vendors.claap.schemas import SOURCES
from tests.claap.conftest import KEY, ClaapClient


def test_answers_the_documented_shape_in_state_empty(claap: ClaapClient) -> None:
    response = claap.create(authorEmail="jane.doe@acme.com", title="Weekly sync", channelId="ch1")

    assert response.status_code == 200
    recording = response.json["result"]["recording"]
    assert set(recording) == {
        "channel", "createdAt", "id", "recorder", "state", "title", "upload", "url", "workspace",
    }  # fmt: skip
    assert recording["state"] == "Empty"
    assert recording["title"] == "Weekly sync"
    assert recording["createdAt"] == "2026-03-02T09:30:00.000Z"
    assert re.fullmatch(r"[A-Za-z0-9]{21}", recording["id"])
    assert recording["recorder"] == {
        "attended": True,
        "email": "jane.doe@acme.com",
        "id": recording["recorder"]["id"],
        "name": "Jane Doe",
    }
    assert recording["channel"]["id"] == "ch1" and recording["channel"]["name"]
    assert set(recording["workspace"]) == {"id", "name"}
    assert recording["upload"]["url"].startswith(
        f"http://localhost/claap/uploads/{recording['id']}?signature="
    )


def test_the_same_author_is_the_same_recorder_in_one_workspace(claap: ClaapClient) -> None:
    first = claap.created(authorEmail="sam@acme.com")
    second = claap.created(authorEmail="sam@acme.com")
    assert first["recorder"] == second["recorder"]
    assert first["workspace"] == second["workspace"]


def test_transcript_upload_adds_a_meta_url(claap: ClaapClient) -> None:
    recording = claap.created(transcript={"type": "upload"})
    assert "/transcript?signature=" in recording["upload"]["metaUrl"]


def test_an_uploaded_json_transcript_is_journaled_as_sent(claap: ClaapClient) -> None:
    """The upload reads its body from the stream; the journal still shows it."""
    recording = claap.created(transcript={"type": "upload"})
    meta_url = urlsplit(recording["upload"]["metaUrl"])
    transcript = b'{"segments": [{"speaker": "Ann", "text": "Hello"}]}'

    sent = claap.client.put(
        f"{meta_url.path}?{meta_url.query}", data=transcript, content_type="application/json"
    )
    entries = claap.client.get("/_recmock/requests?method=PUT").json["requests"]

    assert sent.status_code == 200
    assert [entry["body"] for entry in entries] == [transcript.decode()]


def test_urls_point_back_at_the_mock_as_reached_by_host_name(claap: ClaapClient) -> None:
    response = claap.client.post(
        "/v1/recordings",
        json={"authorEmail": "a@acme.com"},
        headers={"X-Claap-Key": KEY, "Host": "api.claap.io"},
    )
    assert response.status_code == 200
    upload_url = response.json["result"]["recording"]["upload"]["url"]
    assert upload_url.startswith("http://api.claap.io/uploads/")


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({}, "authorEmail", "Value is required"),
        ({"authorEmail": "not-an-email"}, "authorEmail", "Value is not a valid email address"),
        ({"authorEmail": 7}, "authorEmail", "Value is not a valid email address"),
        ({"authorEmail": "a@acme.com", "title": 12}, "title", "Value is not a valid string"),
        ({"authorEmail": "a@acme.com", "channelId": ""}, "channelId", "Value must not be empty"),
        (
            {"authorEmail": "a@acme.com", "downloadUrl": "ftp://x/y.mp4"},
            "downloadUrl",
            "Value is not a valid URL",
        ),
        (
            {"authorEmail": "a@acme.com", "deal": {"id": "d1", "type": "zoho"}},
            "deal.type",
            "Value must be one of: attio, hubspot, pipedrive, salesforce",
        ),
        (
            {"authorEmail": "a@acme.com", "meeting": {"participants": [{"email": "nope"}]}},
            "meeting.participants.0.email",
            "Value is not a valid email address",
        ),
        (
            {"authorEmail": "a@acme.com", "meeting": {"startedAt": "yesterday"}},
            "meeting.startedAt",
            "Value is not a valid date",
        ),
        (
            {"authorEmail": "a@acme.com", "transcript": {"type": "auto"}},
            "transcript.type",
            "Value must be: upload",
        ),
        (
            {"authorEmail": "a@acme.com", "source": "Fax"},
            "source",
            "Value must be one of: " + ", ".join(SOURCES),
        ),
    ],
)
def test_each_invalid_field_is_a_validation_error_with_its_path(
    claap: ClaapClient, body: dict, path: str, message: str
) -> None:
    response = claap.client.post("/claap/v1/recordings", json=body, headers=claap.headers())
    assert response.status_code == 400
    assert response.json == {
        "error": {"type": "validation_error", "message": message, "path": path}
    }


@pytest.mark.parametrize(
    ("given", "answered"),
    [
        ("2025-02-25T13:00:44.602Z", "2025-02-25T13:00:44.602Z"),
        ("2025-02-25T13:00:44Z", "2025-02-25T13:00:44.000Z"),
        ("2025-02-25T13:00Z", "2025-02-25T13:00:00.000Z"),
        ("2025-02-25T13:00", "2025-02-25T13:00:00.000Z"),
        ("2025-02-25", "2025-02-25T00:00:00.000Z"),
    ],
)
def test_accepts_every_documented_date_form(claap: ClaapClient, given: str, answered: str) -> None:
    recording = claap.created(meeting={"startedAt": given})
    fetched = claap.get(recording["id"]).json["result"]["recording"]
    assert fetched["meeting"]["startingAt"] == answered


def test_a_body_that_is_not_an_object_is_a_validation_error(claap: ClaapClient) -> None:
    response = claap.client.post("/claap/v1/recordings", json=[1], headers=claap.headers())
    assert response.status_code == 400
    assert response.json == {
        "error": {"type": "validation_error", "message": "Value is not a valid object"}
    }


def test_malformed_json_is_a_bad_request(claap: ClaapClient) -> None:
    response = claap.client.post(
        "/claap/v1/recordings",
        data='{"authorEmail": ',
        headers={**claap.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json == {
        "error": {"type": "bad_request", "message": "Request body is not valid JSON"}
    }


def test_a_form_body_is_a_bad_request(claap: ClaapClient) -> None:
    response = claap.client.post(
        "/claap/v1/recordings", data={"authorEmail": "a@acme.com"}, headers=claap.headers()
    )
    assert response.status_code == 400
    assert response.json == {
        "error": {"type": "bad_request", "message": "Content-Type must be application/json"}
    }


def test_an_oversize_body_is_413_in_claaps_shape_and_stores_nothing(claap: ClaapClient) -> None:
    response = claap.client.post(
        "/claap/v1/recordings",
        data=b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}',
        headers={**claap.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json["error"]["type"] == "payload_too_large"
    assert claap.list().json["result"]["recordings"] == []


def test_meeting_deal_and_crm_as_claap_answers_them(claap: ClaapClient) -> None:
    recording = claap.created(
        authorEmail="ann.lee@acme.com",
        meeting={
            "startedAt": "2026-03-01T10:00Z",
            "endedAt": "2026-03-01T10:30Z",
            "participants": [
                {"name": "Ann Lee", "email": "ann.lee@acme.com", "isOrganizer": True},
                {"email": "carl.diaz@globex.io"},
            ],
        },
        deal={"id": "deal-7", "type": "hubspot"},
    )
    shown = claap.get(recording["id"]).json["result"]["recording"]
    meeting = shown["meeting"]
    assert meeting["type"] == "external"
    assert meeting["startingAt"] == "2026-03-01T10:00:00.000Z"
    assert meeting["endingAt"] == "2026-03-01T10:30:00.000Z"
    assert [(p["name"], p["email"], p["attended"]) for p in meeting["participants"]] == [
        ("Ann Lee", "ann.lee@acme.com", True),
        ("Carl Diaz", "carl.diaz@globex.io", True),
    ]
    assert all(len(p["id"]) == 21 for p in meeting["participants"])
    assert shown["deal"]["id"] == "deal-7" and shown["deal"]["name"]
    assert shown["crmInfo"] == {"crm": "hubspot", "deal": {"id": "deal-7"}}


def test_a_meeting_inside_the_authors_domain_is_internal(claap: ClaapClient) -> None:
    recording = claap.created(
        authorEmail="ann.lee@acme.com",
        meeting={"participants": [{"email": "bob.ray@acme.com"}]},
    )
    assert claap.get(recording["id"]).json["result"]["recording"]["meeting"]["type"] == "internal"
