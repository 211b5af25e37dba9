"""The eyeson API's operations a recording client uses, one handler each."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from recmock.mock import RecMock
from recmock.openapi import RouteDoc
from recmock.scripts import Step
from recmock.store import Table
from recmock.timeutil import parse_instant
from recmock.vendor import Vendor
from recmock.vendors.eyeson import errors, fake
from recmock.vendors.eyeson.models import (
    Participant,
    Recording,
    Room,
    WebhookTarget,
    meeting_json,
)
from recmock.vendors.eyeson.options import is_on, room_options
from recmock.vendors.eyeson.params import (
    instant,
    load,
    page_number,
    read_params,
    webhook_types,
)
from recmock.vendors.eyeson.routes import API
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
from recmock.vendors.eyeson.schemas import GuestParams, RoomParams, WebhookParams
from recmock.web import VendorRequest, json_response, no_content
from recmock.webhooks import Delivery


def _asset(name: str) -> bytes:
    return resources.files("recmock.assets").joinpath(name).read_bytes()


class EyesonVendor(Vendor):
    name = "eyeson"
    mount = "/eyeson"
    hosts = ("api.eyeson.team",)
    domains = ("eyeson.team", "eyeson.com")
    routes = API
    record_types = (Room, Participant, Recording, WebhookTarget)
    script_states = SCRIPT_STATES
    route_docs = {
        "create_room": RouteDoc(body=RoomParams, status=201),
        "shutdown_room": RouteDoc(status=204),
        "join_as_guest": RouteDoc(body=GuestParams, status=201),
        "start_recording": RouteDoc(status=201),
        "register_webhook": RouteDoc(body=WebhookParams, status=201),
        "delete_webhook": RouteDoc(status=204),
    }

    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock)
        self.rooms: Table = self.tables[Room]
        self.participants: Table = self.tables[Participant]
        self.recordings: Table = self.tables[Recording]
        self.webhook_targets: Table = self.tables[WebhookTarget]
        self._webm = _asset("sample.webm")

    def http_error(self, status: int, message: str) -> errors.EyesonError:
        return errors.for_status(status, message)

    def after_load(self) -> None:
        """Restart what a dump cannot hold: rooms getting ready, recordings finishing,
        and the 14-day end of every recording."""
        with self.mock.store.atomic():
            now = self.mock.now()
            for tenant in self.recordings.tenants():
                for recording in self.recordings.all(tenant):
                    self._schedule_expiry(recording)  # type: ignore[arg-type]
                    if recording.state == "stopped":  # type: ignore[attr-defined]
                        due = recording.stopped_at + FINISH_AFTER  # type: ignore[attr-defined]
                        steps = [Step("finished", after=max(due - now, timedelta(0)))]
                        self.start_lifecycle(recording.id, steps, "recording")
            for tenant in self.rooms.tenants():
                for room in self.rooms.all(tenant):
                    if not room.ready and not room.shutdown:  # type: ignore[attr-defined]
                        due = room.started_at + READY_AFTER  # type: ignore[attr-defined]
                        steps = [Step("ready", after=max(due - now, timedelta(0)))]
                        self.start_lifecycle(room.id, steps, "room")

    # -- rooms -----------------------------------------------------------------------

    def create_room(self, request: VendorRequest) -> Response:
        """Create a meeting, or join the running one with the same custom `id`."""
        tenant = self._authenticate(request)
        raw = read_params(request)
        raw.setdefault("user", {})  # so a missing user is reported as user[name]
        params = load(RoomParams, raw)
        now = self.mock.now()
        with self.mock.store.atomic():
            room = self._running_room(tenant, params["id"]) if "id" in params else None
            if room is None:
                room = self._new_room(tenant, params, now)
            participant = self._join(tenant, room, params["user"], guest=False, at=now)
            shown = self._meeting_json(request, tenant, participant, room)
        return json_response(shown, 201)

    def list_rooms(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        with self.mock.store.atomic():
            running = [r for r in self.rooms.all(tenant) if not r.shutdown]  # type: ignore[attr-defined]
            running.sort(key=lambda r: (r.started_at, r.id))  # type: ignore[attr-defined]
            return json_response([r.to_json() for r in running])  # type: ignore[attr-defined]

    def get_room(self, request: VendorRequest, access_key: str) -> Response:
        with self.mock.store.atomic():
            tenant, participant, room = self._meeting(access_key)
            shown = self._meeting_json(request, tenant, participant, room)
        self.mock.lifecycles.note_read(self.lifecycle_key(room.id, "room"))
        return json_response(shown)

    def shutdown_room(self, request: VendorRequest, room_id: str) -> Response:
        """Force-stop a meeting: a running recording stops, `room_update` says
        `shutdown: true`, and the meeting's access keys answer 410."""
        tenant = self._authenticate(request)
        now = self.mock.now()
        with self.mock.store.atomic():
            room = self._running_room(tenant, room_id)
            if room is None:
                raise errors.NotFound("Room not found")
            running = self._running_recording(tenant, room)
            if running is not None:
                self._stop(running, now)
            room.shutdown = True
            room.shutdown_at = now
            room.ready = False
            self.mock.lifecycles.forget(self.lifecycle_key(room.id, "room"))
            self._notify(tenant, "room_update", {"room": _room_update(room)}, now)
        return no_content()

    def join_as_guest(self, request: VendorRequest, guest_token: str) -> Response:
        params = load(GuestParams, read_params(request))
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
            participant = self._join(tenant, room, params, guest=True, at=now)
            shown = self._meeting_json(request, tenant, participant, room)
        return json_response(shown, 201)

    # -- recordings ------------------------------------------------------------------

    def start_recording(self, request: VendorRequest, access_key: str) -> Response:
        """201 and no body; 405 when the room's options turn recording off, 406 while
        the meeting is not ready or a recording already runs."""
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
                base_url=self.base_url(request),
            )
            self.recordings.put(tenant, recording)
            self._schedule_expiry(recording)
        return no_content(201)

    def stop_recording(self, request: VendorRequest, access_key: str) -> Response:
        now = self.mock.now()
        with self.mock.store.atomic():
            tenant, _, room = self._meeting(access_key)
            recording = self._running_recording(tenant, room)
            if recording is None:
                raise errors.NotFound("No recording is running")
            self._stop(recording, now)
        return no_content(200)

    def get_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request)
        with self.mock.store.atomic():
            recording = self._recording(tenant, recording_id)
            shown = self._recording_json(tenant, recording)
        self.mock.lifecycles.note_read(self.lifecycle_key(recording_id))
        return json_response(shown)

    def delete_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request)
        with self.mock.store.atomic():
            self._recording(tenant, recording_id)
            self.recordings.delete(tenant, recording_id)
            self.mock.lifecycles.forget(self.lifecycle_key(recording_id))
        return no_content(200)

    def list_room_recordings(self, request: VendorRequest, room_id: str) -> Response:
        """A bare array, newest first, 25 a page (`page` from 1); `started_at` picks the
        meeting instance running then, `since`/`until` bound the creation time."""
        tenant = self._authenticate(request)
        page = page_number(request.args.get("page"))
        bounds = {name: instant(request, name) for name in ("started_at", "since", "until")}
        now = self.mock.now()
        with self.mock.store.atomic():
            instances = [r for r in self.rooms.all(tenant) if r.public_id == room_id]  # type: ignore[attr-defined]
            if not instances:
                raise errors.NotFound("Room not found")
            if bounds["started_at"] is not None:
                instances = [r for r in instances if r.running_at(bounds["started_at"])]  # type: ignore[attr-defined]
            wanted = {r.id for r in instances}
            matches = [
                r
                for r in self.recordings.all(tenant)
                if r.room in wanted  # type: ignore[attr-defined]
                and self._alive(r, now)  # type: ignore[arg-type]
                and (bounds["since"] is None or r.created_at >= bounds["since"])  # type: ignore[attr-defined]
                and (bounds["until"] is None or r.created_at <= bounds["until"])  # type: ignore[attr-defined]
            ]
            matches.sort(key=lambda r: (r.created_at, r.id), reverse=True)  # type: ignore[attr-defined]
            shown = matches[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            return json_response([self._recording_json(tenant, r) for r in shown])  # type: ignore[arg-type]

    def download_recording(
        self, request: VendorRequest, instance_id: str, file_name: str
    ) -> Response:
        """The download link: no API key, and it stops working an hour after it was
        handed out (docs: "Direct URLs to downloads expire after one hour")."""
        verdict = self.link_verdict(request, f"/files/meetings/{instance_id}/{file_name}")
        if verdict == "expired":
            raise errors.Forbidden("The download link has expired")
        if verdict != "valid":
            raise errors.Forbidden("The download link is not valid")
        found = self.recordings.find(file_name.removesuffix(".webm"))
        if found is None or not self._alive(found[1], self.mock.now()):  # type: ignore[arg-type]
            raise errors.NotFound("Recording not found")
        return send_file(
            io.BytesIO(self._webm), request.environ, mimetype="video/webm", conditional=True
        )

    # -- webhooks --------------------------------------------------------------------

    def register_webhook(self, request: VendorRequest) -> Response:
        """One webhook per API key: registering again replaces it."""
        tenant = self._authenticate(request)
        params = load(WebhookParams, read_params(request))
        types = webhook_types(params["types"])
        target = WebhookTarget(id=self.mock.ids.hex(24), url=params["url"], types=types)
        with self.mock.store.atomic():
            for old in self.webhook_targets.all(tenant):
                self.webhook_targets.delete(tenant, old.id)
            self.webhook_targets.put(tenant, target)
        return json_response(target.to_json(None, None), 201)

    def get_webhook(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        target = self._webhook_target(tenant)
        if target is None:
            raise errors.NotFound("No webhook is registered")
        sent = [a for a in self.mock.outbox.attempts(self.name) if a["owner"] == target.id]
        last = sent[-1] if sent else None
        last_at = parse_instant(last["at"]).isoformat(timespec="milliseconds") if last else None
        code = str(last["status"]) if last and last["status"] is not None else None
        return json_response(target.to_json(last_at, code))

    def delete_webhook(self, request: VendorRequest, webhook_id: str) -> Response:
        tenant = self._authenticate(request)
        with self.mock.store.atomic():
            if self.webhook_targets.delete(tenant, webhook_id) is None:
                raise errors.NotFound("Webhook not found")
        return no_content()

    # -- lifecycles: a room gets ready; a stopped recording finishes ------------------

    def enter_state(self, resource_id: str, state: str, at: datetime) -> str | None:
        with self.mock.store.atomic():
            room = self.rooms.find(resource_id)
            if room is not None:
                return self._room_enters(room[0], room[1], state, at)  # type: ignore[arg-type]
            recording = self.recordings.find(resource_id)
            if recording is not None:
                return self._recording_enters(recording[0], recording[1], state, at)  # type: ignore[arg-type]
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

    def _stop(self, recording: Recording, at: datetime) -> None:
        recording.stopped_at = at
        room = self.rooms.find(recording.room)
        tenant = room[0] if room else ""
        shown = self._recording_json(tenant, recording) if room else {}
        scripted = self.mock.scripts.timeline_for(self.name, "recording", shown)
        self.start_lifecycle(
            recording.id, scripted or [Step("finished", after=FINISH_AFTER)], "recording"
        )

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest) -> str:
        """The bare API key in `Authorization` (no `Bearer`, as every eyeson SDK sends
        it); the tenant is the key."""
        key = request.headers.get("Authorization", "").strip()
        if not key:
            raise errors.Unauthorized("Authorization failed: an API key is required")
        if not key.isascii() or not key.isprintable() or " " in key:
            raise errors.Unauthorized(
                "Authorization failed: send the bare API key, with no scheme such as Bearer"
            )
        if not self.mock.credentials.accepts(self.name, key):
            raise errors.Unauthorized()
        return key

    def _meeting(self, access_key: str) -> tuple[str, Participant, Room]:
        """The user and meeting behind an access key: 404 unknown, 410 when over."""
        found = self.participants.find(access_key)
        if found is None:
            raise errors.NotFound("Access key not found")
        tenant, participant = found
        room = self.rooms.get(tenant, participant.room)  # type: ignore[attr-defined]
        if room is None:
            raise errors.NotFound("Access key not found")
        if room.shutdown:  # type: ignore[attr-defined]
            raise errors.Gone()
        return tenant, participant, room  # type: ignore[return-value]

    def _new_room(self, tenant: str, params: dict[str, Any], now: datetime) -> Room:
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
        self, request: VendorRequest, tenant: str, participant: Participant, room: Room
    ) -> dict:
        """The documented answer of POST /rooms, GET /rooms/{access_key} and guests."""
        running = self._running_recording(tenant, room)
        recording = self._recording_json(tenant, running) if running else None
        base_url = self.base_url(request)
        return meeting_json(participant, room, recording, fake.team_name(tenant), base_url)

    def _running_room(self, tenant: str, public_id: str) -> Room | None:
        for room in self.rooms.all(tenant):
            if room.public_id == public_id and not room.shutdown:  # type: ignore[attr-defined]
                return room  # type: ignore[return-value]
        return None

    def _room_by_guest_token(self, guest_token: str) -> tuple[str, Room] | None:
        for tenant in self.rooms.tenants():
            for room in self.rooms.all(tenant):
                if room.guest_token == guest_token:  # type: ignore[attr-defined]
                    return tenant, room  # type: ignore[return-value]
        return None

    def _running_recording(self, tenant: str, room: Room) -> Recording | None:
        for recording in self.recordings.all(tenant):
            if recording.room == room.id and recording.stopped_at is None:  # type: ignore[attr-defined]
                return recording  # type: ignore[return-value]
        return None

    def _recording(self, tenant: str, recording_id: str) -> Recording:
        recording = self.recordings.get(tenant, recording_id)
        if recording is None or not self._alive(recording, self.mock.now()):  # type: ignore[arg-type]
            raise errors.NotFound("Recording not found")
        return recording  # type: ignore[return-value]

    def _recording_json(self, tenant: str, recording: Recording) -> dict[str, Any]:
        room = self.rooms.get(tenant, recording.room)
        return recording.to_json(room, self._download_url)  # type: ignore[arg-type]

    def _alive(self, recording: Recording, now: datetime) -> bool:
        """Recordings are kept up to 14 days, then destroyed (docs)."""
        return recording.created_at is not None and now < recording.created_at + RETENTION

    def _schedule_expiry(self, recording: Recording) -> None:
        """Gone 14 days after creation: the record, and with it its file and link."""

        def expire(at: datetime) -> str | None:
            with self.mock.store.atomic():
                found = self.recordings.find(recording.id)
                if found is None:
                    return None
                self.recordings.delete(found[0], recording.id)
                self.mock.lifecycles.forget(self.lifecycle_key(recording.id))
            return f"eyeson recording {recording.id} reached its 14 days and was destroyed"

        self.mock.scheduler.schedule(recording.created_at + RETENTION, self.name, expire)  # type: ignore[operator]

    def _download_url(self, recording: Recording) -> str:
        path = f"/files/meetings/{recording.room}/{recording.id}.webm"
        return self.signed_url(recording.base_url, path, DOWNLOAD_LINK_LIFETIME)

    def _webhook_target(self, tenant: str) -> WebhookTarget | None:
        targets = self.webhook_targets.all(tenant)
        return targets[0] if targets else None  # type: ignore[return-value]

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
