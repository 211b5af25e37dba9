"""The Scoot API's recording-processing and transcription operations over HTTP, one
handler each: each reads what the request carries (checking the body field by field),
calls the backend, and answers Scoot's JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from werkzeug.wrappers import Response

from recmock.openapi import RouteDoc
from recmock.validation import problems, shared_schema
from recmock.vendor import Vendor
from recmock.vendors.scoot.backend import ScootBackend
from recmock.vendors.scoot.errors import ScootError
from recmock.vendors.scoot.models import SocialRecording, Transcription
from recmock.vendors.scoot.routes import API
from recmock.vendors.scoot.rules import API_KEY_HEADER, STATUSES
from recmock.vendors.scoot.schemas import (
    SocialRecordingSchema,
    TranscriptionSchema,
    canonical_uuid,
    uuid_field,
)
from recmock.web import VendorRequest, json_body, json_response

if TYPE_CHECKING:
    from recmock.mock import RecMock

RecordingQuery = Schema.from_dict({"socialRecordingId": uuid_field(required=True)})
TranscriptionQuery = Schema.from_dict({"socialTranscriptionId": uuid_field(required=True)})


class ScootVendor(Vendor):
    name = "scoot"
    mount = "/scoot"
    hosts = ("api.scoot.app",)
    domains = ("scoot.app",)
    api_base = "/api/v1"
    routes = API
    record_types = (SocialRecording, Transcription)
    script_states = {"recording": STATUSES}
    route_docs = {
        "process_recording": RouteDoc(body=SocialRecordingSchema),
        "get_recording": RouteDoc(query=RecordingQuery),
        "save_transcription": RouteDoc(body=TranscriptionSchema),
        "get_transcription": RouteDoc(query=TranscriptionQuery),
    }

    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock)
        self.backend: ScootBackend = ScootBackend(mock)

    def http_error(self, status: int, message: str) -> ScootError:
        return self.backend.error(status, message)

    # -- recordings ------------------------------------------------------------------

    def process_recording(self, request: VendorRequest) -> Response:
        """Starts processing: the SocialRecording comes back as sent, `PROCESSING`, with
        `processingStartDateTime` now; missing users and participants are filled in."""
        tenant = self._authenticate(request)
        data = self._load(request, SocialRecordingSchema)
        return json_response(self.backend.process_recording(tenant, data))

    def get_recording(self, request: VendorRequest) -> Response:
        """`GET /api/v1/recording?socialRecordingId=`: not in Scoot's docs; the mock's
        read, shaped like the transcription read that is."""
        tenant = self._authenticate(request)
        recording_id = self._id_parameter(request, "socialRecordingId")
        return json_response(self.backend.read_recording(tenant, recording_id))

    # -- transcriptions --------------------------------------------------------------

    def save_transcription(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        data = self._load(request, TranscriptionSchema)
        return json_response(self.backend.save_transcription(tenant, data))

    def get_transcription(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        transcription_id = self._id_parameter(request, "socialTranscriptionId")
        return json_response(self.backend.read_transcription(tenant, transcription_id))

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest) -> str:
        return self.backend.authenticate(request.headers.get(API_KEY_HEADER, "").strip())

    def _load(self, request: VendorRequest, schema: type[Schema]) -> dict[str, Any]:
        """The body, a JSON object checked field by field; a 400 naming every field
        that fails, as Spring does (`errors`: `field`, `defaultMessage`)."""
        body = json_body(request)
        if not isinstance(body, dict):
            raise self.http_error(400, "The body must be a JSON object")
        try:
            loaded: dict[str, Any] = shared_schema(schema).load(body)
        except SchemaError as exc:
            field_errors = [
                {"field": _field_name(path), "defaultMessage": message}
                for path, message in problems(exc.messages)
            ]
            summary = "; ".join(f"{e['field']}: {e['defaultMessage']}" for e in field_errors)
            raise self.backend.error(
                400, f"Validation failed: {summary}", field_errors=field_errors
            ) from None
        return loaded

    def _id_parameter(self, request: VendorRequest, parameter: str) -> str:
        """The query's id, required, a UUID in either case: in lower case, as stored."""
        wanted = request.args.get(parameter)
        if wanted is None:
            raise self.http_error(400, f"Required parameter '{parameter}' is not present")
        canonical = canonical_uuid(wanted)
        if canonical is None:
            raise self.http_error(400, f"Parameter '{parameter}' must be a UUID")
        return canonical


def _field_name(path: tuple[str, ...]) -> str:
    """`participants.0.user.emailAddress` as Spring names it: participants[0].user...."""
    name = ""
    for part in path:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or "body"
