"""What holds for every vendor: a resource made with one credential is invisible with
another, odd ids are a 4xx and never a 500, an oversize body is a 413 in the vendor's
shape, and the state dump round-trips exactly."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from recmock import RecMock
from recmock.vendors import VENDOR_TYPES

# From the registry: a vendor added there is tested here, or these tests fail saying
# what it lacks.
NAMES = [vendor_type.name for vendor_type in VENDOR_TYPES]


@dataclass
class Vendor:
    """How a test speaks to one vendor as two different accounts."""

    create: Callable[[FlaskClient, str], str]  # makes a resource as `who`; its GET path
    auth: Callable[[FlaskClient, str], dict]  # what a request carries for `who`
    get: str  # a GET path with {id}
    error_key: str  # a key every error body of this vendor has


def _claap_create(client: FlaskClient, who: str) -> str:
    answer = client.post(
        "/claap/v1/recordings", json={"authorEmail": "a@acme.com"}, headers={"X-Claap-Key": who}
    )
    return f"/claap/v1/recordings/{answer.json['result']['recording']['id']}"


def _telnyx_create(client: FlaskClient, who: str) -> str:
    headers = {"Authorization": f"Bearer {who}"}
    session = client.post("/_recmock/vendors/telnyx/sessions", json={}, headers=headers).json
    answer = client.post(
        "/telnyx/v2/room_compositions", json={"session_id": session["session"]["id"]},
        headers=headers,
    )  # fmt: skip
    return f"/telnyx/v2/room_compositions/{answer.json['data']['id']}"


def _eyeson_create(client: FlaskClient, who: str) -> str:
    answer = client.post("/eyeson/rooms", data={"id": "r", "user[name]": "A"},
                         headers={"Authorization": who})  # fmt: skip
    return f"/eyeson/rooms/{answer.json['room']['id']}/recordings"


_valt_tokens: dict[str, str] = {}


def _valt_auth(client: FlaskClient, who: str) -> dict:
    answer = client.post("/valt/api/v3/login", json={"username": who, "password": "pw"})
    _valt_tokens[who] = answer.json["data"]["access_token"]
    return {}


def _valt_create(client: FlaskClient, who: str) -> str:
    _valt_auth(client, who)
    answer = client.post(
        f"/valt/api/v3/records/create-upload?access_token={_valt_tokens[who]}", json={"name": "n"}
    )
    return f"/valt/api/v3/records/{answer.json['id']}"


def _scoot_create(client: FlaskClient, who: str) -> str:
    answer = client.post(
        "/scoot/api/v1/recording/processing",
        json={"socialId": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "recordingId": "r"},
        headers={"X-API-Key": who},
    )
    return f"/scoot/api/v1/recording?socialRecordingId={answer.json['socialRecordingId']}"


VENDORS = {
    "claap": Vendor(_claap_create, lambda c, who: {"X-Claap-Key": who},
                    "/claap/v1/recordings/{id}", "error"),
    "telnyx": Vendor(_telnyx_create, lambda c, who: {"Authorization": f"Bearer {who}"},
                     "/telnyx/v2/room_compositions/{id}", "errors"),
    "eyeson": Vendor(_eyeson_create, lambda c, who: {"Authorization": who},
                     "/eyeson/recordings/{id}", "error"),
    "valt": Vendor(_valt_create, _valt_auth, "/valt/api/v3/records/{id}", "status"),
    "scoot": Vendor(_scoot_create, lambda c, who: {"X-API-Key": who},
                    "/scoot/api/v1/recording?socialRecordingId={id}", "status"),
}  # fmt: skip
KEYS = {"claap": ("cla_one", "cla_two")}


def _keys(name: str) -> tuple[str, str]:
    return KEYS.get(name, ("account_one", "account_two"))


def _with_token(name: str, path: str, who: str) -> str:
    if name != "valt":
        return path
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}access_token={_valt_tokens[who]}"


@pytest.mark.parametrize("name", NAMES)
def test_every_vendor_is_spoken_to_here(name: str) -> None:
    assert name in VENDORS, f"{name}: add how to make and read one of its resources to VENDORS"
    assert name in OVERSIZE, f"{name}: add an endpoint that reads a JSON body to OVERSIZE"


@pytest.mark.parametrize("name", NAMES)
def test_a_resource_is_invisible_to_another_account(client: FlaskClient, name: str) -> None:
    vendor = VENDORS[name]
    one, two = _keys(name)
    path = vendor.create(client, one)

    mine_headers, their_headers = vendor.auth(client, one), vendor.auth(client, two)
    mine = client.get(_with_token(name, path, one), headers=mine_headers)
    theirs = client.get(_with_token(name, path, two), headers=their_headers)

    assert mine.status_code == 200, mine.json
    assert theirs.status_code == 404
    assert vendor.error_key in theirs.json


ODD_IDS = ["..%2F..%2Fetc%2Fpasswd", "%00", "a%0Ab", "%E2%80%AE", "x" * 10_000, "%FF%FE", "'--"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("odd", ODD_IDS, ids=lambda s: s[:12])
def test_odd_ids_are_4xx_in_the_vendors_shape(client: FlaskClient, name: str, odd: str) -> None:
    vendor = VENDORS[name]
    one, _ = _keys(name)
    headers = vendor.auth(client, one)
    answer = client.get(_with_token(name, vendor.get.format(id=odd), one), headers=headers)

    assert 400 <= answer.status_code < 500, (answer.status_code, answer.data[:200])
    assert answer.is_json and vendor.error_key in answer.json


OVERSIZE = {
    "claap": ("/claap/v1/recordings", "error"),
    "telnyx": ("/telnyx/v2/room_compositions", "errors"),
    "eyeson": ("/eyeson/rooms", "error"),
    "valt": ("/valt/api/v3/login", "error"),
    "scoot": ("/scoot/api/v1/recording/processing", "status"),
}


@pytest.mark.parametrize("name", NAMES)
def test_an_oversize_body_is_413_in_the_vendors_shape(client: FlaskClient, name: str) -> None:
    path, key = OVERSIZE[name]
    one, _ = _keys(name)
    body = b'{"x": "' + b"a" * (1024 * 1024 + 1) + b'"}'
    headers = {"Content-Type": "application/json", **VENDORS[name].auth(client, one)}
    answer = client.post(path, data=io.BytesIO(body).read(), headers=headers)

    assert answer.status_code == 413
    assert key in answer.json


def test_the_state_of_every_vendor_round_trips_exactly(client: FlaskClient, mock: RecMock) -> None:
    for name in NAMES:
        VENDORS[name].create(client, _keys(name)[0])
    dumped: dict[str, Any] = client.get("/_recmock/state").json
    assert all(dumped["vendors"][name]["resources"] for name in NAMES)

    assert client.put("/_recmock/state", json=dumped).status_code == 200
    assert client.get("/_recmock/state").json == dumped
