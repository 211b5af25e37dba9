"""The Telnyx video API's operations, one handler each, named like Telnyx's own
(ListRoomCompositions, CreateRoomComposition, ViewRoomComposition, ...)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from werkzeug import exceptions as http  # vendor actions answer in the control API's shape
from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from recmock.mock import RecMock
from recmock.openapi import RouteDoc
from recmock.scripts import Step
from recmock.store import Record, Table
from recmock.timeutil import iso_micros
from recmock.validation import problems, shared_schema
from recmock.vendor import Vendor
from recmock.vendors.telnyx import errors, schemas
from recmock.vendors.telnyx.actions import TelnyxActions
from recmock.vendors.telnyx.models import Room, RoomComposition, RoomRecording, RoomSession
from recmock.vendors.telnyx.routes import ACTIONS, API
from recmock.vendors.telnyx.rules import (
    DOWNLOAD_URL_LIFETIME,
    MAX_REGIONS,
    PROCESSING_TIME,
    QUEUED_FOR,
    STATES,
    WEBHOOK_RETRIES,
    WEBHOOK_TIMEOUT_S,
)
from recmock.web import VendorRequest, json_body, json_response, no_content
from recmock.webhooks import Delivery

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

MEDIA = {
    "room_compositions": ("sample.mp4", "video/mp4"),
    "room_recordings": ("sample.webm", "video/webm"),
}


def _asset(name: str) -> bytes:
    return resources.files("recmock.assets").joinpath(name).read_bytes()


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
        self.compositions: Table = self.tables[RoomComposition]
        self.rooms: Table = self.tables[Room]
        self.sessions: Table = self.tables[RoomSession]
        self.recordings: Table = self.tables[RoomRecording]
        self._media = {collection: _asset(name) for collection, (name, _) in MEDIA.items()}

    def http_error(self, status: int, message: str) -> errors.VendorError:
        return errors.for_status(status, message)

    def after_load(self) -> None:
        """A dump holds no running lifecycles: compositions caught before `completed`
        carry on from where they were, one step at a time."""
        with self.mock.store.atomic():
            for tenant in self.compositions.tenants():
                for composition in self.compositions.all(tenant):
                    remaining = _DEFAULT_STEPS.get(composition.status)  # type: ignore[attr-defined]
                    if remaining:
                        self.start_lifecycle(composition.id, remaining)

    # -- room compositions -----------------------------------------------------------

    def create_room_composition(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        body = json_body(request)
        if not isinstance(body, dict):
            raise errors.Invalid(
                [errors.error_entry("10015", "Bad Request", "Must be a JSON object.", pointer="/")]
            )
        data, found = _load_body(schemas.CreateRoomCompositionSchema, body)
        layout = body.get("video_layout")
        if isinstance(layout, dict) and len(layout) > MAX_REGIONS:
            found.append(_problem(("video_layout",), "Limited to 2 regions."))
        now = self.mock.now()
        with self.mock.store.atomic():
            session = None
            if "session_id" in data:
                session = self.sessions.get(tenant, data["session_id"])
                if session is None:
                    found.append(_problem(("session_id",), "Room session not found."))
            if session is not None:
                layout = data.get("video_layout", {})
                found += self._video_source_problems(tenant, session, layout)
            if found:
                raise errors.Invalid(found)
            composition = RoomComposition(
                id=self.mock.ids.uuid(),
                room_id=session.room_id,  # type: ignore[union-attr]
                session_id=session.id,  # type: ignore[union-attr]
                user_id=self._user_id(tenant),
                format=data["format"],
                resolution=data["resolution"],
                video_layout=_layout_as_shown(
                    data.get("video_layout", {}), self._session_videos(tenant, session.id)
                ),
                webhook_event_url=data.get("webhook_event_url") or None,
                webhook_event_failover_url=data.get("webhook_event_failover_url") or "",
                webhook_timeout_secs=data.get("webhook_timeout_secs"),
                created_at=now,
                updated_at=now,
                base_url=self.base_url(request),
            )
            self.compositions.put(tenant, composition)
            shown = composition.to_json(self._download_url)
            scripted = self.mock.scripts.timeline_for(self.name, "room_composition", shown)
            self.start_lifecycle(composition.id, scripted or _DEFAULT_STEPS["enqueued"])
        return json_response({"data": shown}, 202)

    def list_room_compositions(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomCompositionsQuery)
        with self.mock.store.atomic():
            matches = [
                c
                for c in self.compositions.all(tenant)
                if _equal(query, "status", c.shown_status)  # type: ignore[attr-defined]
                and _equal(query, "session_id", c.session_id)  # type: ignore[attr-defined]
                and _in_dates(query, "date_created_at", c.created_at)  # type: ignore[attr-defined]
            ]
            return self._page(matches, query, lambda c: c.to_json(self._download_url))

    def view_room_composition(self, request: VendorRequest, composition_id: str) -> Response:
        tenant = self._authenticate(request)
        with self.mock.store.atomic():
            composition = self._get(self.compositions, tenant, composition_id)
            shown = composition.to_json(self._download_url)  # type: ignore[attr-defined]
        self.mock.lifecycles.note_read(self.lifecycle_key(composition_id))
        return json_response({"data": shown})

    def delete_room_composition(self, request: VendorRequest, composition_id: str) -> Response:
        tenant = self._authenticate(request)
        with self.mock.store.atomic():
            if self.compositions.delete(tenant, composition_id) is None:
                raise errors.NotFound()
            self.mock.lifecycles.forget(self.lifecycle_key(composition_id))
        return no_content()

    # -- rooms, sessions, recordings -------------------------------------------------

    def create_room(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        body = json_body(request, optional=True)
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise errors.Invalid(
                [errors.error_entry("10015", "Bad Request", "Must be a JSON object.", pointer="/")]
            )
        data, found = _load_body(schemas.CreateRoomSchema, body)
        if found:
            raise errors.Invalid(found)
        now = self.mock.now()
        room = Room(
            id=self.mock.ids.uuid(),
            unique_name=data.get("unique_name") or self.mock.fake.slug(),
            max_participants=data["max_participants"],
            enable_recording=data["enable_recording"],
            webhook_event_url=data.get("webhook_event_url") or None,
            webhook_event_failover_url=data.get("webhook_event_failover_url") or "",
            webhook_timeout_secs=data.get("webhook_timeout_secs"),
            created_at=now,
            updated_at=now,
        )
        self.rooms.put(tenant, room)
        return json_response({"data": room.to_json(sessions=[])}, 201)

    def list_rooms(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomsQuery)
        with self.mock.store.atomic():
            matches = [
                r
                for r in self.rooms.all(tenant)
                if _equal(query, "unique_name", r.unique_name)  # type: ignore[attr-defined]
                and _in_dates(query, "date_created_at", r.created_at)  # type: ignore[attr-defined]
                and _in_dates(query, "date_updated_at", r.updated_at)  # type: ignore[attr-defined]
            ]
            return self._page(matches, query, lambda r: self._room_json(tenant, r, query))

    def view_room(self, request: VendorRequest, room_id: str) -> Response:
        tenant = self._authenticate(request)
        include = _load_query(request, schemas.ListRoomsQuery)
        with self.mock.store.atomic():
            room = self._get(self.rooms, tenant, room_id)
            return json_response({"data": self._room_json(tenant, room, include)})

    def list_room_sessions(self, request: VendorRequest, room_id: str | None = None) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomSessionsQuery)
        if room_id is not None:
            query["room_id"] = room_id
        with self.mock.store.atomic():
            if room_id is not None:
                self._get(self.rooms, tenant, room_id)
            matches = [
                s
                for s in self.sessions.all(tenant)
                if _equal(query, "room_id", s.room_id)  # type: ignore[attr-defined]
                and _equal(query, "active", s.active)  # type: ignore[attr-defined]
                and _in_dates(query, "date_created_at", s.created_at)  # type: ignore[attr-defined]
                and _in_dates(query, "date_updated_at", s.updated_at)  # type: ignore[attr-defined]
                and _in_dates(query, "date_ended_at", s.ended_at)  # type: ignore[attr-defined]
            ]
            include = query["include_participants"]
            return self._page(matches, query, lambda s: s.to_json(include))

    def list_room_sessions_of_room(self, request: VendorRequest, room_id: str) -> Response:
        return self.list_room_sessions(request, room_id)

    def view_room_session(self, request: VendorRequest, session_id: str) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomSessionsQuery)
        with self.mock.store.atomic():
            session = self._get(self.sessions, tenant, session_id)
            shown = session.to_json(query["include_participants"])  # type: ignore[attr-defined]
        return json_response({"data": shown})

    def list_room_recordings(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        query = _load_query(request, schemas.ListRoomRecordingsQuery)
        with self.mock.store.atomic():
            matches = [r for r in self.recordings.all(tenant) if _recording_listed(r, query)]
            return self._page(matches, query, lambda r: r.to_json(self._download_url))

    def view_room_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request)
        with self.mock.store.atomic():
            recording = self._get(self.recordings, tenant, recording_id)
            return json_response({"data": recording.to_json(self._download_url)})  # type: ignore[attr-defined]

    def delete_room_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request)
        if self.recordings.delete(tenant, recording_id) is None:
            raise errors.NotFound()
        return no_content()

    def download_file(self, request: VendorRequest, collection: str, file_name: str) -> Response:
        """The pre-signed download URLs: no API key, valid for ten minutes of the
        mock's time, a fresh one in every answer (the package docstring says why)."""
        verdict = self.link_verdict(request, f"/files/{collection}/{file_name}")
        if verdict == "expired":
            raise errors.LinkExpired()
        if verdict != "valid":
            raise errors.LinkInvalid()
        table = self.compositions if collection == "room_compositions" else self.recordings
        if table.find(file_name.rsplit(".", 1)[0]) is None:
            raise errors.NotFound()
        _, content_type = MEDIA[collection]
        # conditional: Range requests answered, as a CDN does for video players.
        return send_file(
            io.BytesIO(self._media[collection]),
            request.environ,
            mimetype=content_type,
            conditional=True,
        )

    # -- vendor actions (/_recmock/vendors/telnyx) -----------------------------------

    def simulate_session(self, request: VendorRequest) -> Response:
        """People met in a room and left: no REST call does that, so a test does. The
        session ends now, having lasted `duration_secs`, and each participant leaves an
        audio and a video recording, ready to compose."""
        body = json_body(request, optional=True)
        if not isinstance(body, dict):  # [] and null too: not an empty object
            raise http.BadRequest("Expected a JSON object")
        try:
            data = shared_schema(schemas.SimulatedSessionSchema).load(body)
        except SchemaError as exc:
            path, message = problems(exc.messages)[0]
            raise http.BadRequest(f"{'.'.join(path)}: {message}") from None
        now = self.mock.now()
        started = now - timedelta(seconds=data["duration_secs"])
        with self.mock.store.atomic():
            tenant, room = self._action_room(request, data.get("room_id"), started)
            session = RoomSession(
                id=self.mock.ids.uuid(),
                room_id=room.id,
                active=False,
                created_at=started,
                updated_at=now,
                ended_at=now,
            )
            recordings = []
            for _ in range(data["participants"]):
                participant = {
                    "id": self.mock.ids.uuid(),
                    "record_type": "room_participant",
                    "session_id": session.id,
                    "context": json.dumps({"name": self.mock.fake.name()}),
                    "joined_at": iso_micros(started),
                    "left_at": iso_micros(now),
                    "updated_at": iso_micros(now),
                }
                session.participants.append(participant)
                if data["recordings"]:
                    for kind, codec in (("audio", "opus"), ("video", "vp8")):
                        recordings.append(
                            self._recording(
                                tenant, session, participant, kind, codec, self.base_url(request)
                            )
                        )
            self.sessions.put(tenant, session)
            room.updated_at = now
        return json_response(
            {
                "session": session.to_json(include_participants=True),
                "recordings": [r.to_json(self._download_url) for r in recordings],
            },
            201,
        )

    def webhook_public_key(self, request: VendorRequest) -> Response:
        """The public key a receiver verifies webhooks with, base64 as Telnyx's portal
        shows it."""
        return json_response({"public_key": self.public_key()})

    def public_key(self) -> str:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw = self._signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    # -- lifecycle: enqueued -> processing -> completed --------------------------------

    def enter_state(self, composition_id: str, state: str, at: datetime) -> str | None:
        with self.mock.store.atomic():
            found = self.compositions.find(composition_id)
            if found is None:
                return None
            tenant, composition = found
            session = self.sessions.get(tenant, composition.session_id)
            span = timedelta(0)
            if session is not None and session.ended_at and session.created_at:
                span = session.ended_at - session.created_at
            composition.status = state
            composition.updated_at = at
            if state == "processing" and composition.started_at is None:
                composition.started_at = at
            elif state == "completed":
                composition.started_at = composition.started_at or at
                composition.ended_at = composition.completed_at = at
                composition.duration_secs = max(1, int(span.total_seconds()))
                composition.size_mb = round(len(self._media["room_compositions"]) / 1e6, 3)
            if state in ("completed", "failed"):
                self._notify(composition, f"video.room.composition.{state}", at)
        return f"telnyx room composition {composition_id} is {state}"

    def _notify(self, composition: RoomComposition, event_type: str, at: datetime) -> None:
        if not composition.webhook_event_url:
            return
        payload: dict[str, Any] = {
            "composition_id": composition.id,
            "room_id": composition.room_id,
            "session_id": composition.session_id,
            "format": composition.format,
            "resolution": composition.resolution,
        }
        if event_type.endswith("completed"):
            payload.update(
                download_url=self._download_url(composition),
                duration_secs=composition.duration_secs,
                size_mb=composition.size_mb,
            )
        event = {
            "record_type": "event",
            "id": self.mock.ids.uuid(),
            "event_type": event_type,
            "occurred_at": iso_micros(at),
            "payload": payload,
        }
        timeout = composition.webhook_timeout_secs
        self.mock.outbox.send(
            Delivery(
                vendor=self.name,
                event=event_type,
                url=composition.webhook_event_url,
                body=b"",
                payload=None,
                timeout=float(timeout) if timeout else WEBHOOK_TIMEOUT_S,
                retry_delays=WEBHOOK_RETRIES,
                failover_url=composition.webhook_event_failover_url or None,
                per_attempt=lambda url, number: self._signed(event, url, number),
            ),
            at,
        )

    def _signed(self, event: dict[str, Any], url: str, attempt: int) -> tuple[dict, bytes]:
        """Telnyx's envelope for one attempt, signed as Telnyx signs: ed25519 over
        `{timestamp}|{body}`. The timestamp is real time, not the mock's: receivers
        check it against their own clock (5 minutes' tolerance)."""
        body = json.dumps({"data": event, "meta": {"attempt": attempt, "delivered_to": url}})
        timestamp = str(int(time.time()))
        signature = self._signing_key().sign(f"{timestamp}|{body}".encode())
        headers = {
            "telnyx-signature-ed25519": base64.b64encode(signature).decode(),
            "telnyx-timestamp": timestamp,
        }
        return headers, body.encode()

    def _signing_key(self) -> Ed25519PrivateKey:
        """Derived from the mock's link-signing key, which a state dump carries: a
        restarted mock signs with the key its receivers were given. (cryptography is
        imported here, on first use: start-up time counts.)"""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        seed = hashlib.sha256(b"recmock telnyx webhooks" + self.mock.signer.key).digest()
        return Ed25519PrivateKey.from_private_bytes(seed)

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest) -> str:
        """`Authorization: Bearer <API key>`; the tenant is the key."""
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key or not key.isprintable():
            raise errors.MissingCredentials()
        if not self.mock.credentials.accepts(self.name, key):
            raise errors.Unauthenticated()
        return key

    def _get(self, table: Table, tenant: str, record_id: str) -> Record:
        record = table.get(tenant, record_id)
        if record is None:
            raise errors.NotFound()
        return record

    def _page(
        self, matches: list[Any], query: dict[str, Any], shown: Callable[[Any], dict]
    ) -> Response:
        """Newest first; `meta` as the SDK's paginator reads it (at least one page)."""
        matches.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        number, size = query["page_number"], query["page_size"]
        page = matches[(number - 1) * size : number * size]
        meta = {
            "page_number": number,
            "page_size": size,
            "total_pages": max(1, math.ceil(len(matches) / size)),
            "total_results": len(matches),
        }
        return json_response({"data": [shown(r) for r in page], "meta": meta})

    def _room_json(self, tenant: str, room: Any, query: dict[str, Any]) -> dict[str, Any]:
        if not query.get("include_sessions"):
            return room.to_json()
        sessions = [s.to_json() for s in self.sessions.all(tenant) if s.room_id == room.id]
        return room.to_json(sessions=sessions)

    def _video_source_problems(
        self, tenant: str, session: Any, layout: dict[str, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """`video_sources` are ids of the session's video recordings, or `*`."""
        videos = set(self._session_videos(tenant, session.id))
        found = []
        for region, settings in layout.items():
            sources = settings.get("video_sources", "*")
            if sources == "*" or sources == ["*"]:
                continue
            for index, source in enumerate(sources):
                if source not in videos:
                    found.append(
                        _problem(
                            ("video_layout", region, "video_sources", str(index)),
                            "Not a video recording of this room session.",
                        )
                    )
        return found

    def _session_videos(self, tenant: str, session_id: str) -> list[str]:
        return [
            r.id
            for r in self.recordings.all(tenant)
            if r.session_id == session_id and r.type == "video"  # type: ignore[attr-defined]
        ]

    def _recording(
        self,
        tenant: str,
        session: RoomSession,
        participant: dict,
        kind: str,
        codec: str,
        base_url: str,
    ) -> RoomRecording:
        duration = int((session.ended_at - session.created_at).total_seconds())  # type: ignore[operator]
        recording = RoomRecording(
            id=self.mock.ids.uuid(),
            room_id=session.room_id,
            session_id=session.id,
            participant_id=participant["id"],
            type=kind,
            codec=codec,
            status="completed",
            size_mb=round(len(self._media["room_recordings"]) / 1e6, 3),
            duration_secs=duration,
            started_at=session.created_at,
            ended_at=session.ended_at,
            completed_at=session.ended_at,
            created_at=session.ended_at,
            updated_at=session.ended_at,
            base_url=base_url,
        )
        self.recordings.put(tenant, recording)
        return recording

    def _action_room(
        self, request: VendorRequest, room_id: str | None, started: datetime
    ) -> tuple[str, Room]:
        """The room a simulated session happens in: the one named (its owner's), or a
        new one for the key in `Authorization`."""
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if room_id is not None:
            found = self.rooms.find(room_id)
            # With a key, only that account's rooms; without, any (a test's shortcut).
            if found is None or (key.strip() and found[0] != key.strip()):
                raise http.NotFound(f"No Telnyx room {room_id!r}")
            return found  # type: ignore[return-value]
        if scheme.lower() != "bearer" or not key.strip():
            raise http.BadRequest("Give a room_id, or Authorization: Bearer <key> for a new room")
        room = Room(
            id=self.mock.ids.uuid(),
            unique_name=self.mock.fake.slug(),
            created_at=started,
            updated_at=started,
        )
        self.rooms.put(key.strip(), room)
        return key.strip(), room

    def _user_id(self, tenant: str) -> str:
        """The account's user id: stable per API key, as a UUID."""
        digest = hashlib.sha256(f"telnyx user {tenant}".encode()).digest()[:16]
        return str(uuid.UUID(bytes=digest, version=4))

    def _download_url(self, record: Record) -> str:
        collection = (
            "room_compositions" if isinstance(record, RoomComposition) else "room_recordings"
        )
        extension = MEDIA[collection][0].rsplit(".", 1)[1]
        path = f"/files/{collection}/{record.id}.{extension}"
        return self.signed_url(record.base_url, path, DOWNLOAD_URL_LIFETIME)  # type: ignore[attr-defined]


_DEFAULT_STEPS: dict[str, list[Step]] = {
    "enqueued": [Step("processing", after=QUEUED_FOR), Step("completed", after=PROCESSING_TIME)],
    "processing": [Step("completed", after=PROCESSING_TIME)],
}


def _problem(path: tuple[str, ...], message: str) -> dict[str, Any]:
    """One 422 entry, coded as Telnyx codes validation failures."""
    pointer = "/" + "/".join(path)
    if message == schemas.REQUIRED:
        return errors.error_entry("10004", "Missing required parameter", message, pointer=pointer)
    if schemas.is_enum_problem(message):
        return errors.error_entry("10032", "Invalid enumerated value", message, pointer=pointer)
    return errors.error_entry("10015", "Bad Request", message, pointer=pointer)


def _load_body(schema: type[Schema], body: dict[str, Any]) -> tuple[dict[str, Any], list[dict]]:
    """The valid part of the body and a 422 entry for each problem: Telnyx reports
    every offending field at once."""
    try:
        return shared_schema(schema).load(body), []
    except SchemaError as exc:
        valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        found = [_problem(_field_path(path), message) for path, message in problems(exc.messages)]
        return valid, found


def _field_path(path: tuple[str, ...]) -> tuple[str, ...]:
    """marshmallow files a map's problems under "key" or "value" (`video_layout.first.
    value.z_pos`); the pointer names the field itself (`/video_layout/first/z_pos`)."""
    if len(path) > 2 and path[0] == "video_layout" and path[2] in ("key", "value"):
        return path[:2] + path[3:]
    return path


def _load_query(request: VendorRequest, schema: type[Schema]) -> dict[str, Any]:
    try:
        return shared_schema(schema).load(request.args.to_dict())
    except SchemaError as exc:
        path, message = problems(exc.messages)[0]
        parameter = path[0] if path else None
        if parameter and parameter.startswith("page["):
            raise errors.InvalidPagination(message, parameter=parameter) from None
        raise errors.BadRequest(message, parameter=parameter) from None


def _layout_as_shown(
    layout: dict[str, dict[str, Any]], session_videos: list[str]
) -> dict[str, dict[str, Any]]:
    """Regions as the composition shows them: positions default to 0, unset fields left
    out, and `*` resolved to the session's video recordings (the response schema's
    `video_sources` holds UUIDs only)."""
    shown = {}
    for name, region in layout.items():
        region = {k: v for k, v in region.items() if v is not None}
        for axis in ("x_pos", "y_pos", "z_pos"):
            region.setdefault(axis, 0)
        sources = region.get("video_sources", "*")
        region["video_sources"] = list(session_videos) if sources in ("*", ["*"]) else sources
        shown[name] = region
    return shown


def _equal(query: dict[str, Any], name: str, value: Any) -> bool:
    return name not in query or query[name] == value


def _in_dates(query: dict[str, Any], name: str, instant: datetime | None) -> bool:
    """`filter[<name>][eq|gte|lte]` against the UTC date of `instant`."""
    bounds = [(op, query[f"{name}_{op}"]) for op in ("eq", "gte", "lte") if f"{name}_{op}" in query]
    if not bounds:
        return True
    if instant is None:
        return False
    day: date = instant.date()
    checks = {"eq": day.__eq__, "gte": day.__ge__, "lte": day.__le__}
    return all(checks[op](bound) for op, bound in bounds)


def _recording_listed(recording: Any, query: dict[str, Any]) -> bool:
    if not all(
        _equal(query, name, getattr(recording, name))
        for name in ("room_id", "session_id", "participant_id", "status", "type")
    ):
        return False
    duration = recording.duration_secs
    limits: Iterable[tuple[str, Callable[[int], bool]]] = (
        ("duration_secs_eq", lambda bound: duration == bound),
        ("duration_secs_gte", lambda bound: duration >= bound),
        ("duration_secs_lte", lambda bound: duration <= bound),
    )
    if not all(check(query[key]) for key, check in limits if key in query):
        return False
    return _in_dates(query, "date_started_at", recording.started_at) and _in_dates(
        query, "date_ended_at", recording.ended_at
    )
