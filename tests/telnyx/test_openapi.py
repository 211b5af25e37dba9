"""Every success body and every 422 body of the room-composition endpoints validates
against Telnyx's published OpenAPI document (the subset in ../shared/vendors), and a
composition carries no field the document does not define."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.telnyx.conftest import TelnyxClient, video_ids

DOCUMENT = (
    Path(__file__).resolve().parents[3] / "shared/vendors/telnyx-room-compositions.openapi.json"
)

pytestmark = pytest.mark.skipif(
    not DOCUMENT.exists(), reason="the OpenAPI document lives in ../shared/vendors"
)


def _validator(path: str, method: str, status: str) -> Draft202012Validator:
    """The JSON schema of one documented response, with the document's own $refs."""
    document = json.loads(DOCUMENT.read_text())
    registry = Registry().with_resource(
        "urn:telnyx", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    escaped = path.replace("~", "~0").replace("/", "~1")
    pointer = f"/paths/{escaped}/{method}/responses/{status}"
    response = document["paths"][path][method]["responses"][status]
    if "$ref" in response:  # a shared response under components
        pointer = response["$ref"].removeprefix("#")
    schema = {"$ref": f"urn:telnyx#{pointer}/content/application~1json/schema"}
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _assert_valid(body: Any, path: str, method: str, status: str) -> None:
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator(path, method, status).iter_errors(body)
    ]
    assert problems == [], body


def _documented_fields() -> set[str]:
    document = json.loads(DOCUMENT.read_text())
    return set(document["components"]["schemas"]["RoomComposition"]["properties"])


def _assert_only_documented_fields(composition: dict[str, Any]) -> None:
    assert set(composition) <= _documented_fields()


@pytest.fixture
def compositions(telnyx: TelnyxClient, session: dict[str, Any], mock) -> list[dict[str, Any]]:
    """One composition in each status, with a webhook URL and a layout."""
    shown = []
    for wait in (35, 6, 0):
        created = telnyx.compose(
            session,
            resolution="640x360",
            video_layout={"main": {"video_sources": video_ids(session), "z_pos": 2},
                          "all": {"video_sources": "*", "max_rows": 2}},
            webhook_event_url="https://example.com/hooks",
            webhook_timeout_secs=5,
        )  # fmt: skip
        _assert_valid({"data": created}, "/room_compositions", "post", "202")
        _assert_only_documented_fields(created)
        mock.clock.advance(timedelta(seconds=wait))
        shown.append(created["id"])
    return [telnyx.composition(c) for c in shown]


def test_view_bodies_validate_in_every_status(
    telnyx: TelnyxClient, compositions: list[dict[str, Any]]
) -> None:
    assert sorted(c["status"] for c in compositions) == ["completed", "enqueued", "processing"]
    for composition in compositions:
        answer = telnyx.get(f"/room_compositions/{composition['id']}")
        _assert_valid(answer.json, "/room_compositions/{room_composition_id}", "get", "200")
        _assert_only_documented_fields(answer.json["data"])


def test_list_bodies_validate(telnyx: TelnyxClient, compositions: list[dict[str, Any]]) -> None:
    for query in ({}, {"page[size]": 1, "page[number]": 2}, {"filter[status]": "completed"}):
        answer = telnyx.get("/room_compositions", **query)
        assert answer.status_code == 200
        _assert_valid(answer.json, "/room_compositions", "get", "200")


def test_422_bodies_validate(telnyx: TelnyxClient, session: dict[str, Any]) -> None:
    bad_bodies = [
        {},
        {"session_id": "nope", "resolution": "1x1", "format": "avi", "webhook_timeout_secs": 99},
        {"session_id": session["session"]["id"], "video_layout": {"a": {"z_pos": 500}}},
        {"session_id": session["session"]["id"], "webhook_event_url": "no-scheme"},
        [],
    ]
    for body in bad_bodies:
        answer = telnyx.post("/room_compositions", body)
        assert answer.status_code == 422
        _assert_valid(answer.json, "/room_compositions", "post", "422")


def test_the_validator_catches_an_undocumented_shape() -> None:
    """The check itself can fail: a status outside the enum does not validate."""
    validator = _validator("/room_compositions/{room_composition_id}", "get", "200")
    assert not validator.is_valid({"data": {"status": "failed"}})
    assert not validator.is_valid({"data": {"webhook_timeout_secs": 31}})


def test_delete_has_no_body(telnyx: TelnyxClient, compositions: list[dict[str, Any]]) -> None:
    answer = telnyx.delete(f"/room_compositions/{compositions[0]['id']}")
    document = json.loads(DOCUMENT.read_text())
    documented = document["paths"]["/room_compositions/{room_composition_id}"]["delete"]
    assert "content" not in documented["responses"]["204"]
    assert (answer.status_code, answer.data) == (204, b"")
