"""Valt's resources as stored, and their JSON as the API shows them (IVS wiki: API
Recording Details, API List Recordings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from recmock.store import Record


@dataclass
class ApiToken(Record):
    """A login's access token (32 hex); the id is the token."""

    kind = "token"
    username: str = ""


@dataclass
class ValtRecord(Record):
    kind = "record"
    name: str = ""
    template: dict[str, Any] = field(default_factory=dict)
    share: dict[str, Any] = field(default_factory=dict)
    created: datetime | None = None
    author: dict[str, Any] = field(default_factory=dict)
    video_id: str = ""
    uploaded: bool = False
    room: dict[str, Any] | None = None  # {id, name} for a room recording
    recording: bool = False  # a room recording still running
    stopped: datetime | None = None
    video_seconds: int = 0  # an uploaded video's length, from its MP4 header

    @property
    def media_key(self) -> str:
        return f"valt/{self.id}"

    def duration(self, now: datetime) -> int:
        """A room recording's time from start to stop (to now while it runs); an
        uploaded video's own length."""
        if self.room is None:
            return self.video_seconds
        if self.created is None:
            return 0
        end = self.stopped or (now if self.recording else self.created)
        return int((end - self.created).total_seconds())

    def to_json(self, now: datetime) -> dict[str, Any]:
        """The documented record details."""
        return {
            "id": self.id,
            "name": self.name,
            "template": dict(self.template),
            "created": int(self.created.timestamp()) if self.created else None,
            "author": dict(self.author),
            "type": "record",
            "duration": self.duration(now),
            "room": dict(self.room) if self.room else None,
            "cameras": {},
            "sharing": {
                "groups": list(self.share.get("groups", [])),
                "users": list(self.share.get("users", [])),
            },
            "retention": {
                "type": "inherit",
                "until": None,
                "days": None,
                "hours": None,
                "minutes": None,
            },
            "markers": [],
            "videos": [self.video_id],
        }


@dataclass
class SigningKey(Record):
    """The key download tokens are signed with, kept in the store so that a state dump
    (and a restart with --state) keeps it: links handed out before still work."""

    kind = "signing_key"
    pem: str = ""
