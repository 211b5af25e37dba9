"""Claap's resources as stored, and their JSON as Claap shows them
(docs.claap.io api-reference/endpoint/get_recording, webhook/recording_added)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from recmock.store import Record
from recmock.timeutil import iso_millis

# Maps a file of a recording ("video.mp4", "transcript.txt") to a signed URL on the mock.
FileUrl = Callable[["Recording", str], str]


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
    meeting: dict[str, Any] | None = None  # as Claap answers it: startingAt, endingAt, ...
    deal: dict[str, str] | None = None  # {id, name}
    crm: str | None = None  # the deal's CRM: attio, hubspot, pipedrive, salesforce
    download_url: str | None = None
    upload_token: str = ""
    transcript_upload_token: str | None = None
    payload_received: bool = False
    media_format: str | None = None
    duration_seconds: int | None = None
    transcript: list[dict[str, Any]] = field(default_factory=list)
    insights: dict[str, Any] = field(default_factory=dict)  # actionItems, keyTakeaways, ...
    failure_reason: str | None = None  # kept for the dashboard; Claap does not expose it
    announced: bool = False  # recording_added was sent

    @property
    def media_key(self) -> str:
        return f"claap/{self.id}"

    def to_json(self, file_url: FileUrl) -> dict[str, Any]:
        """The recording as `GET /v1/recordings/{id}`, lists and webhooks show it."""
        ready = self.state == "Ready"
        transcripts = []
        if ready and self.transcript:
            transcripts = [
                {
                    "isActive": True,
                    "isTranscript": True,
                    "langIso2": "en",
                    "textUrl": file_url(self, "transcript.txt"),
                    "url": file_url(self, "transcript.json"),
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
            "url": f"{self.base_url}/app/recordings/{self.id}",
            "thumbnailUrl": file_url(self, "thumbnail.png") if ready else None,
            "video": {"url": file_url(self, f"video.{self.media_format}")} if ready else None,
            "transcripts": transcripts,
            "meeting": self.meeting,
            "deal": self.deal,
            "crmInfo": {"crm": self.crm, "deal": {"id": self.deal["id"]}} if self.deal else None,
            "actionItems": self.insights.get("actionItems", []),
            "companies": self.insights.get("companies", []),
            "insightTemplates": [],  # no longer filled since 15 June 2026
            "keyTakeaways": self.insights.get("keyTakeaways", []),
            "outlines": self.insights.get("outlines", []),
        }

    def to_created_json(self, file_url: FileUrl) -> dict[str, Any]:
        """The exact keys of the documented `POST /v1/recordings` answer."""
        full = self.to_json(file_url)
        keys = ("channel", "createdAt", "id", "recorder", "state", "title", "url", "workspace")
        created = {key: full[key] for key in keys}
        uploads = f"{self.base_url}/uploads/{self.id}"
        created["upload"] = {"url": f"{uploads}?signature={self.upload_token}"}
        if self.transcript_upload_token:
            created["upload"]["metaUrl"] = (
                f"{uploads}/transcript?signature={self.transcript_upload_token}"
            )
        return created


@dataclass
class WebhookTarget(Record):
    """Where Claap posts a workspace's webhooks (Claap's support sets it up, so here
    `PUT /_recmock/vendors/claap/webhook` does). Stored under the workspace's key, or
    under "*" for every workspace. The id is the webhook id Claap sends."""

    kind = "webhook"
    url: str = ""
    secret: str = ""

    def to_json(self, workspace: str) -> dict[str, str]:
        return {"id": self.id, "url": self.url, "secret": self.secret, "workspace": workspace}
