"""Claap's rules and state: workspaces, recordings and their lifecycle, the quota and
rate limits, signed links, the payload's arrival and the webhooks Claap sends. No HTTP
here: the handlers (`handlers.py`) and the vendor actions (`actions.py`) call it with
what a request carried, and it answers records or raises Claap's errors. The list's
filters and cursors are in `listing.py`, made-up data in `fake.py`, the downloadUrl
fetch in `fetch.py`; what is left (a little over 400 lines) is one recording's rules
from create to Ready, which read best in one place."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from recmock.backend import Backend
from recmock.media import Blob
from recmock.scripts import Step
from recmock.timeutil import parse_instant
from recmock.vendors.claap import errors, fake, listing
from recmock.vendors.claap.fetch import download
from recmock.vendors.claap.formats import CONTENT_TYPES, sniff_format
from recmock.vendors.claap.models import Recording, WebhookTarget, Workspace
from recmock.vendors.claap.rules import (
    ALL_TENANTS,
    DAILY_CALLS,
    DAILY_WINDOW,
    DOWNLOAD_DEADLINE_S,
    PROCESSING_TIME,
    QUOTA,
    QUOTA_WINDOW,
    RATE_BURST,
    RATE_PER_SECOND,
    SIGNED_URL_LIFETIME,
    STATES,
    WEBHOOK_RETRIES,
    WEBHOOK_TIMEOUT_S,
)
from recmock.webhooks import Delivery

if TYPE_CHECKING:
    from recmock.mock import RecMock

# A 1x1 PNG: what thumbnailUrl serves.
THUMBNAIL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


class ClaapBackend(Backend):
    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock, "claap", {"recording": STATES})
        self.recordings = mock.store.table(self.name, Recording)
        self.workspaces = mock.store.table(self.name, Workspace)
        self.webhook_targets = mock.store.table(self.name, WebhookTarget)

    # -- credentials and limits --------------------------------------------------------

    def authenticate(self, key: str, endpoint: str) -> tuple[str, dict[str, str]]:
        """The workspace of an `X-Claap-Key` (the tenant is the key), and the rate-limit
        headers its call answers with; `Unauthorized` or `RateLimited` otherwise."""
        if not self.accepts_key(key):
            raise errors.Unauthorized()
        if not self.mock.config.rate_limits:
            return key, {}
        return key, self.rate_limit(key, endpoint)

    def accepts_key(self, key: str) -> bool:
        return well_formed(key) and self.mock.credentials.accepts(self.name, key)

    def rate_limit(self, tenant: str, endpoint: str) -> dict[str, str]:
        """3 calls a second per endpoint with bursts, and 3000 calls a rolling day, per
        workspace: the call is counted, or `RateLimited` with the same headers."""
        now = self.mock.now()
        limits = self.mock.limits
        with limits.lock:
            bucket = limits.bucket((self.name, tenant, endpoint), RATE_PER_SECOND, RATE_BURST, now)
            daily = limits.window((self.name, tenant, "daily"), DAILY_CALLS, DAILY_WINDOW)
            daily_left = daily.remaining(now)
            allowed = daily_left > 0
            burst_left = 0
            if allowed:
                allowed, burst_left = bucket.take(now)
            if allowed:
                _, daily_left = daily.take(now)
        headers = {
            "X-RateLimit-Limit": str(RATE_PER_SECOND),
            "X-RateLimit-Remaining": str(burst_left),
            "X-RateLimit-Daily-Remaining": str(daily_left),
            "X-Daily-RateLimit-Remaining": str(daily_left),
        }
        if not allowed:
            raise errors.RateLimited(headers=headers)
        return headers

    # -- recordings ----------------------------------------------------------------------

    def create_recording(self, tenant: str, data: dict[str, Any], base_url: str) -> Recording:
        """A new recording, Empty, counted against the 30-day quota. With a
        `downloadUrl` the mock fetches the payload itself, in the background."""
        now = self.mock.now()
        if self.mock.config.quotas:
            quota = (self.name, tenant, "quota")
            allowed, _ = self.mock.limits.take_window(quota, QUOTA, QUOTA_WINDOW, now)
            if not allowed:
                raise errors.QuotaExceeded()
        ids = self.mock.ids
        with self.mock.store.atomic():
            workspace = self._workspace(tenant)
            faker = self.mock.fake
            recording = Recording(
                id=ids.alnum(21),
                title=data.get("title") or "Untitled",
                created_at=now,
                updated_at=now,
                base_url=base_url,
                workspace=workspace.to_json(),
                recorder=fake.recorder(workspace, data["authorEmail"], ids, faker),
                channel=fake.channel(workspace, data.get("channelId"), faker),
                source=data.get("source") or "Api",
                meeting=fake.meeting(data.get("meeting"), data["authorEmail"], ids, faker),
                deal=fake.deal(data.get("deal"), faker),
                crm=data["deal"]["type"] if data.get("deal") else None,
                download_url=data.get("downloadUrl"),
                upload_token=secrets.token_urlsafe(16),
                transcript_upload_token=secrets.token_urlsafe(16)
                if data.get("transcript")
                else None,
            )
            self.recordings.put(tenant, recording)
        if recording.download_url:
            url, limit = recording.download_url, self.mock.config.max_media_bytes
            deadline = self.mock.config.option(self.name, "download_timeout_s", DOWNLOAD_DEADLINE_S)
            self.mock.in_background(
                self.name,
                lambda: download(url, limit, deadline),
                lambda outcome: self._payload_fetched(recording.id, outcome),
            )
        return recording

    def list_recordings(
        self, tenant: str, query: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the workspace's recordings as Claap shows them, filtered and
        sorted as `query` says, and the cursor of the next page (None at the end)."""
        with self.mock.store.atomic():
            page, next_cursor = listing.page(self.recordings.all(tenant), query)
            return [r.to_json(self.file_url) for r in page], next_cursor

    def read_recording(self, tenant: str, recording_id: str) -> dict[str, Any]:
        """The recording as the read found it. Only then does the read count toward
        an `after_reads` step, which may move it on."""
        with self.mock.store.atomic():  # never half a transition
            shown = self.recording(tenant, recording_id).to_json(self.file_url)
        self.mock.lifecycles.note_read(self.lifecycle_key(recording_id))
        return shown

    def recording(self, tenant: str, recording_id: str) -> Recording:
        recording = self.recordings.get(tenant, recording_id)
        if recording is None:
            raise errors.RecordingNotFound()
        return recording

    def delete_recording(self, tenant: str, recording_id: str) -> None:
        with self.mock.store.atomic():
            recording = self.recordings.delete(tenant, recording_id)
            if recording is None:
                raise errors.RecordingNotFound()
            self.mock.lifecycles.forget(self.lifecycle_key(recording_id))
        self.mock.media.delete(recording.media_key)
        self.mock.media.delete(f"{recording.media_key}/transcript")

    def transcript_of(self, recording: Recording, form: str) -> bytes | str | dict[str, Any]:
        """The transcript as text (`mm:ss speaker: text` lines; an uploaded one as it
        came) or as Claap's JSON; `TranscriptNotFound` until the recording is Ready."""
        if not has_transcript(recording):
            raise errors.TranscriptNotFound()
        if form == "text":
            uploaded = self.mock.media.get(f"{recording.media_key}/transcript")
            if uploaded:
                return uploaded.data
            return fake.as_text(recording.transcript)
        return {"result": {"segments": recording.transcript, "languageCode": "en"}}

    def ready_video_url(self, recording_id: str) -> str:
        """Where a Ready recording's `url` (the app link) leads: its signed video URL."""
        found = self.recordings.find(recording_id)
        if found is None or found.record.state != "Ready":
            raise errors.RecordingNotFound()
        return str(found.record.to_json(self.file_url)["video"]["url"])

    # -- the URLs the API hands out -----------------------------------------------------

    def file_url(self, recording: Recording, name: str) -> str:
        path = f"/files/{recording.id}/{name}"
        return self.signed_url(recording.base_url, path, SIGNED_URL_LIFETIME)

    def presigned(
        self, recording_id: str, signature: str, token_of: Callable[[Recording], str | None]
    ) -> Recording:
        """A recording reached through a pre-signed URL (`?signature=`), any workspace."""
        found = self.recordings.find(recording_id)
        if found is None or not signature:
            raise errors.NotFound("The URL is not valid")
        expected = token_of(found.record)
        if not expected or not secrets.compare_digest(expected, signature):
            raise errors.NotFound("The URL is not valid")
        return found.record

    def receive_payload(self, recording: Recording, data: bytes | None) -> None:
        """The upload URL's PUT: one payload per recording, at most 2 GiB."""
        if recording.download_url:
            raise errors.BadRequest("This recording takes its payload from downloadUrl")
        if recording.payload_received:
            raise errors.BadRequest("The payload of this recording was already received")
        if data is None:
            raise errors.PayloadTooLarge("The payload is larger than 2 GiB")
        self._payload_arrived(recording.id, data)

    def receive_transcript(self, recording: Recording, data: bytes | None) -> None:
        if data is None:
            raise errors.PayloadTooLarge()
        self.mock.media.put(f"{recording.media_key}/transcript", Blob(data, "text/plain"))

    def file(
        self, recording_id: str, name: str, verdict: str
    ) -> Blob | bytes | str | dict[str, Any]:
        """A signed link's file (video, thumbnail, transcripts): they need no key and
        expire 24 hours after they were handed out. A transcript comes as text or JSON."""
        if verdict == "expired":
            raise errors.LinkExpired()
        if verdict != "valid":
            raise errors.LinkInvalid()
        found = self.recordings.find(recording_id)
        if found is None:
            raise errors.NotFound("File was not found")
        recording = found.record
        if name == "thumbnail.png":
            return Blob(THUMBNAIL_PNG, "image/png", name)
        if name in ("transcript.json", "transcript.txt") and has_transcript(recording):
            return self.transcript_of(recording, "json" if name.endswith("json") else "text")
        blob = self.mock.media.get(recording.media_key)
        if blob is None or name != blob.filename:
            raise errors.NotFound("File was not found")
        return blob

    # -- what Claap's people and support do (vendor actions) -----------------------------

    def set_webhook(self, workspace: str, url: object, secret: object) -> WebhookTarget:
        """Where the workspace's webhooks go (or every workspace's, `ALL_TENANTS`); one
        webhook a workspace. ValueError for a URL or secret Claap would not take."""
        if not isinstance(url, str) or not is_http_url(url):
            raise ValueError("url: an http(s) URL is required")
        if secret is None:
            secret = secrets.token_urlsafe(24)
        if not isinstance(secret, str) or not secret:
            raise ValueError("secret: a non-empty string")
        target = WebhookTarget(id=self.mock.ids.alnum(21), url=url, secret=secret)
        with self.mock.store.atomic():
            self.remove_webhook(workspace)
            self.webhook_targets.put(workspace, target)
        return target

    def webhooks(self) -> list[dict[str, str]]:
        with self.mock.store.atomic():
            return [
                target.to_json(tenant)
                for tenant in self.webhook_targets.tenants()
                for target in self.webhook_targets.all(tenant)
            ]

    def remove_webhook(self, workspace: str) -> None:
        with self.mock.store.atomic():
            for old in self.webhook_targets.all(workspace):
                self.webhook_targets.delete(workspace, old.id)

    def edit_recording(
        self, workspace: str, recording_id: str, title: object, labels: object
    ) -> dict[str, Any]:
        """A person edits a recording in Claap's app (title, labels): Claap sends
        `recording_updated` for a recording it already announced. LookupError for a
        recording not in `workspace` (any, for `ALL_TENANTS`), ValueError for values
        Claap's app would not take."""
        if title is not None and not isinstance(title, str):
            raise ValueError("title: a string")
        if labels is not None and not (
            isinstance(labels, list) and all(isinstance(x, str) for x in labels)
        ):
            raise ValueError("labels: a list of strings")
        now = self.mock.now()
        with self.mock.store.atomic():
            found = self.recordings.find(recording_id)
            if found is None or workspace not in (ALL_TENANTS, found.tenant):
                raise LookupError(f"No Claap recording {recording_id!r} in this workspace")
            tenant, recording = found
            if title is not None:
                recording.title = title or "Untitled"
            if labels is not None:
                recording.labels = labels
            recording.updated_at = now
            if recording.announced:
                self._notify(tenant, recording, "recording_updated", now)
            return recording.to_json(self.file_url)

    def _workspace(self, tenant: str) -> Workspace:
        """The key's workspace, made (with a company's name) at its first recording."""
        existing = self.workspaces.all(tenant)
        if existing:
            return existing[0]
        workspace = Workspace(id=self.mock.ids.alnum(21), name=self.mock.fake.company())
        self.workspaces.put(tenant, workspace)
        return workspace

    # -- lifecycle: Empty -> Uploaded -> Ready | Failed ---------------------------------

    def after_load(self) -> None:
        """A dump holds no running lifecycles: recordings caught mid-processing finish
        one processing time after the load, so a restarted mock does not strand them."""
        with self.mock.store.atomic():
            for tenant in self.recordings.tenants():
                for recording in self.recordings.all(tenant):
                    if recording.state == "Uploaded":
                        stored = self.mock.media.get(recording.media_key)
                        outcome = "Ready" if stored else "Failed"
                        self.start_lifecycle(recording.id, [Step(outcome, after=PROCESSING_TIME)])

    def _payload_fetched(self, recording_id: str, outcome: bytes | str) -> None:
        if isinstance(outcome, bytes):
            self._payload_arrived(recording_id, outcome)
        else:
            self._payload_failed(recording_id, outcome)

    def _payload_arrived(self, recording_id: str, data: bytes) -> None:
        with self.mock.store.atomic():
            found = self.recordings.find(recording_id)
            if found is None or found.record.payload_received:
                return
            recording = found.record
            recording.payload_received = True
            media_format = sniff_format(data)
            if media_format:
                recording.media_format = media_format
                blob = Blob(data, CONTENT_TYPES[media_format], f"video.{media_format}")
                self.mock.media.put(recording.media_key, blob)
            else:
                recording.failure_reason = (
                    "the payload is none of aac, avi, mp3, mp4, wav, webm, wmv"
                )
            outcome = "Ready" if media_format else "Failed"
            default = [Step("Uploaded"), Step(outcome, after=PROCESSING_TIME)]
            shown = recording.to_json(self.file_url)
            scripted = self.mock.scripts.timeline_for(self.name, "recording", shown)
            self.start_lifecycle(recording_id, scripted or default)

    def _payload_failed(self, recording_id: str, reason: str) -> None:
        with self.mock.store.atomic():
            found = self.recordings.find(recording_id)
            if found is None:
                return
            found.record.payload_received = True
            found.record.failure_reason = reason
            self.start_lifecycle(recording_id, [Step("Failed")])

    def enter_state(self, resource_id: str, state: str, at: datetime) -> str | None:
        with self.mock.store.atomic():
            found = self.recordings.find(resource_id)
            if found is None:
                return None
            tenant, recording = found
            if state == "Ready":
                self._finish_processing(recording)
            recording.state = state
            recording.updated_at = at
            if state == "Ready":
                event = "recording_updated" if recording.announced else "recording_added"
                self._notify(tenant, recording, event, at)
            elif recording.announced:
                self._notify(tenant, recording, "recording_updated", at)
        return f"claap recording {resource_id} is {state}"

    def _finish_processing(self, recording: Recording) -> None:
        """What Claap's transcoding, transcription and analysis produce."""
        if recording.transcript:
            return
        faker = self.mock.fake
        meeting = recording.meeting or {}
        if meeting.get("startingAt") and meeting.get("endingAt"):
            span = parse_instant(meeting["endingAt"]) - parse_instant(meeting["startingAt"])
            recording.duration_seconds = max(1, int(span.total_seconds()))
        else:
            recording.duration_seconds = self.mock.ids.number(60, 3600)
        speakers = [p["name"] for p in meeting.get("participants", []) if p.get("name")]
        speakers = speakers or [recording.recorder["name"], faker.name()]
        recording.transcript = fake.transcript(faker, speakers, recording.duration_seconds)
        external = sorted(
            {
                p["email"].split("@")[1]
                for p in meeting.get("participants", [])
                if p.get("email") and meeting.get("type") == "external"
            }
        )
        company_ids = [self.mock.ids.alnum(21) for _ in external]
        recording.insights = fake.insights(faker, company_ids, external)

    def _notify(self, tenant: str, recording: Recording, event: str, at: datetime) -> None:
        targets = self.webhook_targets.all(tenant) or self.webhook_targets.all(ALL_TENANTS)
        target = targets[0] if targets else None
        if event == "recording_added":
            recording.announced = True
        if target is None:
            return
        payload = {
            "eventId": self.mock.ids.alnum(21),
            "event": {"type": event, "recording": recording.to_json(self.file_url)},
        }
        self.mock.outbox.send(
            Delivery(
                vendor=self.name,
                event=event,
                url=target.url,
                body=json.dumps(payload).encode(),
                payload=payload,
                headers={
                    "X-Claap-Webhook-Id": target.id,
                    "X-Claap-Webhook-Secret": target.secret,
                },
                timeout=WEBHOOK_TIMEOUT_S,
                retry_delays=WEBHOOK_RETRIES,
            ),
            at,
        )


def well_formed(key: str) -> bool:
    return key.startswith("cla_") and len(key) > 4 and key.isprintable() and " " not in key


def has_transcript(recording: Recording) -> bool:
    return recording.state == "Ready" and bool(recording.transcript)


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        return False
