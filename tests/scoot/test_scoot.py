"""Scoot: the SocialRecording validated field by field and echoed, PROCESSING ->
COMPLETE | FAILED on the clock, Faker-filled people under a seed, transcriptions, and
Spring-style errors."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from recmock import Config, create_app

KEY = {"X-API-Key": "scoot_key_one"}
SOCIAL = "3c90c3cc-0d44-4b50-8888-8dd25736052a"
USER = "5f0c4a2e-7b1d-4c3e-9a8b-1d2e3f4a5b6c"
FULL_USER = {
    "userId": USER, "name": "Ann Lee", "firstName": "Ann", "middleName": "", "lastName": "Lee",
    "emailAddress": "ann@acme.com", "emailVerified": True, "preload": False,
    "mobilePhone": "+1 555 010 9999", "mobilePhoneVerified": True,
    "mobilePhoneVerifiedWeb": False, "profileId": "ann", "profileImageURI": "https://x.test/a.png",
    "profileImageId": SOCIAL, "profileImageBackground": "#aabbcc", "timeZone": "Europe/Paris",
    "registeredDateTime": "2023-11-07T05:31:56Z", "active": True, "actedAs": False,
}  # fmt: skip
FULL = {
    "socialRecordingId": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
    "socialId": SOCIAL,
    "userId": USER,
    "recordingId": "recordings/abc.mp4",
    "status": "PROCESSING",
    "name": "Weekly social",
    "s3Bucket": "scoot-recordings",
    "recordingSize": 123,
    "startDateTime": "2023-11-07T05:31:56Z",
    "endDateTime": "2023-11-07T06:01:56Z",
    "participants": [
        {"userId": USER, "type": "VIDEO", "startDateTime": "2023-11-07T05:31:56Z",
         "endDateTime": "2023-11-07T06:01:56Z", "user": FULL_USER},
    ],
    "user": FULL_USER,
}  # fmt: skip


def _process(client, body: dict[str, Any], headers: dict | None = None):
    return client.post("/scoot/api/v1/recording/processing", json=body, headers=headers or KEY)


def _get(client, recording_id: str):
    return client.get(
        "/scoot/api/v1/recording", query_string={"socialRecordingId": recording_id}, headers=KEY
    )


def test_the_body_is_echoed_processing_from_now(client) -> None:
    answer = _process(client, FULL)

    assert answer.status_code == 200
    expected = {**FULL, "status": "PROCESSING", "processingStartDateTime": "2026-03-02T09:30:00Z"}
    assert answer.json == expected


def test_processing_completes_on_the_clock(client, mock) -> None:
    _process(client, FULL)
    mock.clock.advance(timedelta(seconds=59))
    assert _get(client, FULL["socialRecordingId"]).json["status"] == "PROCESSING"
    mock.clock.advance(timedelta(seconds=1))

    done = _get(client, FULL["socialRecordingId"]).json
    assert done["status"] == "COMPLETE"
    assert done["processingStartDateTime"] == "2026-03-02T09:30:00Z"
    assert done["processingEndDateTime"] == "2026-03-02T09:31:00Z"


def test_a_script_fails_matching_recordings(client, mock) -> None:
    mock.add_scripts(
        {
            "vendor": "scoot",
            "match": {"name": "broken*"},
            "timeline": [{"after": "10s", "state": "FAILED"}],
        }
    )
    _process(client, {**FULL, "name": "broken upload"})
    mock.clock.advance(timedelta(seconds=10))
    failed = _get(client, FULL["socialRecordingId"]).json
    assert (failed["status"], failed["processingEndDateTime"]) == ("FAILED", "2026-03-02T09:30:10Z")


JAVA_LONG = "Must be greater than or equal to 0 and less than or equal to 9223372036854775807."
INVALID = [
    ("socialRecordingId", "not-a-uuid", "socialRecordingId", "must be a UUID"),
    ("socialId", 42, "socialId", "Not a valid string."),
    ("userId", "x", "userId", "must be a UUID"),
    ("recordingId", "", "recordingId", "Length must be between 1 and 1024."),
    ("status", "DONE", "status", "Must be one of: PROCESSING, COMPLETE, FAILED."),
    ("name", ["a"], "name", "Not a valid string."),
    ("s3Bucket", "Not A Bucket!", "s3Bucket", "String does not match expected pattern."),
    ("recordingSize", "123", "recordingSize", "Not a valid integer."),
    ("recordingSize", -1, "recordingSize", JAVA_LONG),
    ("recordingSize", 2**63, "recordingSize", JAVA_LONG),
    ("startDateTime", "yesterday", "startDateTime", "Not a valid datetime."),
    ("endDateTime", "2023-11-07T05:00:00Z", "endDateTime", "must not be before startDateTime"),
    ("processingStartDateTime", "2023-13-07T05:31:56Z", "processingStartDateTime",
     "Not a valid datetime."),
    ("processingEndDateTime", 7, "processingEndDateTime", "Not a valid datetime."),
    ("participants", {"userId": USER}, "participants", "Not a valid list."),
    ("user", "ann", "user", "Invalid input type."),
]  # fmt: skip

USER_INVALID = [
    ("userId", "x", "must be a UUID"),
    ("name", 5, "Not a valid string."),
    ("firstName", None, "Field may not be null."),
    ("middleName", 1, "Not a valid string."),
    ("lastName", True, "Not a valid string."),
    ("emailAddress", "ann@", "Not a valid email address."),
    ("emailVerified", "true", "Not a valid boolean."),
    ("preload", 1, "Not a valid boolean."),
    ("mobilePhone", "call me", "String does not match expected pattern."),
    ("mobilePhoneVerified", "no", "Not a valid boolean."),
    ("mobilePhoneVerifiedWeb", 0, "Not a valid boolean."),
    ("profileId", {}, "Not a valid string."),
    ("profileImageURI", "not a url", "Not a valid URL."),
    ("profileImageId", "abc", "must be a UUID"),
    ("profileImageBackground", 3, "Not a valid string."),
    ("timeZone", "Mars/Olympus_Mons", "Not a known time zone."),
    ("registeredDateTime", "2023-11-07", "Not a valid datetime."),
    ("active", "yes", "Not a valid boolean."),
    ("actedAs", None, "Field may not be null."),
]


@pytest.mark.parametrize(("field", "value", "name", "message"), INVALID)
def test_each_recording_field_is_validated(
    client, field: str, value: Any, name: str, message: str
) -> None:
    answer = _process(client, {**FULL, field: value})

    assert answer.status_code == 400
    assert answer.json["errors"] == [{"field": name, "defaultMessage": message}]
    assert answer.json["error"] == "Bad Request"
    assert answer.json["path"] == "/api/v1/recording/processing"
    assert answer.json["message"] == f"Validation failed: {name}: {message}"


@pytest.mark.parametrize(("field", "value", "message"), USER_INVALID)
def test_each_user_field_is_validated_at_the_top_and_in_participants(
    client, field: str, value: Any, message: str
) -> None:
    user = {**FULL_USER, field: value}
    participant = {**FULL["participants"][0], "user": user}
    answer = _process(client, {**FULL, "user": user, "participants": [participant]})

    assert answer.status_code == 400
    assert answer.json["errors"] == [
        {"field": f"participants[0].user.{field}", "defaultMessage": message},
        {"field": f"user.{field}", "defaultMessage": message},
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("userId", "u", "must be a UUID"),
        ("type", "HOLOGRAM", "Must be one of: VIDEO, AUDIO, SCREEN."),
        ("startDateTime", "soon", "Not a valid datetime."),
        ("endDateTime", 1, "Not a valid datetime."),
    ],
)
def test_each_participant_field_is_validated(client, field: str, value: Any, message: str) -> None:
    participant = {**FULL["participants"][0], field: value}
    answer = _process(client, {**FULL, "participants": [participant]})
    assert answer.json["errors"] == [
        {"field": f"participants[0].{field}", "defaultMessage": message}
    ]


def test_required_fields_and_several_errors_at_once(client) -> None:
    answer = _process(client, {"recordingSize": 1.5})
    assert answer.status_code == 400
    assert answer.json["errors"] == [
        {"field": "socialId", "defaultMessage": "Missing data for required field."},
        {"field": "recordingId", "defaultMessage": "Missing data for required field."},
        {"field": "recordingSize", "defaultMessage": "Not a valid integer."},
    ]


@pytest.mark.parametrize("body", [b"[]", b"{not json", b'"text"'])
def test_a_body_that_is_no_object(client, body: bytes) -> None:
    answer = client.post(
        "/scoot/api/v1/recording/processing",
        data=body,
        headers={**KEY, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert set(answer.json) == {"timestamp", "status", "error", "message", "path"}


def _seeded_people(seed: int) -> list[dict]:
    app: Flask = create_app(Config(seed=seed))
    try:
        answer = (
            app.test_client()
            .post(
                "/scoot/api/v1/recording/processing",
                json={"socialId": SOCIAL, "recordingId": "r.mp4"},
                headers=KEY,
            )
            .json
        )
        return [answer["user"], *[p["user"] for p in answer["participants"]]]
    finally:
        app.extensions["recmock"].close()


def test_left_out_people_are_realistic_and_reproducible_with_a_seed() -> None:
    first, again, other = _seeded_people(7), _seeded_people(7), _seeded_people(8)

    assert len(first) == 3  # the owner and two generated participants
    assert first == again
    assert first != other
    for user in first:
        assert user["name"] == f"{user['firstName']} {user['lastName']}"
        assert re.fullmatch(r"[a-z.'-]+@[a-z.]+", user["emailAddress"])
        assert re.fullmatch(r"[0-9a-f-]{36}", user["userId"])
        assert "/" in user["timeZone"] or user["timeZone"] == "UTC"


def test_a_participant_without_a_user_gets_one_with_its_id(client) -> None:
    body = {**FULL, "participants": [{"userId": USER, "type": "AUDIO"}]}
    participant = _process(client, body).json["participants"][0]
    assert participant["user"]["userId"] == USER
    assert participant["user"]["firstName"]


def test_reads_and_their_errors(client) -> None:
    missing = client.get("/scoot/api/v1/recording", headers=KEY)
    unknown = _get(client, SOCIAL)
    no_key = client.get("/scoot/api/v1/recording", query_string={"socialRecordingId": SOCIAL})

    assert (missing.status_code, missing.json["message"]) == (
        400,
        "Required parameter 'socialRecordingId' is not present",
    )
    assert unknown.status_code == 404
    assert unknown.json == {
        "timestamp": "2026-03-02T09:30:00.000Z",
        "status": 404,
        "error": "Not Found",
        "message": f"No recording with socialRecordingId {SOCIAL}",
        "path": "/api/v1/recording",
    }
    assert (no_key.status_code, no_key.json["error"]) == (401, "Unauthorized")


def test_accounts_are_apart(client) -> None:
    _process(client, FULL)
    other = {"X-API-Key": "another"}
    assert (
        client.get(
            "/scoot/api/v1/recording",
            query_string={"socialRecordingId": FULL["socialRecordingId"]},
            headers=other,
        ).status_code
        == 404
    )
    assert _process(client, FULL, headers=other).status_code == 409


def test_a_scripted_429(client, mock) -> None:
    mock.add_scripts(
        {"vendor": "scoot", "fault": {"path": "/api/v1/recording/processing", "status": 429,
                                      "headers": {"Retry-After": "1"}}}
    )  # fmt: skip
    answer = _process(client, FULL)
    assert answer.status_code == 429
    assert answer.json["error"] == "Too Many Requests"
    assert answer.headers["Retry-After"] == "1"


def test_transcriptions_save_and_get(client) -> None:
    body = {
        "socialRoomSetId": SOCIAL,
        "name": "Standup transcript",
        "startDateTime": "2023-11-07T05:31:56Z",
        "user": FULL_USER,
    }
    saved = client.post("/scoot/api/v1/transcription/save", json=body, headers=KEY)
    assert saved.status_code == 200
    shown = saved.json
    assert shown["status"] == "PROCESSING"
    assert re.fullmatch(r"[0-9a-f-]{36}", shown["socialTranscriptionId"])
    assert {k: shown[k] for k in body} == body

    fetched = client.get(
        "/scoot/api/v1/transcription",
        query_string={"socialTranscriptionId": shown["socialTranscriptionId"]},
        headers=KEY,
    )
    assert fetched.json == shown
    bad = client.post(
        "/scoot/api/v1/transcription/save", json={"status": "LATER"}, headers=KEY
    ).json["errors"]
    assert bad == [
        {"field": "socialRoomSetId", "defaultMessage": "Missing data for required field."},
        {"field": "status", "defaultMessage": "Must be one of: PROCESSING, COMPLETE, FAILED."},
    ]


def test_served_on_the_real_host(client) -> None:
    answer = client.post(
        "/api/v1/recording/processing", json=FULL, headers={**KEY, "Host": "api.scoot.app"}
    )
    assert answer.status_code == 200


def test_date_times_echo_as_sent_and_compare_with_or_without_an_offset(client) -> None:
    body = {
        **FULL,
        "startDateTime": "0001-01-01T00:00:00",  # no offset: UTC
        "endDateTime": "2026-01-05T10:00:00.250+02:00",
    }
    shown = _process(client, body).json
    assert shown["startDateTime"] == "0001-01-01T00:00:00Z"
    assert shown["endDateTime"] == "2026-01-05T10:00:00.250000+02:00"


@pytest.mark.parametrize(
    ("field", "value"),
    [("startDateTime", "9999-12-31T23:59:59-05:00"), ("endDateTime", "10000-01-01T00:00:00Z")],
)
def test_date_times_beyond_year_9999_are_refused(client, field: str, value: str) -> None:
    answer = _process(client, {**FULL, field: value})
    assert answer.status_code == 400
    assert answer.json["errors"] == [{"field": field, "defaultMessage": "Not a valid datetime."}]


def test_a_participant_cannot_leave_before_joining(client) -> None:
    participant = {**FULL["participants"][0], "endDateTime": "2023-11-07T05:00:00Z"}
    answer = _process(client, {**FULL, "participants": [participant]})
    assert answer.json["errors"] == [
        {
            "field": "participants[0].endDateTime",
            "defaultMessage": "must not be before startDateTime",
        }
    ]


def test_a_malformed_id_on_a_read_is_400(client) -> None:
    answer = _get(client, "not-a-uuid")
    assert (answer.status_code, answer.json["message"]) == (
        400,
        "Parameter 'socialRecordingId' must be a UUID",
    )


def test_ids_are_uuids_in_either_case_kept_in_lower_case(client) -> None:
    shouting = {
        **FULL,
        "socialRecordingId": FULL["socialRecordingId"].upper(),
        "userId": USER.upper(),
    }

    echoed = _process(client, shouting).json
    by_upper_case = _get(client, FULL["socialRecordingId"].upper())
    by_lower_case = _get(client, FULL["socialRecordingId"])
    again_in_lower_case = _process(client, FULL)

    assert (echoed["socialRecordingId"], echoed["userId"]) == (FULL["socialRecordingId"], USER)
    assert by_upper_case.status_code == by_lower_case.status_code == 200
    assert by_upper_case.json == by_lower_case.json == echoed
    assert again_in_lower_case.status_code == 200  # the same recording, not another's 409
    unknown = _get(client, SOCIAL.upper())
    assert (unknown.status_code, unknown.json["message"]) == (
        404,
        f"No recording with socialRecordingId {SOCIAL}",
    )


def test_a_dump_with_an_upper_case_id_loads_in_lower_case(client, mock) -> None:
    _process(client, FULL)
    dumped = mock.dump_state()
    [row] = dumped["vendors"]["scoot"]["resources"]["recording"][KEY["X-API-Key"]]
    row["id"] = row["shown"]["socialRecordingId"] = FULL["socialRecordingId"].upper()

    assert client.put("/_recmock/state", json=dumped).status_code == 200
    found = _get(client, FULL["socialRecordingId"].upper())
    assert (found.status_code, found.json["socialRecordingId"]) == (200, FULL["socialRecordingId"])
    assert _process(client, FULL, headers={"X-API-Key": "another"}).status_code == 409


def test_a_dump_whose_id_is_no_uuid_is_refused(client, mock) -> None:
    _process(client, FULL)
    dumped = mock.dump_state()
    [row] = dumped["vendors"]["scoot"]["resources"]["recording"][KEY["X-API-Key"]]
    row["id"] = "recording-1"

    refused = client.put("/_recmock/state", json=dumped)
    assert refused.status_code == 400
    assert "recording.id: 'recording-1' is not a UUID" in refused.json["error"]
    assert _get(client, FULL["socialRecordingId"]).status_code == 200  # nothing was changed


@pytest.mark.parametrize("zone", ["America", "Etc", "x" * 300])
def test_a_time_zone_that_is_no_zone_is_refused(client, zone: str) -> None:
    answer = _process(client, {**FULL, "user": {**FULL_USER, "timeZone": zone}})
    assert answer.json["errors"] == [
        {"field": "user.timeZone", "defaultMessage": "Not a known time zone."}
    ]


def test_processing_keeps_its_due_time_across_a_state_load(client, mock) -> None:
    _process(client, FULL)
    mock.clock.advance(timedelta(seconds=50))
    mock.replace_state(mock.dump_state())
    mock.clock.advance(timedelta(seconds=10))
    assert _get(client, FULL["socialRecordingId"]).json["status"] == "COMPLETE"
