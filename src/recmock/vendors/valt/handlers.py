"""The Valt API's operations for uploading and downloading records over HTTP, one
handler each: each reads what the request carries, calls the backend, and answers
Valt's JSON."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType
from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from recmock.openapi import RouteDoc
from recmock.validation import shared_schema
from recmock.vendor import Vendor
from recmock.vendors.valt import errors
from recmock.vendors.valt.actions import ValtActions
from recmock.vendors.valt.backend import ValtBackend
from recmock.vendors.valt.models import ApiToken, SigningKey, ValtRecord
from recmock.vendors.valt.routes import ACTIONS, API
from recmock.vendors.valt.rules import DEFAULT_HOST, ROOM_ID_LIMIT
from recmock.vendors.valt.schemas import CreateUploadParams, SearchParams
from recmock.web import VendorRequest, json_body, json_response

if TYPE_CHECKING:
    from recmock.mock import RecMock


class ValtVendor(Vendor):
    name = "valt"
    mount = "/valt"
    hosts = (DEFAULT_HOST,)
    api_base = "/api/v3"
    routes = API
    action_routes = ACTIONS
    actions_type = ValtActions
    record_types = (ValtRecord, ApiToken, SigningKey)
    route_docs = {
        "create_upload": RouteDoc(body=CreateUploadParams),
        "upload_video": RouteDoc(media_type="multipart/form-data", status=201),
        "list_records": RouteDoc(body=SearchParams),
    }

    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock)
        self.backend: ValtBackend = ValtBackend(mock)

    def http_error(self, status: int, message: str) -> errors.VendorError:
        return errors.for_status(status, message)

    def credential_parts(self, body: dict) -> tuple[str, ...]:
        """Valt users log in with a username and password (local or LDAP)."""
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not username:
            raise ValueError("username: a non-empty string is required")
        if not isinstance(password, str) or not password:
            raise ValueError("password: a non-empty string is required")
        return (username, password)

    def describe_credential(self, parts: tuple[str, ...]) -> dict:
        return {"username": parts[0]}

    # -- the API ---------------------------------------------------------------------

    def login(self, request: VendorRequest) -> Response:
        """`{"data": {"access_token": <32 hex>}}`; once users are registered through the
        control API, anyone else gets 401 `{"data": "Invalid username or password"}`."""
        try:
            body = json_body(request)
        except (BadRequest, UnsupportedMediaType):  # a 413 stays a 413
            raise errors.LoginFailed() from None
        if not isinstance(body, dict):
            raise errors.LoginFailed()
        token = self.backend.login(body.get("username"), body.get("password"))
        return json_response({"data": {"access_token": token.id}})

    def create_upload(self, request: VendorRequest) -> Response:
        """Part one of an upload: the record and its video's id."""
        tenant = self._authenticate(request)
        body = _payload(request, errors.invalid_payload)
        params = _load(CreateUploadParams, body, errors.invalid_payload)
        return json_response(_ids(self.backend.create_upload(tenant, params)))

    def upload_video(self, request: VendorRequest, record_id: str, video_id: str) -> Response:
        """Part two: the file as multipart/form-data (any one file part; `file` first).
        201; 400 without a file part."""
        tenant = self._authenticate(request)
        self.backend.video(tenant, record_id, video_id)  # a 404 before the file is read
        request.max_content_length = self.mock.config.max_media_bytes
        try:
            files = request.files
        except BadRequest:
            raise errors.invalid_payload(400) from None
        upload = files.get("file") or next(iter(files.values()), None)
        if upload is None:
            raise errors.invalid_payload(400)
        data = upload.read()
        if not data:
            raise errors.invalid_payload(400)
        record = self.backend.receive_video(tenant, record_id, video_id, data, upload.filename)
        return json_response(_ids(record), 201)

    def record_details(self, request: VendorRequest, record_id: str) -> Response:
        tenant = self._authenticate(request)
        return json_response({"data": self.backend.record_details(tenant, record_id)})

    def list_records(self, request: VendorRequest) -> Response:
        """Search by name, creation dates (MM-DD-YYYY), id; `offset` and `limit`."""
        tenant = self._authenticate(request)
        body = _payload(request, errors.malformed_search, optional=True)
        query = _load(SearchParams, body, errors.malformed_search)
        return json_response({"data": {"records": self.backend.search(tenant, query)}})

    def start_room_recording(self, request: VendorRequest, room_id: str) -> Response:
        tenant = self._authenticate(request)
        record = self.backend.start_room_recording(tenant, _room_number(room_id))
        return json_response({"data": {"id": record.id, "status": True}})

    def stop_room_recording(self, request: VendorRequest, room_id: str) -> Response:
        """`{"data": {"id", "status": true}}`; 404 `Recording in room not found`. The
        camera's file (a real MP4 here) is ready at once."""
        tenant = self._authenticate(request)
        record = self.backend.stop_room_recording(tenant, _room_number(room_id))
        return json_response({"data": {"id": record.id, "status": True}})

    def download_link(self, request: VendorRequest, record_id: str, video_id: str) -> Response:
        """`{"url": ...}` on the distribution server: the file named after the record,
        `filename=` the record's name, and a PS512 JWT valid for 30 minutes."""
        tenant = self._authenticate(request)
        url = self.backend.download_url(tenant, record_id, video_id, self.base_url(request))
        return json_response({"url": url})

    def distribute(self, request: VendorRequest, record_id: str, file_name: str) -> Response:
        """Serves the uploaded bytes while the token is valid; 401 after it expires."""
        blob = self.backend.distributed_file(record_id, file_name, request.args.get("access_token"))
        # No control characters in a header: a record named "a\nb" still downloads.
        asked = request.args.get("filename") or file_name
        download_name = "".join(c for c in asked if c.isprintable()) or file_name
        return send_file(
            io.BytesIO(blob.data),
            request.environ,
            mimetype="video/mp4",
            conditional=True,
            download_name=download_name,
        )

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest) -> str:
        """`access_token` as a query parameter only (wiki, API Authentication)."""
        return self.backend.authenticate(request.args.get("access_token"))


# The error an endpoint answers a malformed body with.
Failure = Callable[[], errors.ValtError]


def _payload(request: VendorRequest, failure: Failure, optional: bool = False) -> Any:
    """The JSON body; anything malformed is Valt's 500 for that endpoint (`failure`)."""
    try:
        return json_body(request, optional=optional)
    except (BadRequest, UnsupportedMediaType):  # a 413 stays a 413
        raise failure() from None


def _load(schema: type[Schema], data: Any, failure: Failure) -> dict[str, Any]:
    """`data` loaded with `schema`; `failure` when it is no object or does not fit."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise failure()
    try:
        loaded: dict[str, Any] = shared_schema(schema).load(data)
    except SchemaError:
        raise failure() from None
    return loaded


def _ids(record: ValtRecord) -> dict[str, Any]:
    """What both parts of an upload answer: the record's id and its video's."""
    return {"id": record.id, "videos": [record.video_id]}


def _room_number(text: str) -> int:
    """Valt's rooms are numbered: ASCII digits of a 32-bit id, else no such room. The
    digits are counted before they are read: Python refuses to read thousands."""
    digits = len(str(ROOM_ID_LIMIT))
    if not (
        text.isascii() and text.isdigit() and len(text) <= digits and int(text) < ROOM_ID_LIMIT
    ):
        raise errors.NotFound()
    return int(text)
