"""The Telnyx video API's operations, one handler each, named like Telnyx's own
(ListRoomCompositions, CreateRoomComposition, ViewRoomComposition, ...)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

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
from recmock.vendors.telnyx import errors, fake, layouts, listing, schemas, signing
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
        self._media = fake.media_files()

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
            found.append(errors.field_problem(("video_layout",), "Limited to 2 regions."))
        now = self.mock.now()
        with self.mock.store.atomic():
            session = None
            if "session_id" in data:
                session = self.sessions.get(tenant, data["session_id"])
                if session is None:
                    found.append(errors.field_problem(("session_id",), "Room session not found."))
            if session is not None:
                layout = data.get("video_layout", {})
                videos = set(self._session_videos(tenant, session.id))
                found += layouts.video_source_problems(layout, videos)
            if found:
                raise errors.Invalid(found)
            composition = RoomComposition(
                id=self.mock.ids.uuid(),
                room_id=session.room_id,  # type: ignore[union-attr]
                session_id=session.id,  # type: ignore[union-attr]
                user_id=fake.user_id(tenant),
                format=data["format"],
                resolution=data["resolution"],
                video_layout=layouts.as_shown(
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
                c for c in self.compositions.all(tenant) if listing.composition_listed(c, query)
            ]
            page = listing.page(matches, query, lambda c: c.to_json(self._download_url))
            return json_response(page)

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
            matches = [r for r in self.rooms.all(tenant) if listing.room_listed(r, query)]
            page = listing.page(matches, query, lambda r: self._room_json(tenant, r, query))
            return json_response(page)

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
            matches = [s for s in self.sessions.all(tenant) if listing.session_listed(s, query)]
            include = query["include_participants"]
            return json_response(listing.page(matches, query, lambda s: s.to_json(include)))

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
            matches = [r for r in self.recordings.all(tenant) if listing.recording_listed(r, query)]
            page = listing.page(matches, query, lambda r: r.to_json(self._download_url))
            return json_response(page)

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
        _, content_type = fake.MEDIA[collection]
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
                participant = fake.participant(
                    session.id, started, now, self.mock.ids, self.mock.fake
                )
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
        return signing.public_key(self.mock.signer.key)

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
                per_attempt=lambda url, number: signing.signed_attempt(
                    event, url, number, self.mock.signer.key
                ),
            ),
            at,
        )

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

    def _room_json(self, tenant: str, room: Any, query: dict[str, Any]) -> dict[str, Any]:
        if not query.get("include_sessions"):
            return room.to_json()
        sessions = [s.to_json() for s in self.sessions.all(tenant) if s.room_id == room.id]
        return room.to_json(sessions=sessions)

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

    def _download_url(self, record: Record) -> str:
        collection = (
            "room_compositions" if isinstance(record, RoomComposition) else "room_recordings"
        )
        extension = fake.MEDIA[collection][0].rsplit(".", 1)[1]
        path = f"/files/{collection}/{record.id}.{extension}"
        return self.signed_url(record.base_url, path, DOWNLOAD_URL_LIFETIME)  # type: ignore[attr-defined]


_DEFAULT_STEPS: dict[str, list[Step]] = {
    "enqueued": [Step("processing", after=QUEUED_FOR), Step("completed", after=PROCESSING_TIME)],
    "processing": [Step("completed", after=PROCESSING_TIME)],
}


def _load_body(schema: type[Schema], body: dict[str, Any]) -> tuple[dict[str, Any], list[dict]]:
    """The valid part of the body and a 422 entry for each problem: Telnyx reports
    every offending field at once."""
    try:
        return shared_schema(schema).load(body), []
    except SchemaError as exc:
        valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        found = [
            errors.field_problem(_field_path(path), message)
            for path, message in problems(exc.messages)
        ]
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
