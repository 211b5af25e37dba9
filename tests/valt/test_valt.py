"""Valt: login, the two-part upload, details and search, room recordings, and download
links whose PS512 JWT verifies with the mock's public key and expires after 30 minutes."""

from __future__ import annotations

import io
import struct
from datetime import timedelta
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from flask import Flask

from recmock import Config, create_app

API = "/valt/api/v3"
NOT_FOUND = {
    "type": "https://tools.ietf.org/html/rfc2616#section-10",
    "title": "An error occurred",
    "status": 404,
    "detail": "Not Found",
}
NO_TOKEN = {"error": {"code": 401, "message": "No API token provided"}}
BAD_CREDENTIALS = {"error": {"code": 401, "message": "Bad credentials."}}
VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200
UNVERIFIED_TIMES = {"verify_exp": False, "verify_iat": False, "verify_nbf": False}


def _token(client, username: str = "ann", password: str = "secret") -> str:
    answer = client.post(f"{API}/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.json
    return answer.json["data"]["access_token"]


def _created(client, token: str, name: str = "Just a room") -> dict[str, Any]:
    answer = client.post(f"{API}/records/create-upload?access_token={token}", json={"name": name})
    assert answer.status_code == 200, answer.json
    return answer.json


def _upload(client, token: str, ids: dict[str, Any], video: bytes = VIDEO) -> Any:
    return client.post(
        f"{API}/records/{ids['id']}/videos/{ids['videos'][0]}?access_token={token}",
        data={"file": (io.BytesIO(video), "clip.mp4")},
        content_type="multipart/form-data",
    )


def _uploaded(client, token: str, name: str = "Just a room") -> dict[str, Any]:
    ids = _created(client, token, name)
    sent = _upload(client, token, ids)
    assert sent.status_code == 201, sent.json
    assert sent.json == ids
    return ids


def _download_url(client, token: str, ids: dict[str, Any]) -> str:
    path = f"{API}/records/download/{ids['id']}/{ids['videos'][0]}?access_token={token}"
    return client.get(path).json["url"]


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_login_gives_a_32_hex_token_and_refuses_unregistered_users(client, mock) -> None:
    token = _token(client)
    assert len(token) == 32 and int(token, 16) >= 0

    mock.register_key("valt", "ann", "right")
    wrong = client.post(f"{API}/login", json={"username": "ann", "password": "wrong"})
    other = client.post(f"{API}/login", json={"username": "bob", "password": "right"})
    malformed = client.post(f"{API}/login", data=b"{", content_type="application/json")
    assert (wrong.status_code, wrong.json) == (401, {"data": "Invalid username or password"})
    assert other.status_code == 401 and malformed.status_code == 401
    assert _token(client, "ann", "right")


def test_the_token_only_as_a_query_parameter(client) -> None:
    token = _token(client)
    in_header = client.post(f"{API}/records", json={}, headers={"Authorization": f"Bearer {token}"})
    wrong = client.post(f"{API}/records?access_token=00000000000000000000000000000000", json={})
    assert (in_header.status_code, in_header.json) == (401, NO_TOKEN)
    assert (wrong.status_code, wrong.json) == (401, BAD_CREDENTIALS)


def test_the_two_part_upload_and_the_details(client) -> None:
    token = _token(client)
    ids = _uploaded(client, token)
    assert len(ids["videos"]) == 1

    details = client.get(f"{API}/records/{ids['id']}?access_token={token}").json["data"]
    assert details["id"] == ids["id"] and details["name"] == "Just a room"
    assert details["type"] == "record" and details["author"]["name"] == "ann"
    assert details["created"] == 1772443800  # 2026-03-02T09:30:00Z in epoch seconds
    documented = {"template", "duration", "room", "cameras", "sharing", "retention", "markers"}
    assert documented <= set(details)


def _box(kind: bytes, payload: bytes, large: bool = False) -> bytes:
    if large:  # size 1, then a 64-bit size
        return struct.pack(">I4sQ", 1, kind, 16 + len(payload)) + payload
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def _mp4(time_scale: int, duration: int, version: int = 0, large: bool = False) -> bytes:
    if version == 1:
        header = struct.pack(">B3xQQIQ", 1, 0, 0, time_scale, duration)
    else:
        header = struct.pack(">B3xIIII", 0, 0, 0, time_scale, duration)
    movie = _box(b"moov", _box(b"mvhd", header + b"\x00" * 80), large)
    return _box(b"ftyp", b"isom\x00\x00\x02\x00") + _box(b"free", b"") + movie


@pytest.mark.parametrize(
    ("video", "seconds"),
    [
        (resources.files("recmock.assets").joinpath("sample.mp4").read_bytes(), 2),
        (_mp4(time_scale=1000, duration=7400), 7),
        (_mp4(time_scale=90000, duration=90000 * 3600, version=1, large=True), 3600),
        (VIDEO, 0),  # an MP4 signature without a movie header
        (_mp4(time_scale=0, duration=5), 0),
        (_mp4(time_scale=1000, duration=2**32 - 1), 0),  # all ones: "unknown"
        (_box(b"free", b"") * 1000 + _mp4(time_scale=1, duration=7), 0),  # looked no further
    ],
    ids=["sample", "v0", "v1-64-bit-sizes", "no-header", "no-time-scale", "unknown", "far"],
)
def test_an_uploaded_videos_duration_is_read_from_its_mp4_header(
    client, video: bytes, seconds: int
) -> None:
    token = _token(client)
    ids = _created(client, token)
    before = client.get(f"{API}/records/{ids['id']}?access_token={token}").json["data"]
    sent = _upload(client, token, ids, video)
    after = client.get(f"{API}/records/{ids['id']}?access_token={token}").json["data"]

    assert sent.status_code == 201
    assert (before["duration"], after["duration"]) == (0, seconds)


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": 3}, {"name": "x", "share": {"users": ["a"]}}, []]
)
def test_create_upload_refuses_a_bad_payload(client, body: Any) -> None:
    token = _token(client)
    answer = client.post(f"{API}/records/create-upload?access_token={token}", json=body)
    assert (answer.status_code, answer.json) == (
        500,
        {"error": {"code": 500, "message": "Invalid request payload"}},
    )


