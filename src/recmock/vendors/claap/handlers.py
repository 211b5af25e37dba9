"""The Claap API's operations over HTTP, one handler each, named like Claap's own: each
reads what the request carries, calls the backend, and answers Claap's JSON."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Response

from recmock.media import Blob
from recmock.openapi import RouteDoc
from recmock.validation import first_problem, shared_schema
from recmock.vendor import Vendor
from recmock.vendors.claap import errors
from recmock.vendors.claap.actions import ClaapActions
from recmock.vendors.claap.backend import ClaapBackend
from recmock.vendors.claap.models import Recording, WebhookTarget, Workspace
from recmock.vendors.claap.routes import ACTIONS, API
from recmock.vendors.claap.rules import STATES
from recmock.vendors.claap.schemas import (
    CreateRecordingSchema,
    ListRecordingsQuerySchema,
    TranscriptQuerySchema,
)
from recmock.web import VendorRequest, json_body, json_response, read_stream

if TYPE_CHECKING:
    from recmock.mock import RecMock


class ClaapVendor(Vendor):
    name = "claap"
    mount = "/claap"
    hosts = ("api.claap.io",)
    domains = ("claap.io",)
    api_base = "/v1"
    routes = API
    action_routes = ACTIONS
    actions_type = ClaapActions
    record_types = (Recording, Workspace, WebhookTarget)
    script_states = {"recording": STATES}
    route_docs = {
        "create_recording": RouteDoc(body=CreateRecordingSchema),
        "list_recordings": RouteDoc(query=ListRecordingsQuerySchema),
        "get_recording_transcript": RouteDoc(query=TranscriptQuerySchema),
        "upload_payload": RouteDoc(media_type="application/octet-stream"),
    }

    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock)
        self.backend: ClaapBackend = ClaapBackend(mock)

    def http_error(self, status: int, message: str) -> errors.ClaapError:
        return errors.for_status(status, message)

    # -- the REST API ----------------------------------------------------------------

    def create_recording(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request, "create_recording")
        body = json_body(request)
        if not isinstance(body, dict):
            raise errors.ValidationError("Value is not a valid object")
        data = _load(CreateRecordingSchema, body)
        recording = self.backend.create_recording(tenant, data, self.base_url(request))
        shown = recording.to_created_json(self.backend.file_url)
        return json_response({"result": {"recording": shown}})

    def list_recordings(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request, "list_recordings")
        query = _load(ListRecordingsQuerySchema, request.args.to_dict())
        page, next_cursor = self.backend.list_recordings(tenant, query)
        return json_response(
            {"result": {"recordings": page, "pagination": {"nextCursor": next_cursor}}}
        )

    def get_recording(self, request: VendorRequest, recording_id: str) -> Response:
        """The read a client polls until its recording is Ready."""
        tenant = self._authenticate(request, "get_recording")
        shown = self.backend.read_recording(tenant, recording_id)
        if request.args.get("returnAiFields", "").lower() in ("true", "1"):
            shown["aiFields"] = []
        return json_response({"result": {"recording": shown}})

    def delete_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request, "delete_recording")
        self.backend.delete_recording(tenant, recording_id)
        return json_response({"result": {"ok": True}})

    def get_recording_transcript(self, request: VendorRequest, recording_id: str) -> Response:
        """JSON `{"result": {"segments": [...], "languageCode"}}` or, with `format=text`,
        one `mm:ss speaker: text` line per segment. The mock has the original language
        only; asking for a translation (`lang`) it does not have is a 404, as at Claap."""
        tenant = self._authenticate(request, "get_recording_transcript")
        recording = self.backend.recording(tenant, recording_id)
        query = _load(TranscriptQuerySchema, request.args.to_dict())
        if query.get("lang", "en") != "en":
            raise errors.TranscriptNotFound()
        return _transcript_response(self.backend.transcript_of(recording, query["format"]))

    # -- the URLs the API hands out ----------------------------------------------------

    def upload_payload(self, request: VendorRequest, recording_id: str) -> Response:
        recording = self.backend.presigned(
            recording_id, request.args.get("signature", ""), lambda r: r.upload_token
        )
        if not recording.download_url and not recording.payload_received:
            data = read_stream(request, self.mock.config.max_media_bytes)
        else:
            data = b""  # refused below, unread
        self.backend.receive_payload(recording, data)
        return Response(b"", status=200, mimetype="text/plain")

    def upload_transcript(self, request: VendorRequest, recording_id: str) -> Response:
        recording = self.backend.presigned(
            recording_id, request.args.get("signature", ""), lambda r: r.transcript_upload_token
        )
        self.backend.receive_transcript(
            recording, read_stream(request, self.mock.config.max_body_bytes)
        )
        return Response(b"", status=200, mimetype="text/plain")

    def download_file(self, request: VendorRequest, recording_id: str, name: str) -> Response:
        """The signed URLs Claap hands out (video, thumbnail, transcripts): they need no
        API key and expire 24 hours after they were issued."""
        verdict = self.link_verdict(request, f"/files/{recording_id}/{name}")
        found = self.backend.file(recording_id, name, verdict)
        if not isinstance(found, Blob):
            return _transcript_response(found)
        # send_file answers Range requests, as a CDN does for video players.
        return send_file(
            io.BytesIO(found.data), request.environ, mimetype=found.content_type, conditional=True
        )

    def open_recording(self, request: VendorRequest, recording_id: str) -> Response:
        """The recording's `url`: in the app it plays the video; here it redirects to it."""
        return redirect(self.backend.ready_video_url(recording_id), 302)

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest, endpoint: str) -> str:
        """The workspace of the request's X-Claap-Key, its call counted against Claap's
        rate limits; the answer carries the limits' headers."""
        tenant, headers = self.backend.authenticate(
            request.headers.get("X-Claap-Key", ""), endpoint
        )
        if headers:
            request.after_answer(lambda response: response.headers.update(headers))
        return tenant


def _transcript_response(transcript: bytes | str | dict[str, Any]) -> Response:
    if isinstance(transcript, dict):
        return json_response(transcript)
    return Response(transcript, mimetype="text/plain")


def _load(schema: type[Schema], data: Any) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = shared_schema(schema).load(data)
    except SchemaError as exc:
        path, message = first_problem(exc.messages)
        raise errors.ValidationError(message, path=".".join(path) or None) from None
    return loaded
