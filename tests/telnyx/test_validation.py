"""Every documented rule of CreateRoomCompositionRequest: a 422 in the `errors` envelope
with a `source.pointer` at the offending field, one entry per fault."""

from __future__ import annotations

from typing import Any

import pytest

from tests.telnyx.conftest import TelnyxClient, video_ids


def _entry(code: str, title: str, detail: str, pointer: str) -> dict[str, Any]:
    return {
        "code": code,
        "title": title,
        "detail": detail,
        "source": {"pointer": pointer},
        "meta": {"url": f"https://developers.telnyx.com/docs/overview/errors/{code}"},
    }


def _bad(detail: str, pointer: str) -> dict[str, Any]:
    return _entry("10015", "Bad Request", detail, pointer)


RANGE_99 = "Must be greater than or equal to -99 and less than or equal to 99."
AT_LEAST_16 = "Must be greater than or equal to 16."
RANGE_1000 = "Must be greater than or equal to 1 and less than or equal to 1000."
SIDES = "Width and height must each be between 16 and 1280."
AREA = "Width * height must not exceed 1280 * 720."
SHAPE = "Must be WIDTHxHEIGHT in pixels, as in 1280x720."
URL = "Must be a URL including a scheme, such as 'https'."
UP_TO_30 = "Must be greater than or equal to 0 and less than or equal to 30."
ENUM = _entry("10032", "Invalid enumerated value", "Must be one of: mp4.", "/format")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"resolution": "1281x720"}, _bad(SIDES, "/resolution")),
        ({"resolution": "15x16"}, _bad(SIDES, "/resolution")),
        ({"resolution": "1280x721"}, _bad(AREA, "/resolution")),
        ({"resolution": "1280*720"}, _bad(SHAPE, "/resolution")),
        ({"resolution": "x720"}, _bad(SHAPE, "/resolution")),
        ({"resolution": 720}, _bad("Not a valid string.", "/resolution")),
        ({"resolution": "\u0666\u0664\u0660x\u0663\u0666\u0660"},  # Arabic-Indic 640x360
         _bad(SHAPE, "/resolution")),
        ({"resolution": "0640x0360"}, _bad(SHAPE, "/resolution")),
        ({"format": "webm"}, ENUM),
        ({"video_layout": {"a": {"z_pos": 100}}}, _bad(RANGE_99, "/video_layout/a/z_pos")),
        ({"video_layout": {"a": {"z_pos": -100}}}, _bad(RANGE_99, "/video_layout/a/z_pos")),
        ({"video_layout": {"a": {"height": 15}}}, _bad(AT_LEAST_16, "/video_layout/a/height")),
        ({"video_layout": {"a": {"width": 0}}}, _bad(AT_LEAST_16, "/video_layout/a/width")),
        ({"video_layout": {"a": {"max_columns": 0}}},
         _bad(RANGE_1000, "/video_layout/a/max_columns")),
        ({"video_layout": {"a": {"max_rows": 1001}}}, _bad(RANGE_1000, "/video_layout/a/max_rows")),
        ({"video_layout": {"a": {"x_pos": "10"}}},
         _bad("Must be an integer.", "/video_layout/a/x_pos")),
        ({"video_layout": {"a": {}, "b": {}, "c": {}}},
         _bad("Limited to 2 regions.", "/video_layout")),
        ({"video_layout": {"a": {"video_sources": "all"}}},
         _bad('Must be a list of recording ids, or "*".', "/video_layout/a/video_sources")),
        ({"video_layout": {"a": {"video_sources": ["not-a-uuid"]}}},
         _bad("Must be a recording id (a UUID).", "/video_layout/a/video_sources/0")),
        ({"video_layout": {"a": {"video_sources": ["7b61621f-62e0-4aad-ab11-9fd19e272e73"]}}},
         _bad("Not a video recording of this room session.", "/video_layout/a/video_sources/0")),
        ({"webhook_timeout_secs": 31},
         _bad(UP_TO_30, "/webhook_timeout_secs")),
        ({"webhook_event_url": "ftp://example.com/hooks"}, _bad(URL, "/webhook_event_url")),
        ({"webhook_event_url": "http://[::1"}, _bad(URL, "/webhook_event_url")),
        ({"webhook_event_url": "http://example.com:99999/"}, _bad(URL, "/webhook_event_url")),
        ({"webhook_event_url": "example.com/hooks"},
         _bad(URL, "/webhook_event_url")),
        ({"webhook_event_failover_url": "//failover.example.com"},
         _bad(URL, "/webhook_event_failover_url")),
        ({"session_id": None},
         _bad("Field may not be null.", "/session_id")),
        ({"session_id": "12345"}, _bad("Must be a valid UUID.", "/session_id")),
        ({"session_id": "7b61621f-62e0-4aad-ab11-9fd19e272e73"},
         _bad("Room session not found.", "/session_id")),
    ],
)  # fmt: skip
def test_each_rule(
    telnyx: TelnyxClient, session: dict[str, Any], fields: dict, expected: dict
) -> None:
    body = {"session_id": session["session"]["id"], **fields}

    answer = telnyx.post("/room_compositions", body)

    assert answer.status_code == 422
    assert answer.json == {"errors": [expected]}