def test_the_file_upload_needs_a_file_and_a_known_video(client) -> None:
    token = _token(client)
    ids = _created(client, token)
    no_file = client.post(
        f"{API}/records/{ids['id']}/videos/{ids['videos'][0]}?access_token={token}",
        data={"note": "no file here"},
        content_type="multipart/form-data",
    )
    wrong_video = client.post(
        f"{API}/records/{ids['id']}/videos/{ids['id']}?access_token={token}",
        data={"file": (io.BytesIO(VIDEO), "clip.mp4")},
        content_type="multipart/form-data",
    )
    assert (no_file.status_code, no_file.json) == (
        400,
        {"error": {"code": 400, "message": "Invalid request payload"}},
    )
    assert (wrong_video.status_code, wrong_video.json) == (404, NOT_FOUND)


def test_search_by_name_dates_id_offset_and_limit(client, mock) -> None:
    token = _token(client)
    first = _uploaded(client, token, "Interview A")["id"]
    mock.clock.advance(timedelta(days=2))
    second = _uploaded(client, token, "Interview B")["id"]
    _uploaded(client, token, "Other")

    def found(**body: Any) -> list[str]:
        answer = client.post(f"{API}/records?access_token={token}", json=body)
        assert answer.status_code == 200, answer.json
        return [r["id"] for r in answer.json["data"]["records"]]

    assert found(search="interview") == [second, first]
    assert found(search="interview", start_date="03-03-2026") == [second]
    assert found(search="interview", end_date="03-02-2026") == [first]
    assert found(filter=first) == [first]
    assert found(search="interview", offset=1, limit=1) == [first]
    bad = client.post(f"{API}/records?access_token={token}", json={"start_date": "2026-03-02"})
    assert (bad.status_code, bad.json) == (
        500,
        {"error": {"code": 500, "message": "JSON Body Formatted Incorrectly"}},
    )


