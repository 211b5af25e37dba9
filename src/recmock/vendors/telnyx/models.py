"""Telnyx's video resources as stored, and their JSON as the API shows them (the
OpenAPI schemas RoomComposition, Room, RoomSession, RoomParticipant, RoomRecording).
Timestamps carry microseconds and `Z`, as Telnyx's examples do. A field with no value
yet is left out rather than sent as null: the document does not allow null there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from recmock.store import Record
from recmock.timeutil import iso_micros

# Gives a stored resource's signed download URL on the mock, fresh at each call.
DownloadUrl = Callable[["RoomComposition | RoomRecording"], str]


def _times(**instants: datetime | None) -> dict[str, str]:
    return {name: iso_micros(value) for name, value in instants.items() if value is not None}


@dataclass
class Room(Record):
    kind = "room"
    unique_name: str = ""
    max_participants: int = 10
    enable_recording: bool = False
    webhook_event_url: str | None = None
    webhook_event_failover_url: str = ""
    webhook_timeout_secs: int | None = None
    active_session_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def to_json(self, sessions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.id,
            "record_type": "room",
            "unique_name": self.unique_name,
            "max_participants": self.max_participants,
            "enable_recording": self.enable_recording,
            "active_session_id": self.active_session_id,
            "webhook_event_failover_url": self.webhook_event_failover_url,
            "webhook_timeout_secs": self.webhook_timeout_secs,
            **_times(created_at=self.created_at, updated_at=self.updated_at),
        }
        if self.webhook_event_url:
            shown["webhook_event_url"] = self.webhook_event_url
        if sessions is not None:
            shown["sessions"] = sessions
        return shown


@dataclass
class RoomSession(Record):
    kind = "room_session"
    room_id: str = ""
    active: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    ended_at: datetime | None = None
    participants: list[dict[str, Any]] = field(default_factory=list)  # stored as shown

    def to_json(self, include_participants: bool = False) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.id,
            "record_type": "room_session",
            "room_id": self.room_id,
            "active": self.active,
            **_times(
                created_at=self.created_at, updated_at=self.updated_at, ended_at=self.ended_at
            ),
        }
        if include_participants:
            shown["participants"] = [dict(p) for p in self.participants]
        return shown


@dataclass
class RoomRecording(Record):
    kind = "room_recording"
    room_id: str = ""
    session_id: str = ""
    participant_id: str = ""
    type: str = "video"  # audio | video
    codec: str = "vp8"
    status: str = "completed"
    size_mb: float = 0.0
    duration_secs: int = 0
    started_at: datetime | None = None
    ended_at: datetime | None = None
    completed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    base_url: str = ""  # the mock's Telnyx base as the creating client reached it

    def to_json(self, download_url: DownloadUrl) -> dict[str, Any]:
        return {
            "id": self.id,
            "record_type": "room_recording",
            "room_id": self.room_id,
            "session_id": self.session_id,
            "participant_id": self.participant_id,
            "type": self.type,
            "codec": self.codec,
            "status": self.status,
            "size_mb": self.size_mb,
            "duration_secs": self.duration_secs,
            "download_url": download_url(self),
            **_times(
                started_at=self.started_at,
                ended_at=self.ended_at,
                completed_at=self.completed_at,
                created_at=self.created_at,
                updated_at=self.updated_at,
            ),
        }


@dataclass
class RoomComposition(Record):
    kind = "room_composition"
    room_id: str = ""
    session_id: str = ""
    user_id: str = ""
    # enqueued | processing | completed, or failed: Telnyx's enum has no failed status,
    # so a failed composition shows `processing` (and a failed webhook went out).
    status: str = "enqueued"
    format: str = "mp4"
    resolution: str = "1280x720"
    video_layout: dict[str, Any] = field(default_factory=dict)
    webhook_event_url: str | None = None
    webhook_event_failover_url: str = ""
    webhook_timeout_secs: int | None = None
    size_mb: float | None = None
    duration_secs: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    completed_at: datetime | None = None
    base_url: str = ""

    @property
    def shown_status(self) -> str:
        return "processing" if self.status == "failed" else self.status

    def to_json(self, download_url: DownloadUrl) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.id,
            "record_type": "room_composition",
            "room_id": self.room_id,
            "session_id": self.session_id,
            "user_id": self.user_id,
            "status": self.shown_status,
            "format": self.format,
            "resolution": self.resolution,
            "video_layout": self.video_layout,
            "webhook_event_failover_url": self.webhook_event_failover_url,
            "webhook_timeout_secs": self.webhook_timeout_secs,
            **_times(
                created_at=self.created_at,
                updated_at=self.updated_at,
                started_at=self.started_at,
                ended_at=self.ended_at,
                completed_at=self.completed_at,
            ),
        }
        if self.webhook_event_url:
            shown["webhook_event_url"] = self.webhook_event_url
        if self.status == "completed":
            shown["size_mb"] = self.size_mb
            shown["duration_secs"] = self.duration_secs
            shown["download_url"] = download_url(self)
        return shown
