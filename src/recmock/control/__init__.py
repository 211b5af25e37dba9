"""The control API under `/_recmock/`: how a test (over HTTP, or the pytest fixture
in-process) steers the mock — clock, scripts, journal, webhooks, state and keys.

Answers are JSON objects; listings name their list; mistakes get 400 with
`{"error": "..."}` that says what to change.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.wrappers import Response

from recmock.mock import RecMock
from recmock.openapi import vendor_document
from recmock.scripts import ScriptError
from recmock.timeutil import iso_millis
from recmock.web import json_object, json_response, no_content


@cache
def installed_version() -> str:
    """Read on the first health check: importlib.metadata costs start-up time."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("recmock")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0+unknown"


def control_blueprint(mock: RecMock) -> Blueprint:
    bp = Blueprint("control", __name__)

    def vendor_arg() -> str | None:
        """`?vendor=`: a vendor's name, or absent; a misspelt one is a 400, not `[]`."""
        name = request.args.get("vendor")
        if name is not None:
            try:
                mock.names.check(name)
            except ValueError as exc:
                raise BadRequest(f"vendor: {exc}") from None
        return name

    def clock_json() -> dict[str, Any]:
        return {"now": iso_millis(mock.now()), "frozen": mock.clock.frozen}

    @bp.get("/health")
    def health() -> Response:
        return json_response(
            {
                "status": "ok",
                "version": installed_version(),
                "vendors": list(mock.vendors),
                "now": iso_millis(mock.now()),
            }
        )

    @bp.post("/reset")
    def reset() -> Response:
        body = json_object(request, optional=True)
        vendor = body.get("vendor")
        if vendor is not None and (not isinstance(vendor, str) or vendor not in mock.vendors):
            raise BadRequest(f"vendor: unknown vendor {vendor!r} (one of {list(mock.vendors)})")
        mock.reset(vendor)
        return no_content()

    @bp.get("/openapi/<name>.json")
    def openapi_document(name: str) -> Response:
        """The vendor's routes and the schemas its bodies and queries are checked with."""
        vendor = mock.vendors.get(name)
        if vendor is None:
            raise NotFound(f"No vendor {name!r} (one of {list(mock.vendors)})")
        return json_response(vendor_document(vendor, installed_version()))

    @bp.get("/clock")
    def get_clock() -> Response:
        return json_response(clock_json())

    @bp.post("/clock")
    def move_clock() -> Response:
        body = json_object(request, optional=True)
        known = {"set", "advance", "freeze"}
        given = known & set(body)
        if len(given) != 1 or set(body) - known:
            raise BadRequest(
                'Send exactly one of {"set": ISO-8601}, {"advance": "90s"|"2h"|"PT1H30M"|seconds},'
                ' {"freeze": true|false}'
            )
        fired: list[dict] = []
        try:
            if "set" in body:
                fired = mock.set_time(str(body["set"]))
            elif "advance" in body:
                fired = mock.advance(body["advance"])
            elif body["freeze"] is True:
                mock.clock.freeze()
            elif body["freeze"] is False:
                fired = mock.clock.unfreeze()
            else:
                raise BadRequest("freeze: must be true or false")
        except ValueError as exc:
            raise BadRequest(f"{next(iter(given))}: {exc}") from None
        return json_response({**clock_json(), "fired": fired})

    @bp.get("/scripts")
    def list_scripts() -> Response:
        scripts = mock.scripts.list(vendor_arg())
        return json_response({"scripts": [s.to_json() for s in scripts]})

    @bp.post("/scripts")
    def add_scripts() -> Response:
        try:
            added = mock.add_scripts(request.get_data())
        except ScriptError as exc:
            raise BadRequest(str(exc)) from None
        return json_response({"scripts": [s.to_json() for s in added]}, 201)

    @bp.delete("/scripts")
    def clear_scripts() -> Response:
        mock.scripts.clear(vendor_arg())
        return no_content()

    @bp.delete("/scripts/<script_id>")
    def remove_script(script_id: str) -> Response:
        if not mock.scripts.remove(script_id):
            raise NotFound(f"No script {script_id!r}")
        return no_content()

    @bp.get("/requests")
    def list_requests() -> Response:
        entries = mock.journal.entries(
            vendor=vendor_arg(),
            method=request.args.get("method"),
            path=request.args.get("path"),
        )
        return json_response({"requests": entries})

    @bp.delete("/requests")
    def clear_requests() -> Response:
        mock.journal.clear(vendor_arg())
        return no_content()

    @bp.get("/webhooks")
    def list_webhooks() -> Response:
        return json_response({"webhooks": mock.outbox.attempts(vendor_arg())})

    @bp.delete("/webhooks")
    def clear_webhooks() -> Response:
        mock.outbox.clear(vendor_arg())
        return no_content()

    @bp.get("/state")
    def get_state() -> Response:
        return json_response(mock.dump_state())

    @bp.put("/state")
    def put_state() -> Response:
        request.max_content_length = mock.config.max_media_bytes  # a dump carries media
        try:
            mock.replace_state(json_object(request, optional=True))
        except ValueError as exc:
            raise BadRequest(f"Not a recmock state dump (nothing was changed): {exc}") from None
        return json_response(mock.dump_state())

    @bp.get("/keys")
    def list_keys() -> Response:
        return json_response(
            {
                "keys": [
                    {"vendor": name, **vendor.describe_credential(parts)}
                    for name, vendor in mock.vendors.items()
                    for parts in mock.credentials.registered(name)
                ]
            }
        )

    @bp.delete("/keys")
    def forget_keys() -> Response:
        """Back to lax credentials: for one vendor (`?vendor=`), or all of them."""
        mock.credentials.clear(vendor_arg())
        return no_content()

    @bp.post("/keys")
    def register_key() -> Response:
        body = json_object(request, optional=True)
        name = body.get("vendor")
        vendor = mock.vendors.get(name) if isinstance(name, str) else None
        if vendor is None:
            raise BadRequest(f"vendor: must be one of {list(mock.vendors)}")
        try:
            parts = vendor.credential_parts(body)
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        mock.register_key(vendor.name, *parts)
        return json_response({"vendor": vendor.name, **vendor.describe_credential(parts)}, 201)

    return bp