def test_room_recording_start_and_stop(client, mock) -> None:
    token = _token(client)
    started = client.post(f"{API}/rooms/59/record/start?access_token={token}")
    again = client.post(f"{API}/rooms/59/record/start?access_token={token}")
    mock.clock.advance(timedelta(minutes=5))
    stopped = client.post(f"{API}/rooms/59/record/stop?access_token={token}")
    nothing = client.post(f"{API}/rooms/59/record/stop?access_token={token}")

    record_id = started.json["data"]["id"]
    assert started.json == {"data": {"id": record_id, "status": True}}
    assert again.status_code == 400
    assert stopped.json == {"data": {"id": record_id, "status": True}}
    assert (nothing.status_code, nothing.json) == (
        404,
        {"data": {"message": "Recording in room not found", "status": False}, "code": 404},
    )
    record = client.get(f"{API}/records/{record_id}?access_token={token}").json["data"]
    assert record["duration"] == 300 and record["room"]["id"] == 59


def test_the_download_token_is_a_ps512_jwt_that_expires_after_30_minutes(client, mock) -> None:
    token = _token(client)
    ids = _uploaded(client, token, "Just a room")
    url = _download_url(client, token, ids)

    parts = urlsplit(url)
    assert parts.path == f"/valt/distribution/{ids['id']}/1_{ids['id']}_1.mp4"
    assert parts.query.startswith("filename=Just+a+room.mp4&access_token=")
    download_token = parse_qs(parts.query)["access_token"][0]

    key = client.get("/_recmock/vendors/valt/public_key").json
    assert jwt.get_unverified_header(download_token) == {
        "alg": "PS512",
        "kid": key["kid"],
        "typ": "JWT",
    }
    claims = jwt.decode(
        download_token,
        key["public_key"],
        algorithms=["PS512"],
        audience="valt.example.com",
        options=UNVERIFIED_TIMES,  # the claims hold the mock's time, not this machine's
    )
    assert claims["exp"] == claims["iat"] + 1800 == claims["nbf"] + 1800
    assert claims["iat"] == int(mock.now().timestamp())
    assert claims["iss"] == claims["sub"] == claims["aud"] == "valt.example.com"
    from_jwk = jwt.PyJWK(key["jwk"]).key
    assert jwt.decode(
        download_token, from_jwk, algorithms=["PS512"], audience="valt.example.com",
        options=UNVERIFIED_TIMES,
    ) == claims  # fmt: skip

    served = client.get(_local(url))
    assert (served.status_code, served.data) == (200, VIDEO)
    assert 'filename="Just a room.mp4"' in served.headers["Content-Disposition"]
    mock.clock.advance(timedelta(seconds=1799))
    assert client.get(_local(url)).status_code == 200
    mock.clock.advance(timedelta(seconds=2))  # one second after the 30 minutes
    expired = client.get(_local(url))
    assert (expired.status_code, expired.json) == (401, BAD_CREDENTIALS)


def test_distribution_refuses_missing_and_forged_tokens(client) -> None:
    token = _token(client)
    path = urlsplit(_download_url(client, token, _uploaded(client, token))).path
    forged = jwt.encode({"aud": "valt.example.com"}, "a secret of 32 bytes or more!!!!", "HS256")

    assert client.get(path).json == NO_TOKEN
    assert client.get(f"{path}?access_token={forged}").json == BAD_CREDENTIALS
    assert client.get(f"{path}?access_token={token}").json == BAD_CREDENTIALS


