"""The Scoot API's recording-processing and transcription operations, one handler each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from werkzeug.wrappers import Response

from recmock.mock import RecMock
from recmock.openapi import RouteDoc
from recmock.scripts import Step
from recmock.store import Table
from recmock.timeutil import parse_instant
from recmock.validation import problems, shared_schema
from recmock.vendor import Vendor
from recmock.vendors.scoot.errors import ScootError
from recmock.vendors.scoot.models import SocialRecording, Transcription
from recmock.vendors.scoot.routes import API
from recmock.vendors.scoot.schemas import (
    STATUSES,
    SocialRecordingSchema,
    TranscriptionSchema,
    canonical_uuid,
    uuid_field,
)
from recmock.web import VendorRequest, json_body, json_response

PROCESSING_TIME = timedelta(seconds=60)
GENERATED_PARTICIPANTS = 2
_REGISTERED_FROM = datetime(2021, 1, 1, tzinfo=UTC)
_REGISTERED_UNTIL = datetime(2025, 12, 31, tzinfo=UTC)


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
        self.recordings: Table = self.tables[SocialRecording]
        self.transcriptions: Table = self.tables[Transcription]

    def http_error(self, status: int, message: str) -> ScootError:
        return ScootError(status, message, at=self.mock.now())

    def after_load(self) -> None:
        """Recordings caught processing complete when they would have: the processing
        time counts from `processingStartDateTime`, not from the load."""
        with self.mock.store.atomic():
            now = self.mock.now()
            for tenant in self.recordings.tenants():
                for recording in self.recordings.all(tenant):
                    shown = recording.shown  # type: ignore[attr-defined]
                    if shown.get("status") != "PROCESSING":
                        continue
                    started = parse_instant(shown.get("processingStartDateTime") or now.isoformat())
                    remaining = max(started + PROCESSING_TIME - now, timedelta(0))
                    self.start_lifecycle(recording.id, [Step("COMPLETE", after=remaining)])

    # -- recordings ------------------------------------------------------------------

    def process_recording(self, request: VendorRequest) -> Response:
        """Starts processing: the SocialRecording comes back as sent, `PROCESSING`, with
        `processingStartDateTime` now; missing users and participants are filled in."""
        tenant = self._authenticate(request)
        data = self._load(request, SocialRecordingSchema)
        now = self.mock.now()
        data["socialRecordingId"] = data.get("socialRecordingId") or self.mock.ids.uuid()
        data["status"] = "PROCESSING"
        data["processingStartDateTime"] = now
        data.pop("processingEndDateTime", None)
        self._fill_people(data)
        shown = _as_json(data)
        with self.mock.store.atomic():
            found = self.recordings.find(shown["socialRecordingId"])
            if found is not None and found[0] != tenant:
                raise ScootError(409, "socialRecordingId belongs to another account", at=now)
            self.recordings.put(tenant, SocialRecording(id=shown["socialRecordingId"], shown=shown))
            scripted = self.mock.scripts.timeline_for(self.name, "recording", shown)
            default = [Step("COMPLETE", after=PROCESSING_TIME)]
            self.start_lifecycle(shown["socialRecordingId"], scripted or default)
        return json_response(shown)

    def get_recording(self, request: VendorRequest) -> Response:
        """`GET /api/v1/recording?socialRecordingId=`: not in Scoot's docs; the mock's
        read, shaped like the transcription read that is."""
        tenant = self._authenticate(request)
        recording = self._get(request, self.recordings, tenant, "socialRecordingId")
        self.mock.lifecycles.note_read(self.lifecycle_key(recording.id))
        return json_response(recording.to_json())  # type: ignore[attr-defined]

    # -- transcriptions --------------------------------------------------------------

    def save_transcription(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        data = self._load(request, TranscriptionSchema)
        data["socialTranscriptionId"] = data.get("socialTranscriptionId") or self.mock.ids.uuid()
        data.setdefault("status", "PROCESSING")
        shown = _as_json(data)
        with self.mock.store.atomic():
            found = self.transcriptions.find(shown["socialTranscriptionId"])
            if found is not None and found[0] != tenant:
                raise ScootError(
                    409, "socialTranscriptionId belongs to another account", at=self.mock.now()
                )
            self.transcriptions.put(
                tenant, Transcription(id=shown["socialTranscriptionId"], shown=shown)
            )
        return json_response(shown)

    def get_transcription(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        transcription = self._get(request, self.transcriptions, tenant, "socialTranscriptionId")
        return json_response(transcription.to_json())  # type: ignore[attr-defined]

    # -- lifecycle: PROCESSING -> COMPLETE | FAILED ------------------------------------

    def enter_state(self, resource_id: str, state: str, at: datetime) -> str | None:
        with self.mock.store.atomic():
            found = self.recordings.find(resource_id)
            if found is None:
                return None
            shown = found[1].shown  # type: ignore[attr-defined]
            shown["status"] = state
            if state == "PROCESSING":
                shown.pop("processingEndDateTime", None)
            else:
                shown["processingEndDateTime"] = _iso(at)
        return f"scoot recording {resource_id} is {state}"

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest) -> str:
        """`X-API-Key` on every /api/v1 route; the tenant is the key."""
        key = request.headers.get("X-API-Key", "").strip()
        if not key or not key.isprintable() or not self.mock.credentials.accepts(self.name, key):
            raise ScootError(401, "A valid X-API-Key header is required", at=self.mock.now())
        return key

    def _load(self, request: VendorRequest, schema: type[Schema]) -> dict[str, Any]:
        body = json_body(request)
        if not isinstance(body, dict):
            raise ScootError(400, "The body must be a JSON object", at=self.mock.now())
        try:
            return shared_schema(schema).load(body)
        except SchemaError as exc:
            found = problems(exc.messages)
            field_errors = [
                {"field": _field_name(path), "defaultMessage": message} for path, message in found
            ]
            summary = "; ".join(f"{e['field']}: {e['defaultMessage']}" for e in field_errors)
            raise ScootError(
                400, f"Validation failed: {summary}", field_errors=field_errors, at=self.mock.now()
            ) from None

    def _get(self, request: VendorRequest, table: Table, tenant: str, parameter: str) -> Any:
        wanted = request.args.get(parameter)
        now = self.mock.now()
        if wanted is None:
            raise ScootError(400, f"Required parameter '{parameter}' is not present", at=now)
        canonical = canonical_uuid(wanted)
        if canonical is None:
            raise ScootError(400, f"Parameter '{parameter}' must be a UUID", at=now)
        found = table.get(tenant, canonical)
        if found is None:
            raise ScootError(
                404, f"No {table.record_type.kind} with {parameter} {canonical}", at=now
            )
        return found

    def _fill_people(self, data: dict[str, Any]) -> None:
        """Realistic users where the body leaves them out (Faker, reproducible with
        --seed): the owner, each participant's user, and two participants when none
        are given."""
        if "user" not in data:
            data["user"] = self._fake_user(data.get("userId"))
        data.setdefault("userId", data["user"].get("userId") or self.mock.ids.uuid())
        if "participants" not in data:
            start = data.get("startDateTime")
            data["participants"] = [
                {"userId": self.mock.ids.uuid(), "type": "VIDEO", "startDateTime": start}
                for _ in range(GENERATED_PARTICIPANTS)
            ]
        for participant in data["participants"]:
            if "user" not in participant:
                participant["user"] = self._fake_user(participant.get("userId"))
            participant.setdefault("userId", participant["user"].get("userId"))

    def _fake_user(self, user_id: str | None) -> dict[str, Any]:
        fake = self.mock.fake
        first, last = fake.first_name(), fake.last_name()
        return {
            "userId": user_id or self.mock.ids.uuid(),
            "name": f"{first} {last}",
            "firstName": first,
            "middleName": "",
            "lastName": last,
            "emailAddress": f"{first}.{last}@{fake.free_email_domain()}".lower(),
            "emailVerified": True,
            "preload": False,
            "mobilePhone": fake.numerify("+1 ### ### ####"),
            "mobilePhoneVerified": False,
            "mobilePhoneVerifiedWeb": False,
            "profileId": self.mock.ids.alnum(12),
            "profileImageURI": f"https://cdn.scoot.app/profile/{self.mock.ids.uuid()}.png",
            "profileImageId": self.mock.ids.uuid(),
            "profileImageBackground": fake.safe_hex_color(),
            "timeZone": fake.timezone(),
            # Between fixed dates, not relative to now: the same seed, the same users.
            "registeredDateTime": _iso(
                fake.date_time_between(_REGISTERED_FROM, _REGISTERED_UNTIL, tzinfo=UTC)
            ),
            "active": True,
            "actedAs": False,
        }


def _field_name(path: tuple[str, ...]) -> str:
    """`participants.0.user.emailAddress` as Spring names it: participants[0].user...."""
    name = ""
    for part in path:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or "body"


def _iso(instant: datetime) -> str:
    """`2023-11-07T05:31:56Z` as Scoot's examples; a sent offset and fraction are kept."""
    return instant.isoformat().replace("+00:00", "Z")


def _as_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value
