"""`GET /_recmock/openapi/<vendor>.json`: a valid OpenAPI 3 document per vendor, made
from the routes and the marshmallow schemas the handlers check input with."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from recmock import RecMock
from recmock.vendors import VENDOR_TYPES

REQUIRED_BODY_FIELDS = {
    ("claap", "create_recording"): ["authorEmail"],
    ("telnyx", "create_room_composition"): ["session_id"],
    ("eyeson", "create_room"): ["user"],
    ("valt", "create_upload"): ["name"],
    ("scoot", "process_recording"): ["socialId", "recordingId"],
}


def _operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict]]:
    return {
        operation["operationId"]: (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


@pytest.mark.parametrize("name", [vendor_type.name for vendor_type in VENDOR_TYPES])
def test_each_vendor_has_a_valid_document_with_every_route(
    client: FlaskClient, mock: RecMock, name: str
) -> None:
    answer = client.get(f"/_recmock/openapi/{name}.json")
    assert answer.status_code == 200
    document = answer.json
    validate(document)  # raises when the document is not valid OpenAPI

    operations = _operations(document)
    vendor = mock.vendors[name]
    assert sorted(operations) == sorted(handler for _, _, handler in vendor.routes)
    for method, rule, handler in vendor.routes:
        path, documented_method, _ = operations[handler]
        assert documented_method == method.lower()
        assert path == rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
    assert document["servers"] == [
        {"url": vendor.mount, "description": "this mock, by path prefix"}
    ]


@pytest.mark.parametrize(("vendor_handler", "required"), list(REQUIRED_BODY_FIELDS.items()))
def test_bodies_carry_the_schemas_the_handlers_check(
    client: FlaskClient, vendor_handler: tuple[str, str], required: list[str]
) -> None:
    name, handler = vendor_handler
    document = client.get(f"/_recmock/openapi/{name}.json").json
    _, _, operation = _operations(document)[handler]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(required) <= set(schema["required"])


def test_queries_name_their_parameters_as_sent(client: FlaskClient) -> None:
    document = client.get("/_recmock/openapi/telnyx.json").json
    _, _, listing = _operations(document)["list_room_compositions"]
    names = {p["name"] for p in listing["parameters"] if p["in"] == "query"}
    assert {"filter[status]", "filter[session_id]", "filter[date_created_at][gte]",
            "page[number]", "page[size]"} <= names  # fmt: skip
    size = next(p for p in listing["parameters"] if p["name"] == "page[size]")
    assert (size["schema"]["minimum"], size["schema"]["maximum"]) == (1, 250)


def test_an_unknown_vendor_has_no_document(client: FlaskClient) -> None:
    answer = client.get("/_recmock/openapi/zoom.json")
    assert answer.status_code == 404
    assert answer.json["error"].startswith("No vendor 'zoom'")


def test_documents_show_what_the_handlers_read(client: FlaskClient) -> None:
    valt = client.get("/_recmock/openapi/valt.json").json
    _, _, search = _operations(valt)["list_records"]
    start = search["requestBody"]["content"]["application/json"]["schema"]["properties"][
        "start_date"
    ]
    assert (start["format"], start["example"]) == ("MM-DD-YYYY", "03-02-2026")

    scoot = client.get("/_recmock/openapi/scoot.json").json
    _, _, read = _operations(scoot)["get_recording"]
    [parameter] = [p for p in read["parameters"] if p["in"] == "query"]
    assert (parameter["name"], parameter["required"]) == ("socialRecordingId", True)