def test_unknown_records_and_videos_are_the_rfc_404(client) -> None:
    token = _token(client)
    ids = _created(client, token)
    for path in (
        f"/records/{ids['videos'][0]}",
        f"/records/download/{ids['id']}/nope",
        f"/records/download/{ids['id']}/{ids['videos'][0]}",  # nothing uploaded yet
    ):
        answer = client.get(f"{API}{path}?access_token={token}")
        assert (answer.status_code, answer.json) == (404, NOT_FOUND), path


def test_users_see_their_own_records(client) -> None:
    ann, bob = _token(client, "ann"), _token(client, "bob")
    ids = _uploaded(client, ann)
    assert client.get(f"{API}/records/{ids['id']}?access_token={bob}").status_code == 404


def test_a_configured_host_routes_and_signs(monkeypatch) -> None:
    monkeypatch.setenv("RECMOCK_VALT_HOST", "valt.acme.local")
    app: Flask = create_app(Config(seed=1))
    try:
        client = app.test_client()
        login = client.post(
            "/api/v3/login",
            json={"username": "ann", "password": "x"},
            headers={"Host": "valt.acme.local"},
        )
        token = login.json["data"]["access_token"]
        url = _download_url(client, token, _uploaded(client, token))
        download_token = parse_qs(urlsplit(url).query)["access_token"][0]
        claims = jwt.decode(download_token, options={"verify_signature": False})
        assert claims["iss"] == "valt.acme.local"
    finally:
        app.extensions["recmock"].close()


@pytest.mark.parametrize("body", [[1, 2], "ann", 3])
def test_a_login_body_that_is_no_object_is_a_failed_login(client, body: Any) -> None:
    answer = client.post(f"{API}/login", json=body)
    assert (answer.status_code, answer.json) == (401, {"data": "Invalid username or password"})


def test_a_name_with_a_newline_still_downloads(client) -> None:
    token = _token(client)
    url = _download_url(client, token, _uploaded(client, token, "line1\nline2"))
    served = client.get(_local(url))
    assert served.status_code == 200
    assert "\n" not in served.headers["Content-Disposition"]


def test_an_empty_file_is_no_upload(client) -> None:
    token = _token(client)
    ids = _created(client, token)
    answer = _upload(client, token, ids, b"")
    assert answer.status_code == 400


@pytest.mark.parametrize("room", ["\u0663", "99999999999999999999", "abc"])
def test_room_ids_are_32_bit_ascii_numbers(client, room: str) -> None:
    token = _token(client)
    answer = client.post(f"{API}/rooms/{room}/record/start?access_token={token}")
    assert (answer.status_code, answer.json) == (404, NOT_FOUND)


def test_a_download_token_opens_only_the_record_it_was_made_for(client) -> None:
    ann, bob = _token(client, "ann"), _token(client, "bob")
    anns = _uploaded(client, ann)
    bobs_url = _download_url(client, bob, _uploaded(client, bob))
    bobs_token = parse_qs(urlsplit(bobs_url).query)["access_token"][0]

    answer = client.get(
        f"/valt/distribution/{anns['id']}/1_{anns['id']}_1.mp4?access_token={bobs_token}"
    )
    assert (answer.status_code, answer.json) == (401, BAD_CREDENTIALS)


def test_a_room_id_of_thousands_of_digits_is_no_room(client) -> None:
    token = _token(client)
    answer = client.post(f"{API}/rooms/{'9' * 5000}/record/start?access_token={token}")
    assert (answer.status_code, answer.json) == (404, NOT_FOUND)


def test_download_links_survive_a_state_round_trip(client, mock) -> None:
    token = _token(client)
    url = _download_url(client, token, _uploaded(client, token))
    key_before = client.get("/_recmock/vendors/valt/public_key").json["kid"]

    mock.replace_state(mock.dump_state())

    assert client.get("/_recmock/vendors/valt/public_key").json["kid"] == key_before
    assert client.get(_local(url)).status_code == 200
