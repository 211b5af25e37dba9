"""Telnyx's rules and state: rooms, their sessions and recordings, room compositions
and their lifecycle, the signed download links and the signed webhooks Telnyx sends.
No HTTP here: the handlers (`handlers.py`) and the vendor actions (`actions.py`) call it
with what a request carried, and it answers records or JSON as Telnyx shows it, or
raises Telnyx's errors (a vendor action's mistake is a ValueError, or a LookupError
for what is not there). The lists' filters and pages are in `listing.py`, the checks
and shape of a composition's `video_layout` in `layouts.py`, the webhooks' signatures in
`signing.py`, made-up data in `fake.py`. What is left, a little over 400 lines, is the
four resources' rules and the composition's lifecycle, which share the tables and read
best in one place."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from recmock.backend import Backend
from recmock.media import Blob
from recmock.scripts import Step
from recmock.store import Record, Table
from recmock.timeutil import iso_micros
from recmock.vendors.telnyx import errors, fake, layouts, listing, signing
from recmock.vendors.telnyx.models import Room, RoomComposition, RoomRecording, RoomSession
from recmock.vendors.telnyx.rules import (
    DOWNLOAD_URL_LIFETIME,
    PROCESSING_TIME,
    QUEUED_FOR,
    STATES,
    WEBHOOK_RETRIES,
    WEBHOOK_TIMEOUT_S,
)
from recmock.webhooks import Delivery

if TYPE_CHECKING:
    from recmock.mock import RecMock

R = TypeVar("R", bound=Record)

# The default lifecycle's steps still to come from each status.
STEPS_FROM: dict[str, list[Step]] = {
    "enqueued": [Step("processing", after=QUEUED_FOR), Step("completed", after=PROCESSING_TIME)],
    "processing": [Step("completed", after=PROCESSING_TIME)],
}


class TelnyxBackend(Backend):
    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock, "telnyx", {"room_composition": STATES})
        self.compositions = mock.store.table(self.name, RoomComposition)
        self.rooms = mock.store.table(self.name, Room)
        self.sessions = mock.store.table(self.name, RoomSession)
        self.recordings = mock.store.table(self.name, RoomRecording)
        self.media = fake.media_files()

    def authenticate(self, authorization: str) -> str:
        """The account of an `Authorization: Bearer <API key>` header (the tenant is the
        key); `MissingCredentials` for a header that names none, `Unauthenticated` for
        a key the mock does not accept."""
        scheme, _, key = authorization.partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key or not key.isprintable():
            raise errors.MissingCredentials()
        if not self.mock.credentials.accepts(self.name, key):
            raise errors.Unauthenticated()
        return key

    # -- room compositions -----------------------------------------------------------

    def create_composition(
        self, tenant: str, data: dict[str, Any], problems: list[dict[str, Any]], base_url: str
    ) -> dict[str, Any]:
        """A new composition of a session of the account, enqueued, as Telnyx shows it.
        `problems` are what the body's schema found; the rules only the store can check
        (the session exists, `video_sources` are its video recordings) add theirs, and
        any problem is a 422 naming them all, as Telnyx reports every field at once."""
        now = self.mock.now()
        with self.mock.store.atomic():
            problems = list(problems)
            session = None
            if "session_id" in data:
                session = self.sessions.get(tenant, data["session_id"])
                if session is None:
                    problems.append(
                        errors.field_problem(("session_id",), "Room session not found.")
                    )
            layout = data.get("video_layout", {})
            videos: list[str] = []
            if session is not None:
                videos = self._session_videos(tenant, session.id)
                problems += layouts.video_source_problems(layout, set(videos))
            if session is None or problems:
                raise errors.Invalid(problems)
            composition = RoomComposition(
                id=self.mock.ids.uuid(),
                room_id=session.room_id,
                session_id=session.id,
                user_id=fake.user_id(tenant),
                format=data["format"],
                resolution=data["resolution"],
                video_layout=layouts.as_shown(layout, videos),
                webhook_event_url=data.get("webhook_event_url") or None,
                webhook_event_failover_url=data.get("webhook_event_failover_url") or "",
                webhook_timeout_secs=data.get("webhook_timeout_secs"),
                created_at=now,
                updated_at=now,
                base_url=base_url,
            )
            self.compositions.put(tenant, composition)
            shown = composition.to_json(self.download_url)
            scripted = self.mock.scripts.timeline_for(self.name, "room_composition", shown)
            self.start_lifecycle(composition.id, scripted or STEPS_FROM["enqueued"])
        return shown

    def list_compositions(self, tenant: str, query: dict[str, Any]) -> dict[str, Any]:
        with self.mock.store.atomic():
            matches = [
                c for c in self.compositions.all(tenant) if listing.composition_listed(c, query)
            ]
            return listing.page(matches, query, lambda c: c.to_json(self.download_url))

    def read_composition(self, tenant: str, composition_id: str) -> dict[str, Any]:
        """The composition as the read found it. Only then does the read count toward
        an `after_reads` step, which may move it on."""
        with self.mock.store.atomic():  # never half a transition
            shown = _get(self.compositions, tenant, composition_id).to_json(self.download_url)
        self.mock.lifecycles.note_read(self.lifecycle_key(composition_id))
        return shown

    def delete_composition(self, tenant: str, composition_id: str) -> None:
        with self.mock.store.atomic():
            if self.compositions.delete(tenant, composition_id) is None:
                raise errors.NotFound()
            self.mock.lifecycles.forget(self.lifecycle_key(composition_id))

    def _session_videos(self, tenant: str, session_id: str) -> list[str]:
        return [
            r.id
            for r in self.recordings.all(tenant)
            if r.session_id == session_id and r.type == "video"
        ]

    # -- rooms, sessions, recordings -------------------------------------------------

    def create_room(self, tenant: str, data: dict[str, Any]) -> Room:
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
        return self.rooms.put(tenant, room)

    def list_rooms(self, tenant: str, query: dict[str, Any]) -> dict[str, Any]:
        with self.mock.store.atomic():
            matches = [r for r in self.rooms.all(tenant) if listing.room_listed(r, query)]
            include = query["include_sessions"]
            return listing.page(matches, query, lambda r: self._room_json(tenant, r, include))

    def read_room(self, tenant: str, room_id: str, include_sessions: bool) -> dict[str, Any]:
        with self.mock.store.atomic():
            room = _get(self.rooms, tenant, room_id)
            return self._room_json(tenant, room, include_sessions)

    def _room_json(self, tenant: str, room: Room, include_sessions: bool) -> dict[str, Any]:
        if not include_sessions:
            return room.to_json()
        sessions = [s.to_json() for s in self.sessions.all(tenant) if s.room_id == room.id]
        return room.to_json(sessions=sessions)

    def list_sessions(
        self, tenant: str, query: dict[str, Any], room_id: str | None = None
    ) -> dict[str, Any]:
        """The account's sessions `query` selects; a room's only, given `room_id`
        (`NotFound` for a room the account does not have)."""
        if room_id is not None:
            query = {**query, "room_id": room_id}
        with self.mock.store.atomic():
            if room_id is not None:
                _get(self.rooms, tenant, room_id)
            matches = [s for s in self.sessions.all(tenant) if listing.session_listed(s, query)]
            include = query["include_participants"]
            return listing.page(matches, query, lambda s: s.to_json(include))

    def read_session(
        self, tenant: str, session_id: str, include_participants: bool
    ) -> dict[str, Any]:
        with self.mock.store.atomic():
            return _get(self.sessions, tenant, session_id).to_json(include_participants)

    def list_recordings(self, tenant: str, query: dict[str, Any]) -> dict[str, Any]:
        with self.mock.store.atomic():
            matches = [r for r in self.recordings.all(tenant) if listing.recording_listed(r, query)]
            return listing.page(matches, query, lambda r: r.to_json(self.download_url))

    def read_recording(self, tenant: str, recording_id: str) -> dict[str, Any]:
        with self.mock.store.atomic():
            return _get(self.recordings, tenant, recording_id).to_json(self.download_url)

    def delete_recording(self, tenant: str, recording_id: str) -> None:
        if self.recordings.delete(tenant, recording_id) is None:
            raise errors.NotFound()

    # -- the download links the API hands out ----------------------------------------

    def download_url(self, record: RoomComposition | RoomRecording) -> str:
        """A fresh pre-signed link to the record's file, valid for 10 minutes."""
        collection = (
            "room_compositions" if isinstance(record, RoomComposition) else "room_recordings"
        )
        extension = fake.MEDIA[collection][0].rsplit(".", 1)[1]
        path = f"/files/{collection}/{record.id}.{extension}"
        return self.signed_url(record.base_url, path, DOWNLOAD_URL_LIFETIME)

    def file(self, collection: str, file_name: str, verdict: str) -> Blob:
        """What a download link serves, given the link's verdict (`link_verdict`): no
        API key, and `LinkExpired` once its 10 minutes are over."""
        if verdict == "expired":
            raise errors.LinkExpired()
        if verdict != "valid":
            raise errors.LinkInvalid()
        table = self.compositions if collection == "room_compositions" else self.recordings
        if table.find(file_name.rsplit(".", 1)[0]) is None:
            raise errors.NotFound()
        return Blob(self.media[collection], fake.MEDIA[collection][1])

    def _size_mb(self, collection: str) -> float:
        """`size_mb`: the size of the file served (assumed)."""
        return round(len(self.media[collection]) / 1e6, 3)

    # -- what happens outside the API (vendor actions) -------------------------------

    def simulate_session(
        self, account: str | None, settings: dict[str, Any], base_url: str
    ) -> dict[str, Any]:
        """People met in a room and left: no REST call does that, so a test does. The
        session happens in the room `settings["room_id"]` (which must be `account`'s
        when one is given) or in a new room of `account`; it ends now, having lasted
        `duration_secs`, and each participant leaves an audio and a video recording,
        ready to compose. Answers the session with its participants and the
        recordings, as Telnyx shows them. LookupError for a room not there, ValueError
        for neither a room nor an account."""
        now = self.mock.now()
        started = now - timedelta(seconds=settings["duration_secs"])
        with self.mock.store.atomic():
            tenant, room = self._session_room(account, settings.get("room_id"), started)
            session = RoomSession(
                id=self.mock.ids.uuid(),
                room_id=room.id,
                active=False,
                created_at=started,
                updated_at=now,
                ended_at=now,
            )
            recordings = []
            for _ in range(settings["participants"]):
                participant = fake.participant(
                    session.id, started, now, self.mock.ids, self.mock.fake
                )
                session.participants.append(participant)
                if settings["recordings"]:
                    for kind, codec in (("audio", "opus"), ("video", "vp8")):
                        recording = self._recording(
                            session, participant["id"], kind, codec, started, now, base_url
                        )
                        recordings.append(self.recordings.put(tenant, recording))
            self.sessions.put(tenant, session)
            room.updated_at = now
            return {
                "session": session.to_json(include_participants=True),
                "recordings": [r.to_json(self.download_url) for r in recordings],
            }

    def _session_room(
        self, account: str | None, room_id: str | None, started: datetime
    ) -> tuple[str, Room]:
        """The room a simulated session happens in, and its account: the one named
        (the account's, given one; any account's otherwise: a test's shortcut), or a
        new one of `account`."""
        if room_id is not None:
            found = self.rooms.find(room_id)
            if found is None or (account and found.tenant != account):
                raise LookupError(f"No Telnyx room {room_id!r}")
            return found.tenant, found.record
        if not account:
            raise ValueError("Give a room_id, or Authorization: Bearer <key> for a new room")
        room = Room(
            id=self.mock.ids.uuid(),
            unique_name=self.mock.fake.slug(),
            created_at=started,
            updated_at=started,
        )
        self.rooms.put(account, room)
        return account, room

    def _recording(
        self,
        session: RoomSession,
        participant_id: str,
        kind: str,
        codec: str,
        started: datetime,
        ended: datetime,
        base_url: str,
    ) -> RoomRecording:
        """A participant's recording of the whole session (`started` to `ended`),
        completed when the session ended."""
        return RoomRecording(
            id=self.mock.ids.uuid(),
            room_id=session.room_id,
            session_id=session.id,
            participant_id=participant_id,
            type=kind,
            codec=codec,
            status="completed",
            size_mb=self._size_mb("room_recordings"),
            duration_secs=int((ended - started).total_seconds()),
            started_at=started,
            ended_at=ended,
            completed_at=ended,
            created_at=ended,
            updated_at=ended,
            base_url=base_url,
        )

    def public_key(self) -> str:
        """The base64 ed25519 key that Telnyx's webhooks verify with."""
        return signing.public_key(self.mock.signer.key)

    # -- lifecycle: enqueued -> processing -> completed ------------------------------

    def after_load(self) -> None:
        """A dump holds no running lifecycles: compositions caught before `completed`
        carry on from where they were, one step at a time."""
        with self.mock.store.atomic():
            for tenant in self.compositions.tenants():
                for composition in self.compositions.all(tenant):
                    remaining = STEPS_FROM.get(composition.status)
                    if remaining:
                        self.start_lifecycle(composition.id, remaining)

    def enter_state(self, resource_id: str, state: str, at: datetime) -> str | None:
        with self.mock.store.atomic():
            found = self.compositions.find(resource_id)
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
                composition.size_mb = self._size_mb("room_compositions")
            if state in ("completed", "failed"):
                self._notify(composition, f"video.room.composition.{state}", at)
        return f"telnyx room composition {resource_id} is {state}"

    # -- webhooks --------------------------------------------------------------------

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
                download_url=self.download_url(composition),
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


def _get(table: Table[R], tenant: str, record_id: str) -> R:
    record = table.get(tenant, record_id)
    if record is None:
        raise errors.NotFound()
    return record
