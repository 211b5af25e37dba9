"""Claap's resources as stored, and their JSON as Claap shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from recmock.store import Record
from recmock.timeutil import iso_millis


@dataclass
class Workspace(Record):
    """One per API key: Claap keys are workspace-level. Users and channels appear as
    recordings name them (authorEmail, channelId)."""

    kind = "workspace"
    name: str = ""
    users: dict[str, dict[str, str]] = field(default_factory=dict)  # email -> {id, name}
    channels: dict[str, str] = field(default_factory=dict)  # id -> name

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass
class Recording(Record):
    kind = "recording"
    title: str = ""
    state: str = "Empty"
    created_at: datetime | None = None
    updated_at: datetime | None = None
    base_url: str = ""  # the mock's Claap base as the creating client reached it
    workspace: dict[str, str] = field(default_factory=dict)
    recorder: dict[str, Any] = field(default_factory=dict)
    channel: dict[str, str] | None = None
    source: str = "Api"
    labels: list[str] = field(default_factory=list)
    meeting: dict[str, Any] | None = None
    deal: dict[str, str] | None = None
    download_url: str | None = None
    upload_token: str = ""
    transcript_upload_token: str | None = None
    payload_received: bool = False
    media_format: str | None = None
    duration_seconds: int | None = None
    video_token: str | None = None
    thumbnail_token: str | None = None
    transcript: list[dict[str, Any]] = field(default_factory=list)
    failure_reason: str | None = None  # kept for the dashboard; Claap does not expose it
    announced: bool = False  # recording_added was sent

    @property
    def media_key(self) -> str:
        return f"claap/{self.id}"

    def to_json(self) -> dict[str, Any]:
        """The recording as `GET /v1/recordings/{id}` and webhooks show it."""
        ready = self.state == "Ready"
        base = self.base_url
        transcripts = []
        if ready and self.transcript:
            transcript_url = f"{base}/v1/recordings/{self.id}/transcript"
            transcripts = [
                {
                    "textUrl": f"{transcript_url}?format=text",
                    "url": f"{transcript_url}?format=json",
                    "isActive": True,
                    "isTranscript": True,
                    "langIso2": "en",
                }
            ]
        return {
            "id": self.id,
            "title": self.title,
            "createdAt": iso_millis(self.created_at) if self.created_at else None,
            "state": self.state,
            "durationSeconds": self.duration_seconds,
            "labels": list(self.labels),
            "recorder": dict(self.recorder),
            "workspace": dict(self.workspace),
            "channel": dict(self.channel) if self.channel else None,
            "source": self.source,
            "url": f"{base}/app/recordings/{self.id}",
            "thumbnailUrl": self._file_url("thumbnail.png", self.thumbnail_token)
            if ready
            else None,
            "video": {"url": self._file_url(f"video.{self.media_format}", self.video_token)}
            if ready
            else None,
            "transcripts": transcripts,
            "meeting": self.meeting,
            "deal": self.deal,
            "actionItems": [],
            "companies": [],
            "insightTemplates": [],
            "aiFields": [],
            "keyTakeaways": [],
            "outlines": [],
        }

    def to_created_json(self) -> dict[str, Any]:
        """The exact keys of the documented `POST /v1/recordings` answer."""
        full = self.to_json()
        created = {
            key: full[key]
            for key in (
                "channel",
                "createdAt",
                "id",
                "recorder",
                "state",
                "title",
                "url",
                "workspace",
            )
        }
        uploads = f"{self.base_url}/uploads/{self.id}"
        created["upload"] = {"url": f"{uploads}?signature={self.upload_token}"}
        if self.transcript_upload_token:
            created["upload"]["metaUrl"] = (
                f"{uploads}/transcript?signature={self.transcript_upload_token}"
            )
        return created

    def _file_url(self, name: str, token: str | None) -> str:
        """A signed media URL, like the CDN links Claap hands out."""
        return f"{self.base_url}/files/{self.id}/{name}?signature={token}"


@dataclass
class WebhookTarget:
    """Where Claap posts a workspace's webhooks (set up by Claap's support, so here by
    `PUT /_recmock/vendors/claap/webhook`)."""

    url: str
    webhook_id: str
    secret: str

    def to_json(self) -> dict[str, str]:
        return {"url": self.url, "id": self.webhook_id, "secret": self.secret}
