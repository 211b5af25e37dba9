"""The Telnyx video API's operations over HTTP, one handler each, named like Telnyx's
own (ListRoomCompositions, CreateRoomComposition, ViewRoomComposition, ...): each
reads what the request carries, calls the backend, and answers Telnyx's JSON."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from recmock.openapi import RouteDoc
from recmock.validation import problems, shared_schema
from recmock.vendor import Vendor
from recmock.vendors.telnyx import errors, schemas
from recmock.vendors.telnyx.actions import TelnyxActions
from recmock.vendors.telnyx.backend import TelnyxBackend
from recmock.vendors.telnyx.models import Room, RoomComposition, RoomRecording, RoomSession
from recmock.vendors.telnyx.routes import ACTIONS, API
from recmock.vendors.telnyx.rules import MAX_REGIONS, STATES
from recmock.web import VendorRequest, json_body, json_response, no_content

if TYPE_CHECKING:
    from recmock.mock import RecMock


class TelnyxVendor(Vendor):
    name = "telnyx"
    mount = "/telnyx"
    hosts = ("api.telnyx.com",)
    domains = ("telnyx.com",)
    api_base = "/v2"
    routes = API
    action_routes = ACTIONS
    actions_type = TelnyxActions
    record_types = (RoomComposition, Room, RoomSession, RoomRecording)
    script_states = {"room_composition": STATES}
    route_docs = {
        "create_room_composition": RouteDoc(body=schemas.CreateRoomCompositionSchema, status=202),
        "list_room_compositions": RouteDoc(query=schemas.ListRoomCompositionsQuery),
        "delete_room_composition": RouteDoc(status=204),
        "create_room": RouteDoc(body=schemas.CreateRoomSchema, status=201),
        "list_rooms": RouteDoc(query=schemas.ListRoomsQuery),
        "list_room_sessions": RouteDoc(query=schemas.ListRoomSessionsQuery),
        "list_room_sessions_of_room": RouteDoc(query=schemas.ListRoomSessionsQuery),
        "list_room_recordings": RouteDoc(query=schemas.ListRoomRecordingsQuery),
        "delete_room_recording": RouteDoc(status=204),
    }

    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock)
        self.backend: TelnyxBackend = TelnyxBackend(mock)

    def http_error(self, status: int, message: str) -> errors.VendorError:
        return errors.for_status(status, message)

    # -- room compositions -----------------------------------------------------------

    def create_room_composition(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        body = json_body(request)
        if not isinstance(body, dict):
            raise _not_an_object()
        data, found = _load_body(schemas.CreateRoomCompositionSchema, body)
        layout = body.get("video_layout")
        if isinstance(layout, dict) and len(layout) > MAX_REGIONS:
            found.append(errors.field_problem(("video_layout",), "Limited to 2 regions."))
        shown = self.backend.create_composition(tenant, data, found, self.base_url(request))
        return json_response({"data": shown}, 202)

    def list_room_compositions(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomCompositionsQuery)
        return json_response(self.backend.list_compositions(tenant, query))

    def view_room_composition(self, request: VendorRequest, composition_id: str) -> Response:
        tenant = self._authenticate(request)
        return json_response({"data": self.backend.read_composition(tenant, composition_id)})

    def delete_room_composition(self, request: VendorRequest, composition_id: str) -> Response:
        tenant = self._authenticate(request)
        self.backend.delete_composition(tenant, composition_id)
        return no_content()

    # -- rooms, sessions, recordings -------------------------------------------------

    def create_room(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        body = json_body(request, optional=True)
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise _not_an_object()
        data, found = _load_body(schemas.CreateRoomSchema, body)
        if found:
            raise errors.Invalid(found)
        room = self.backend.create_room(tenant, data)
        return json_response({"data": room.to_json(sessions=[])}, 201)

    def list_rooms(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomsQuery)
        return json_response(self.backend.list_rooms(tenant, query))

    def view_room(self, request: VendorRequest, room_id: str) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomsQuery)
        shown = self.backend.read_room(tenant, room_id, query["include_sessions"])
        return json_response({"data": shown})

    def list_room_sessions(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomSessionsQuery)
        return json_response(self.backend.list_sessions(tenant, query))

    def list_room_sessions_of_room(self, request: VendorRequest, room_id: str) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomSessionsQuery)
        return json_response(self.backend.list_sessions(tenant, query, room_id))

    def view_room_session(self, request: VendorRequest, session_id: str) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomSessionsQuery)
        shown = self.backend.read_session(tenant, session_id, query["include_participants"])
        return json_response({"data": shown})

    def list_room_recordings(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomRecordingsQuery)
        return json_response(self.backend.list_recordings(tenant, query))

    def view_room_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request)
        return json_response({"data": self.backend.read_recording(tenant, recording_id)})

    def delete_room_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request)
        self.backend.delete_recording(tenant, recording_id)
        return no_content()

    # -- the download links the API hands out ----------------------------------------

    def download_file(self, request: VendorRequest, collection: str, file_name: str) -> Response:
        """The pre-signed download URLs: no API key, valid for ten minutes of the
        mock's time, a fresh one in every answer (the package docstring says why)."""
        verdict = self.link_verdict(request, f"/files/{collection}/{file_name}")
        blob = self.backend.file(collection, file_name, verdict)
        # conditional: Range requests answered, as a CDN does for video players.
        return send_file(
            io.BytesIO(blob.data), request.environ, mimetype=blob.content_type, conditional=True
        )

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest) -> str:
        """The account of the request's `Authorization: Bearer <API key>`."""
        return self.backend.authenticate(request.headers.get("Authorization", ""))


def _not_an_object() -> errors.Invalid:
    return errors.Invalid(
        [errors.error_entry("10015", "Bad Request", "Must be a JSON object.", pointer="/")]
    )


def _load_body(
    schema: type[Schema], body: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The valid part of the body and a 422 entry for each problem: Telnyx reports
    every offending field at once."""
    try:
        loaded: dict[str, Any] = shared_schema(schema).load(body)
    except SchemaError as exc:
        valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        found = [
            errors.field_problem(_field_path(path), message)
            for path, message in problems(exc.messages)
        ]
        return valid, found
    return loaded, []


def _field_path(path: tuple[str, ...]) -> tuple[str, ...]:
    """marshmallow files a map's problems under "key" or "value" (`video_layout.first.
    value.z_pos`); the pointer names the field itself (`/video_layout/first/z_pos`)."""
    if len(path) > 2 and path[0] == "video_layout" and path[2] in ("key", "value"):
        return path[:2] + path[3:]
    return path


def _load_query(request: VendorRequest, schema: type[Schema]) -> dict[str, Any]:
    """The list's query; a 400 naming the first bad parameter (`Invalid pagination`
    for `page[...]`)."""
    try:
        loaded: dict[str, Any] = shared_schema(schema).load(request.args.to_dict())
    except SchemaError as exc:
        path, message = problems(exc.messages)[0]
        parameter = path[0] if path else None
        if parameter and parameter.startswith("page["):
            raise errors.InvalidPagination(message, parameter=parameter) from None
        raise errors.BadRequest(message, parameter=parameter) from None
    return loaded
