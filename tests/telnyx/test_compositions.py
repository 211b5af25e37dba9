"""Creating, listing, viewing and deleting room compositions; credentials; 404; 429."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import START
from tests.telnyx.conftest import TelnyxClient, video_ids

NOT_FOUND = {
    "errors": [
        {
            "code": "10005",
            "title": "Resource not found",
            "detail": "The requested resource or URL could not be found.",
            "source": {"pointer": "/"},
            "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10005"},
        }
    ]
}


def test_create_answers_202_enqueued_with_the_request_as_given(
    telnyx: TelnyxClient, session: dict[str, Any]
) -> None:
    videos = video_ids(session)
    answer = telnyx.post(
        "/room_compositions",
        {
            "session_id": session["session"]["id"],
            "resolution": "800x600",
            "video_layout": {"first": {"video_sources": videos, "width": 400, "height": 600}},
            "webhook_event_url": "https://example.com/hooks",
            "webhook_timeout_secs": 20,
        },
    )

    assert answer.status_code == 202
    data = answer.json["data"]
    assert data["status"] == "enqueued"
    assert data["record_type"] == "room_composition"
    assert data["session_id"] == session["session"]["id"]
    assert data["room_id"] == session["session"]["room_id"]
    assert data["format"] == "mp4"
    assert data["resolution"] == "800x600"
    assert data["video_layout"] == {
        "first": {
            "video_sources": videos,
            "width": 400,
            "height": 600,
            "x_pos": 0,
            "y_pos": 0,
            "z_pos": 0,
        }
    }
    assert data["webhook_event_url"] == "https://example.com/hooks"
    assert data["webhook_event_failover_url"] == ""
    assert data["webhook_timeout_secs"] == 20
    assert data["created_at"] == "2026-03-02T09:30:00.000000Z"
    # Not known yet, so left out (the document does not allow null for them).
    for absent in ("download_url", "size_mb", "duration_secs", "started_at", "completed_at"):
        assert absent not in data


def test_view_and_delete(telnyx: TelnyxClient, session: dict[str, Any]) -> None:
    created = telnyx.compose(session)

    assert telnyx.get(f"/room_compositions/{created['id']}").json["data"] == created
    deleted = telnyx.delete(f"/room_compositions/{created['id']}")
    assert deleted.status_code == 204
    assert deleted.data == b""
    assert "Content-Type" not in deleted.headers
    gone = telnyx.get(f"/room_compositions/{created['id']}")
    assert (gone.status_code, gone.json) == (404, NOT_FOUND)
    again = telnyx.delete(f"/room_compositions/{created['id']}")
    assert (again.status_code, again.json) == (404, NOT_FOUND)


def test_list_pages_newest_first_with_a_correct_meta(
    telnyx: TelnyxClient, session: dict[str, Any], mock
) -> None:
    ids = []
    for _ in range(5):
        ids.append(telnyx.compose(session)["id"])
        mock.clock.advance(timedelta(seconds=1))

    first = telnyx.get("/room_compositions", **{"page[size]": 2})
    last = telnyx.get("/room_compositions", **{"page[size]": 2, "page[number]": 3})
    beyond = telnyx.get("/room_compositions", **{"page[size]": 2, "page[number]": 4})

    assert [c["id"] for c in first.json["data"]] == ids[::-1][:2]
    assert first.json["meta"] == {
        "page_number": 1,
        "page_size": 2,
        "total_pages": 3,
        "total_results": 5,
    }
    assert [c["id"] for c in last.json["data"]] == [ids[0]]
    assert beyond.json["data"] == []
    assert beyond.json["meta"]["total_pages"] == 3


def test_an_empty_list_still_has_one_page(telnyx: TelnyxClient) -> None:
    answer = telnyx.get("/room_compositions")
    assert answer.json == {
        "data": [],
        "meta": {"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 0},
    }


def test_list_filters(telnyx: TelnyxClient, mock) -> None:
    one = telnyx.session()
    two = telnyx.session()
    early = telnyx.compose(one)
    mock.clock.advance(timedelta(days=2))  # early is completed by now
    late = telnyx.compose(two)

    def listed(**query: Any) -> list[str]:
        answer = telnyx.get("/room_compositions", **query)
        assert answer.status_code == 200, answer.json
        return [c["id"] for c in answer.json["data"]]

    assert listed(**{"filter[status]": "completed"}) == [early["id"]]
    assert listed(**{"filter[status]": "enqueued"}) == [late["id"]]
    assert listed(**{"filter[status]": "processing"}) == []
    assert listed(**{"filter[session_id]": two["session"]["id"]}) == [late["id"]]
    assert listed(**{"filter[date_created_at][eq]": "2026-03-02"}) == [early["id"]]
    assert listed(**{"filter[date_created_at][gte]": "2026-03-03"}) == [late["id"]]
    assert listed(**{"filter[date_created_at][lte]": "2026-03-03"}) == [early["id"]]
    assert listed(
        **{
            "filter[date_created_at][gte]": "2026-03-02",
            "filter[date_created_at][lte]": "2026-03-04",
        }
    ) == [late["id"], early["id"]]


def test_bad_list_parameters_name_the_parameter(telnyx: TelnyxClient) -> None:
    size = telnyx.get("/room_compositions", **{"page[size]": 251})
    status = telnyx.get("/room_compositions", **{"filter[status]": "done"})
    day = telnyx.get("/room_compositions", **{"filter[date_created_at][eq]": "yesterday"})

    assert size.status_code == 400
    assert size.json["errors"][0]["title"] == "Invalid pagination"
    assert size.json["errors"][0]["source"] == {"parameter": "page[size]"}
    assert status.status_code == 400
    assert status.json["errors"][0]["source"] == {"parameter": "filter[status]"}
    assert status.json["errors"][0]["detail"] == "Must be one of: completed, processing, enqueued."
    assert day.status_code == 400
    assert day.json["errors"][0]["source"] == {"parameter": "filter[date_created_at][eq]"}
    for odd in ("+3", " 1", "\u0661", "1.0", "abc"):  # U+0661: ARABIC-INDIC DIGIT ONE
        answer = telnyx.get("/room_compositions", **{"page[size]": odd})
        assert answer.status_code == 400, odd
        assert answer.json["errors"][0]["detail"] == "Must be an integer."


def test_accounts_see_only_their_own_compositions(
    telnyx: TelnyxClient, session: dict[str, Any], client
) -> None:
    created = telnyx.compose(session)
    other = TelnyxClient(client, key="KEY_other_account")

    assert other.get(f"/room_compositions/{created['id']}").status_code == 404
    assert other.get("/room_compositions").json["meta"]["total_results"] == 0
    assert (
        other.post("/room_compositions", {"session_id": session["session"]["id"]}).json["errors"][
            0
        ]["detail"]
        == "Room session not found."
    )


def test_missing_and_unknown_credentials_are_401_10009(client, mock) -> None:
    missing = client.get("/telnyx/v2/room_compositions")
    basic = client.get("/telnyx/v2/room_compositions", headers={"Authorization": "Basic abc"})
    mock.register_key("telnyx", "KEY_registered")
    unknown = client.get(
        "/telnyx/v2/room_compositions", headers={"Authorization": "Bearer KEY_unknown"}
    )
    known = client.get(
        "/telnyx/v2/room_compositions", headers={"Authorization": "Bearer KEY_registered"}
    )

    meta = {"url": "https://developers.telnyx.com/docs/overview/errors/10009"}
    headers_detail = (
        "The required authentication headers were either invalid or not included in the request."
    )
    assert (missing.status_code, missing.json) == (
        401,
        {"errors": [{"code": "10009", "title": "Authentication failed",
                     "detail": headers_detail, "meta": meta}]},
    )  # fmt: skip
    assert basic.status_code == 401
    assert (unknown.status_code, unknown.json) == (
        401,
        {"errors": [{"code": "10009", "title": "Authentication failed",
                     "detail": "Could not understand the provided credentials.", "meta": meta}]},
    )  # fmt: skip
    assert known.status_code == 200


def test_a_scripted_429_has_telnyx_body_and_rate_limit_headers(telnyx: TelnyxClient, mock) -> None:
    mock.add_scripts(
        {
            "vendor": "telnyx",
            "fault": {"method": "GET", "path": "/v2/room_compositions", "status": 429, "times": 1},
        }
    )

    limited = telnyx.get("/room_compositions")
    after = telnyx.get("/room_compositions")

    assert limited.status_code == 429
    assert limited.json["errors"][0]["code"] == "10011"
    assert limited.json["errors"][0]["title"] == "Too many requests"
    assert limited.headers["x-ratelimit-limit"] == "20"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert limited.headers["x-ratelimit-reset"] == "1"
    assert after.status_code == 200


def test_unknown_route_and_malformed_json_answer_in_telnyx_shape(telnyx: TelnyxClient) -> None:
    route = telnyx.get("/room_compositionz")
    malformed = telnyx.client.post(
        "/telnyx/v2/room_compositions",
        data=b"{not json",
        headers={**telnyx.headers(), "Content-Type": "application/json"},
    )

    assert route.status_code == 404
    assert route.json["errors"][0]["code"] == "10005"
    assert malformed.status_code == 400
    assert malformed.json["errors"][0]["code"] == "10015"


def test_served_on_the_real_host_without_the_prefix(client, session: dict[str, Any]) -> None:
    answer = client.get(
        f"/v2/room_sessions/{session['session']['id']}",
        headers={
            "Host": "api.telnyx.com",
            "Authorization": "Bearer KEY0123456789ABCDEF_account_one",
        },
    )
    assert answer.status_code == 200
    assert answer.json["data"]["id"] == session["session"]["id"]


def test_created_at_follows_the_mock_clock(telnyx: TelnyxClient, session, mock) -> None:
    mock.clock.set(START + timedelta(hours=5, microseconds=123456))
    assert telnyx.compose(session)["created_at"] == "2026-03-02T14:30:00.123456Z"
