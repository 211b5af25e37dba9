"""eyeson's resources as stored, and their JSON as the API shows them (docs.eyeson.com
rest/references: room, recording, webhooks). Each meeting instance is a Room record: a
room created again with the same custom `id` after a shutdown is a new instance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from recmock.store import Record
from recmock.timeutil import iso_millis
from recmock.vendors.eyeson import fake


@dataclass
class Room(Record):
    kind = "room"
    public_id: str = ""  # the room's id in the API: a custom `id`, or this record's id
    name: str = ""
    ready: bool = False
    shutdown: bool = False
    started_at: datetime | None = None
    shutdown_at: datetime | None = None
    guest_token: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    sip_password: str = ""

    def sip(self, user: str | None = None) -> dict[str, Any]:
        """The SIP account of the room, or of one of its users."""
        return fake.sip_account(user or self.public_id, self.sip_password, self.name)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.public_id,
            "name": self.name,
            "ready": self.ready,
            "started_at": iso_millis(self.started_at) if self.started_at else None,
            "shutdown": self.shutdown,
            "sip": self.sip(),
            "guest_token": self.guest_token,
        }

    def running_at(self, instant: datetime) -> bool:
        """The instance was running then: `started_at` selects an instance this way."""
        started = self.started_at or instant
        return started <= instant and (self.shutdown_at is None or instant <= self.shutdown_at)


@dataclass
class Participant(Record):
    """A user in a meeting; the id is the user's access key."""

    kind = "participant"
    user_id: str = ""
    room: str = ""  # the Room record (instance) id
    name: str = ""
    avatar: str | None = None
    guest: bool = False
    joined_at: datetime | None = None

    def to_json(self, room: Room) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "room_id": room.public_id,
            "name": self.name,
            "avatar": self.avatar,
            "guest": self.guest,
            "ready": room.ready,
            "sip": room.sip(self.user_id),
        }

    def as_recorder(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "name": self.name,
            "avatar": self.avatar,
            "guest": self.guest,
            "joined_at": iso_millis(self.joined_at) if self.joined_at else None,
        }


def meeting_json(
    participant: Participant,
    room: Room,
    recording: dict[str, Any] | None,
    team: str,
    base_url: str,
) -> dict[str, Any]:
    """The documented answer of POST /rooms, GET /rooms/{access_key} and POST /guests:
    the meeting as one user sees it, with its running `recording` (as shown) or None."""
    key = participant.id
    return {
        "access_key": key,
        "ready": room.ready,
        "locked": bool(room.options.get("locked", False)),
        "room": room.to_json(),
        "team": {"name": team},
        "user": participant.to_json(room),
        "links": {"self": f"{base_url}/rooms/{key}", **fake.app_links(key, room.guest_token)},
        "options": dict(room.options),
        "presentation": None,
        "broadcasts": [],
        "recording": recording,
        "snapshots": [],
        "signaling": fake.signaling(participant.user_id, room.id),
    }


# The recording's download link on the mock, signed and fresh at each call.
DownloadUrl = Callable[["Recording"], str]


@dataclass
class Recording(Record):
    kind = "recording"
    room: str = ""  # the Room record (instance) id
    access_key: str = ""  # of the user who started it
    created_at: datetime | None = None
    stopped_at: datetime | None = None
    finished: bool = False
    user: dict[str, Any] = field(default_factory=dict)
    base_url: str = ""

    @property
    def state(self) -> str:
        if self.finished:
            return "finished"
        return "stopped" if self.stopped_at else "started"

    def to_json(self, room: Room, download_url: DownloadUrl) -> dict[str, Any]:
        """Three states, told apart by `duration` and `links.download` (docs): started
        (both null), stopped (duration set), finished (both set)."""
        duration = None
        if self.stopped_at and self.created_at:
            duration = int((self.stopped_at - self.created_at).total_seconds())
        return {
            "id": self.id,
            "created_at": int(self.created_at.timestamp()) if self.created_at else None,
            "duration": duration,
            "links": {
                "self": f"{self.base_url}/recordings/{self.id}",
                "download": download_url(self) if self.finished else None,
            },
            "user": dict(self.user),
            "room": room.to_json(),
        }


@dataclass
class WebhookTarget(Record):
    """One per API key (docs: register_webhooks)."""

    kind = "webhook"
    url: str = ""
    types: list[str] = field(default_factory=list)

    def to_json(self, last_sent: str | None, last_code: str | None) -> dict[str, Any]:
        return {
            "id": self.id,
            "types": list(self.types),
            "url": self.url,
            "last_request_sent_at": last_sent,
            "last_response_code": last_code,
        }
