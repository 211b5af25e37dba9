"""eyeson's rules and state: rooms (each meeting instance a record), the users in them,
recordings and their lifecycles (a room gets ready; a stopped recording finishes), the
14-day retention, signed download links and the signed webhooks eyeson sends. No HTTP
here: the handlers (`handlers.py`) call it with what a request carried, and it answers
records or the API's JSON and raises eyeson's errors. The rules' figures are in
`rules.py`, a room's options in `options.py`, made-up details in `fake.py`, the JSON of
each resource in `models.py`.

What is left, some 460 lines, is one meeting's rules from create to shutdown, with its
recordings and the webhooks they send: they call each other (a shutdown stops the
recording and tells the webhook), and read best in one place."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from recmock.backend import Backend
from recmock.scripts import Step
from recmock.store import Found
from recmock.timeutil import parse_instant
from recmock.vendors.eyeson import errors, fake
from recmock.vendors.eyeson.models import (
    Participant,
    Recording,
    Room,
    WebhookTarget,
    meeting_json,
)
from recmock.vendors.eyeson.options import is_on, room_options
from recmock.vendors.eyeson.rules import (
    DOWNLOAD_LINK_LIFETIME,
    FINISH_AFTER,
    PAGE_SIZE,
    READY_AFTER,
    RETENTION,
    SCRIPT_STATES,
    SIGNATURE_HEADER,
    WEBHOOK_TIMEOUT_S,
)
from recmock.webhooks import Delivery

if TYPE_CHECKING:
    from recmock.mock import RecMock


class EyesonBackend(Backend):
    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock, "eyeson", SCRIPT_STATES)
        self.rooms = mock.store.table(self.name, Room)
        self.participants = mock.store.table(self.name, Participant)
        self.recordings = mock.store.table(self.name, Recording)
        self.webhook_targets = mock.store.table(self.name, WebhookTarget)
        # What every recording's download link serves.
        self.webm = resources.files("recmock.assets").joinpath("sample.webm").read_bytes()

    def authenticate(self, authorization: str) -> str:
        """The tenant of an `Authorization` header, which is the API key itself, sent
        bare (no `Bearer`, as every eyeson SDK sends it)."""
        key = authorization.strip()
        if not key:
            raise errors.Unauthorized("Authorization failed: an API key is required")
        if not key.isascii() or not key.isprintable() or " " in key:
            raise errors.Unauthorized(
                "Authorization failed: send the bare API key, with no scheme such as Bearer"
            )
        if not self.mock.credentials.accepts(self.name, key):
            raise errors.Unauthorized()
        return key

    # -- rooms -------------------------------------------------------------------------

    def create_room(self, tenant: str, params: dict[str, Any], base_url: str) -> dict[str, Any]:
        """Create a meeting, or join the running one with the same custom `id`; the
        meeting as the new user sees it."""
        now = self.mock.now()
        with self.mock.store.atomic():
            room = self._running_room(tenant, params["id"]) if "id" in params else None
            if room is None:
                room = self._new_room(tenant, params, now)
            participant = self._join(tenant, room, params["user"], guest=False, at=now)
            return self._meeting_json(tenant, participant, room, base_url)

    def running_rooms(self, tenant: str) -> list[dict[str, Any]]:
        """The key's meetings not shut down, oldest first."""
        with self.mock.store.atomic():
            running = [r for r in self.rooms.all(tenant) if not r.shutdown]
            running.sort(key=lambda r: (r.started_at, r.id))
            return [r.to_json() for r in running]

    def read_meeting(self, access_key: str, base_url: str) -> dict[str, Any]:
        """The meeting as the access key's user sees it. Only then does the read count
        toward the room's `after_reads` step."""
        with self.mock.store.atomic():
            tenant, participant, room = self._meeting(access_key)
            shown = self._meeting_json(tenant, participant, room, base_url)
        self.mock.lifecycles.note_read(self.lifecycle_key(room.id, "room"))
        return shown

    def shutdown_room(self, tenant: str, room_id: str) -> None:
        """The meeting ends: its running recording stops, `room_update` tells the
        webhook, and from now on its access keys answer 410 (`_meeting`)."""
        now = self.mock.now()
        with self.mock.store.atomic():
            room = self._running_room(tenant, room_id)
            if room is None:
                raise errors.NotFound("Room not found")
            running = self._running_recording(tenant, room)
            if running is not None:
                self._stop(tenant, room, running, now)
            room.shutdown = True
            room.shutdown_at = now
            room.ready = False
            self.mock.lifecycles.forget(self.lifecycle_key(room.id, "room"))
            self._notify(tenant, "room_update", {"room": _room_update(room)}, now)

    def join_as_guest(
        self, guest_token: str, user: dict[str, Any], base_url: str
    ) -> dict[str, Any]:
        """A guest joins by the room's guest token: 404 unknown, 410 when the meeting is
        over, 423 when it is locked; the meeting as the guest sees it."""
        now = self.mock.now()
        with self.mock.store.atomic():
            found = self._room_by_guest_token(guest_token)
            if found is None:
                raise errors.NotFound("Guest token not found")
            tenant, room = found
            if room.shutdown:
                raise errors.Gone()
            if is_on(room.options.get("locked", False)):
                raise errors.Locked("The meeting is locked")
            participant = self._join(tenant, room, user, guest=True, at=now)
            return self._meeting_json(tenant, participant, room, base_url)

    # -- recordings --------------------------------------------------------------------

    def start_recording(self, access_key: str, base_url: str) -> None:
        """A recording starts in the access key's meeting, and is destroyed 14 days
        later unless deleted first."""
        now = self.mock.now()
        with self.mock.store.atomic():
            tenant, participant, room = self._meeting(access_key)
            if not is_on(room.options.get("recording_available", True)):
                raise errors.RecordingDisabled()
            if not room.ready:
                raise errors.NotAcceptable("The meeting is not ready yet")
            if self._running_recording(tenant, room) is not None:
                raise errors.NotAcceptable("A recording is already running")
            recording = Recording(
                id=self.mock.ids.hex(24),
                room=room.id,
                access_key=access_key,
                created_at=now,
                user=participant.as_recorder(),
                base_url=base_url,
            )
            self.recordings.put(tenant, recording)
            self._schedule_expiry(recording.id, now)

    def stop_recording(self, access_key: str) -> None:
        now = self.mock.now()
        with self.mock.store.atomic():
            tenant, _, room = self._meeting(access_key)
            recording = self._running_recording(tenant, room)
            if recording is None:
                raise errors.NotFound("No recording is running")
            self._stop(tenant, room, recording, now)

    def read_recording(self, tenant: str, recording_id: str) -> dict[str, Any]:
        """The recording as the read found it. Only then does the read count toward
        an `after_reads` step, which may move it on."""
        with self.mock.store.atomic():
            shown = self._recording_json(tenant, self._recording(tenant, recording_id))
        self.mock.lifecycles.note_read(self.lifecycle_key(recording_id, "recording"))
        return shown

    def delete_recording(self, tenant: str, recording_id: str) -> None:
        with self.mock.store.atomic():
            self._recording(tenant, recording_id)
            self.recordings.delete(tenant, recording_id)
            self.mock.lifecycles.forget(self.lifecycle_key(recording_id, "recording"))

    def room_recordings(
        self,
        tenant: str,
        room_id: str,
        page: int,
        started_at: datetime | None,
        since: datetime | None,
        until: datetime | None,
    ) -> list[dict[str, Any]]:
        """One page of a room's recordings, newest first; `started_at` picks the
        meeting instance running then, `since`/`until` bound the creation time."""
        now = self.mock.now()
        with self.mock.store.atomic():
            instances = [r for r in self.rooms.all(tenant) if r.public_id == room_id]
            if not instances:
                raise errors.NotFound("Room not found")
            if started_at is not None:
                instances = [r for r in instances if r.running_at(started_at)]
            wanted = {r.id for r in instances}
            matches = [
                r
                for r in self.recordings.all(tenant)
                if r.room in wanted
                and r.created_at is not None
                and self._alive(r, now)
                and (since is None or r.created_at >= since)
                and (until is None or r.created_at <= until)
            ]
            matches.sort(key=lambda r: (r.created_at, r.id), reverse=True)
            shown = matches[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            return [self._recording_json(tenant, r) for r in shown]

    def recording_file(self, file_name: str, verdict: str) -> bytes:
        """The WebM a download link serves, by the link's verdict (`link_verdict`): 403
        once expired or when not signed by the mock, 404 once the recording is gone."""
        if verdict == "expired":
            raise errors.Forbidden("The download link has expired")
        if verdict != "valid":
            raise errors.Forbidden("The download link is not valid")
        found = self.recordings.find(file_name.removesuffix(".webm"))
        if found is None or not self._alive(found.record, self.mock.now()):
            raise errors.NotFound("Recording not found")
        return self.webm

    # -- webhooks ----------------------------------------------------------------------

    def register_webhook(self, tenant: str, url: str, types: list[str]) -> WebhookTarget:
        """The key's webhook, in place of the one it had."""
        target = WebhookTarget(id=self.mock.ids.hex(24), url=url, types=types)
        with self.mock.store.atomic():
            for old in self.webhook_targets.all(tenant):
                self.webhook_targets.delete(tenant, old.id)
            self.webhook_targets.put(tenant, target)
        return target

    def webhook(self, tenant: str) -> dict[str, Any]:
        """The key's webhook, with when the last delivery was tried and the status the
        receiver answered it with."""
        target = self._webhook_target(tenant)
        if target is None:
            raise errors.NotFound("No webhook is registered")
        sent = [a for a in self.mock.outbox.attempts(self.name) if a["owner"] == target.id]
        last = sent[-1] if sent else None
        last_at = parse_instant(last["at"]).isoformat(timespec="milliseconds") if last else None
        code = str(last["status"]) if last and last["status"] is not None else None
        return target.to_json(last_at, code)

    def delete_webhook(self, tenant: str, webhook_id: str) -> None:
        with self.mock.store.atomic():
            if self.webhook_targets.delete(tenant, webhook_id) is None:
                raise errors.NotFound("Webhook not found")

    # -- lifecycles: a room gets ready; a stopped recording finishes --------------------

    def after_load(self) -> None:
        """Restart what a dump cannot hold: rooms getting ready, recordings finishing,
        and the 14-day end of every recording. A dump whose recording has no creation
        time, or whose room getting ready has no start, cannot be loaded."""
        with self.mock.store.atomic():
            now = self.mock.now()
            for tenant in self.recordings.tenants():
                for recording in self.recordings.all(tenant):
                    if recording.created_at is None:
                        raise ValueError(f"eyeson recording {recording.id}: no created_at")
                    self._schedule_expiry(recording.id, recording.created_at)
                    if recording.stopped_at is not None and not recording.finished:
                        due = recording.stopped_at + FINISH_AFTER
                        steps = [Step("finished", after=max(due - now, timedelta(0)))]
                        self.start_lifecycle(recording.id, steps, "recording")
            for tenant in self.rooms.tenants():
                for room in self.rooms.all(tenant):
                    if not room.ready and not room.shutdown:
                        if room.started_at is None:
                            raise ValueError(f"eyeson room {room.id}: no started_at")
                        due = room.started_at + READY_AFTER
                        steps = [Step("ready", after=max(due - now, timedelta(0)))]
                        self.start_lifecycle(room.id, steps, "room")

    def enter_state(self, resource_id: str, state: str, at: datetime) -> str | None:
        with self.mock.store.atomic():
            room = self.rooms.find(resource_id)
            if room is not None:
                return self._room_enters(room.tenant, room.record, state, at)
            recording = self.recordings.find(resource_id)
            if recording is not None:
                return self._recording_enters(recording.tenant, recording.record, state, at)
        return None

    def _room_enters(self, tenant: str, room: Room, state: str, at: datetime) -> str | None:
        if room.shutdown:
            return None
        room.ready = state == "ready"
        if room.ready:
            self._notify(tenant, "room_update", {"room": _room_update(room)}, at)
        return f"eyeson room {room.public_id} is {state}"

    def _recording_enters(
        self, tenant: str, recording: Recording, state: str, at: datetime
    ) -> str | None:
        if state in ("stopped", "finished") and recording.stopped_at is None:
            recording.stopped_at = at
        recording.finished = state == "finished"
        if recording.finished:
            shown = self._recording_json(tenant, recording)
            self._notify(tenant, "recording_update", {"recording": shown}, at)
        return f"eyeson recording {recording.id} is {state}"

    def _stop(self, tenant: str, room: Room, recording: Recording, at: datetime) -> None:
        """The recording in `room` stops; it finishes as a script says, or 10 s later."""
        recording.stopped_at = at
        shown = recording.to_json(room, self._download_url)
        scripted = self.mock.scripts.timeline_for(self.name, "recording", shown)
        self.start_lifecycle(
            recording.id, scripted or [Step("finished", after=FINISH_AFTER)], "recording"
        )

    def _alive(self, recording: Recording, now: datetime) -> bool:
        """Recordings are kept up to 14 days, then destroyed (docs)."""
        return recording.created_at is not None and now < recording.created_at + RETENTION

    def _schedule_expiry(self, recording_id: str, created_at: datetime) -> None:
        """Gone 14 days after creation: the record, and with it its file and link."""

        def expire(at: datetime) -> str | None:
            with self.mock.store.atomic():
                found = self.recordings.find(recording_id)
                if found is None:
                    return None
                self.recordings.delete(found.tenant, recording_id)
                self.mock.lifecycles.forget(self.lifecycle_key(recording_id, "recording"))
            return f"eyeson recording {recording_id} reached its 14 days and was destroyed"

        self.mock.scheduler.schedule(created_at + RETENTION, self.name, expire)

    # -- the records behind a call -----------------------------------------------------

    def _meeting(self, access_key: str) -> tuple[str, Participant, Room]:
        """The user and meeting behind an access key: 404 unknown, 410 when over."""
        found = self.participants.find(access_key)
        if found is None:
            raise errors.NotFound("Access key not found")
        tenant, participant = found
        room = self.rooms.get(tenant, participant.room)
        if room is None:
            raise errors.NotFound("Access key not found")
        if room.shutdown:
            raise errors.Gone()
        return tenant, participant, room

    def _new_room(self, tenant: str, params: dict[str, Any], now: datetime) -> Room:
        """A new meeting instance; it gets ready as a script says, or 2 s later."""
        record_id = self.mock.ids.hex(24)
        options = room_options(params["options"])
        room = Room(
            id=record_id,
            public_id=params.get("id") or record_id,
            name=params.get("name") or params.get("id") or "eyeson room",
            started_at=now,
            guest_token=self.mock.ids.alnum(24),
            options=options,
            sip_password=self.mock.ids.alnum(16),
        )
        self.rooms.put(tenant, room)
        scripted = self.mock.scripts.timeline_for(self.name, "room", room.to_json())
        self.start_lifecycle(room.id, scripted or [Step("ready", after=READY_AFTER)], "room")
        return room

    def _join(
        self, tenant: str, room: Room, user: dict[str, Any], *, guest: bool, at: datetime
    ) -> Participant:
        participant = Participant(
            id=self.mock.ids.alnum(24),
            user_id=user.get("id") or self.mock.ids.hex(24),
            room=room.id,
            name=user["name"],
            avatar=user.get("avatar"),
            guest=guest,
            joined_at=at,
        )
        self.participants.put(tenant, participant)
        return participant

    def _meeting_json(
        self, tenant: str, participant: Participant, room: Room, base_url: str
    ) -> dict[str, Any]:
        running = self._running_recording(tenant, room)
        recording = self._recording_json(tenant, running) if running else None
        return meeting_json(participant, room, recording, fake.team_name(tenant), base_url)

    def _running_room(self, tenant: str, public_id: str) -> Room | None:
        for room in self.rooms.all(tenant):
            if room.public_id == public_id and not room.shutdown:
                return room
        return None

    def _room_by_guest_token(self, guest_token: str) -> Found[Room] | None:
        for tenant in self.rooms.tenants():
            for room in self.rooms.all(tenant):
                if room.guest_token == guest_token:
                    return Found(tenant, room)
        return None

    def _running_recording(self, tenant: str, room: Room) -> Recording | None:
        for recording in self.recordings.all(tenant):
            if recording.room == room.id and recording.stopped_at is None:
                return recording
        return None

    def _recording(self, tenant: str, recording_id: str) -> Recording:
        recording = self.recordings.get(tenant, recording_id)
        if recording is None or not self._alive(recording, self.mock.now()):
            raise errors.NotFound("Recording not found")
        return recording

    def _recording_json(self, tenant: str, recording: Recording) -> dict[str, Any]:
        """The recording as eyeson shows it: with its room and, once finished, a fresh
        download link."""
        room = self.rooms.get(tenant, recording.room)
        if room is None:  # rooms are never deleted: only a hand-made dump gets here
            raise LookupError(f"eyeson recording {recording.id}: no room {recording.room}")
        return recording.to_json(room, self._download_url)

    def _download_url(self, recording: Recording) -> str:
        path = f"/files/meetings/{recording.room}/{recording.id}.webm"
        return self.signed_url(recording.base_url, path, DOWNLOAD_LINK_LIFETIME)

    def _webhook_target(self, tenant: str) -> WebhookTarget | None:
        targets = self.webhook_targets.all(tenant)
        return targets[0] if targets else None

    def _notify(self, tenant: str, kind: str, content: dict[str, Any], at: datetime) -> None:
        """POST the event to the key's webhook, signed: `X-Eyeson-Signature` is the hex
        HMAC-SHA256 of the body keyed with the API key (docs: register_webhooks)."""
        target = self._webhook_target(tenant)
        if target is None or kind not in target.types:
            return
        payload = {"timestamp": int(at.timestamp()), "type": kind, **content}
        body = json.dumps(payload).encode()
        signature = hmac.new(tenant.encode(), body, hashlib.sha256).hexdigest()
        self.mock.outbox.send(
            Delivery(
                vendor=self.name,
                event=kind,
                url=target.url,
                body=body,
                payload=payload,
                headers={SIGNATURE_HEADER: signature},
                timeout=WEBHOOK_TIMEOUT_S,
                owner=target.id,
            ),
            at,
        )


def _room_update(room: Room) -> dict[str, Any]:
    """The room as `room_update` documents it: without the guest token."""
    shown = room.to_json()
    shown.pop("guest_token")
    return shown