def test_a_missing_session_id_is_10004(telnyx: TelnyxClient) -> None:
    answer = telnyx.post("/room_compositions", {})

    assert answer.status_code == 422
    assert answer.json == {
        "errors": [
            _entry("10004", "Missing required parameter", "This field is required.", "/session_id")
        ]
    }


def test_several_faults_give_several_errors(telnyx: TelnyxClient) -> None:
    answer = telnyx.post(
        "/room_compositions",
        {
            "resolution": "2000x100",
            "format": "avi",
            "video_layout": {"first": {"z_pos": 100, "height": 1}},
            "webhook_timeout_secs": 60,
        },
    )

    assert answer.status_code == 422
    pointers = sorted(e["source"]["pointer"] for e in answer.json["errors"])
    assert pointers == [
        "/format",
        "/resolution",
        "/session_id",
        "/video_layout/first/height",
        "/video_layout/first/z_pos",
        "/webhook_timeout_secs",
    ]


def test_the_limits_themselves_are_accepted(telnyx: TelnyxClient, session: dict[str, Any]) -> None:
    videos = video_ids(session)
    for resolution in ("1280x720", "16x16", "720x1280", "1000x921"):
        answer = telnyx.post(
            "/room_compositions",
            {
                "session_id": session["session"]["id"],
                "resolution": resolution,
                "video_layout": {
                    "a": {"z_pos": 99, "height": 16, "width": 16, "max_columns": 1,
                          "max_rows": 1000, "video_sources": videos[:1]},
                    "b": {"z_pos": -99, "video_sources": "*"},
                },
                "webhook_timeout_secs": 30,
            },
        )  # fmt: skip
        assert answer.status_code == 202, (resolution, answer.json)
        # "*" is every video recording of the session, and shown as such.
        assert answer.json["data"]["video_layout"]["b"]["video_sources"] == videos


def test_an_audio_recording_is_no_video_source(
    telnyx: TelnyxClient, session: dict[str, Any]
) -> None:
    audio = next(r["id"] for r in session["recordings"] if r["type"] == "audio")
    answer = telnyx.post(
        "/room_compositions",
        {"session_id": session["session"]["id"], "video_layout": {"a": {"video_sources": [audio]}}},
    )
    assert answer.status_code == 422
    assert answer.json["errors"][0]["source"] == {"pointer": "/video_layout/a/video_sources/0"}


@pytest.mark.parametrize("body", [[], "text", 3])
def test_a_body_that_is_no_object_is_422_at_the_root(telnyx: TelnyxClient, body: Any) -> None:
    answer = telnyx.post("/room_compositions", body)
    assert answer.status_code == 422
    assert answer.json["errors"][0]["source"] == {"pointer": "/"}


def test_a_refused_create_stores_nothing(telnyx: TelnyxClient, session: dict[str, Any]) -> None:
    telnyx.post("/room_compositions", {"session_id": session["session"]["id"], "format": "x"})
    assert telnyx.get("/room_compositions").json["meta"]["total_results"] == 0
