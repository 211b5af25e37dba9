"""The Claap API's operations, one handler each, named like Claap's own."""

from __future__ import annotations

import base64
import binascii
import io
import json
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from werkzeug import exceptions as http  # vendor actions answer in the control API's shape
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Response

from recmock.media import Blob
from recmock.mock import RecMock
from recmock.openapi import RouteDoc
from recmock.scripts import Step
from recmock.timeutil import iso_millis, parse_instant
from recmock.validation import first_problem, shared_schema
from recmock.vendor import Vendor
from recmock.vendors.claap import errors
from recmock.vendors.claap.actions import ClaapActions
from recmock.vendors.claap.formats import CONTENT_TYPES, sniff_format
from recmock.vendors.claap.models import Recording, WebhookTarget, Workspace
from recmock.vendors.claap.routes import ACTIONS, API
from recmock.vendors.claap.schemas import (
    CreateRecordingSchema,
    ListRecordingsQuerySchema,
    TranscriptQuerySchema,
)
from recmock.web import (
    VendorRequest,
    json_body,
    json_bytes,
    json_bytes_response,
    json_object,
    json_response,
    no_content,
    read_stream,
)
from recmock.webhooks import Delivery

STATES = ["Empty", "Uploaded", "Ready", "Failed"]
PROCESSING_TIME = timedelta(seconds=10)
QUOTA = 50
QUOTA_WINDOW = timedelta(days=30)
RATE_PER_SECOND = 3
RATE_BURST = 20  # the documented example shows X-RateLimit-Remaining: 20
DAILY_CALLS = 3000
WEBHOOK_TIMEOUT_S = 5.0
SIGNED_URL_LIFETIME = timedelta(hours=24)
WEBHOOK_RETRIES = [timedelta(0), timedelta(minutes=1), timedelta(minutes=5)]
ALL_TENANTS = "*"

# A 1x1 PNG: what thumbnailUrl serves.
THUMBNAIL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


class ClaapVendor(Vendor):
    name = "claap"
    mount = "/claap"
    hosts = ("api.claap.io",)
    domains = ("claap.io",)
    api_base = "/v1"
    routes = API
    action_routes = ACTIONS
    actions_type = ClaapActions
    record_types = (Recording, Workspace, WebhookTarget)
    script_states = {"recording": STATES}
    route_docs = {
        "create_recording": RouteDoc(body=CreateRecordingSchema),
        "list_recordings": RouteDoc(query=ListRecordingsQuerySchema),
        "get_recording_transcript": RouteDoc(query=TranscriptQuerySchema),
        "upload_payload": RouteDoc(media_type="application/octet-stream"),
    }

    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock)
        self.recordings = self.tables[Recording]
        self.workspaces = self.tables[Workspace]
        self.webhook_targets = self.tables[WebhookTarget]

    def http_error(self, status: int, message: str) -> errors.ClaapError:
        return errors.for_status(status, message)

    def after_load(self) -> None:
        """A dump holds no running lifecycles: recordings caught mid-processing finish
        one processing time after the load, so a restarted mock does not strand them."""
        with self.mock.store.atomic():
            for tenant in self.recordings.tenants():
                for recording in self.recordings.all(tenant):
                    if recording.state == "Uploaded":  # type: ignore[attr-defined]
                        stored = self.mock.media.get(recording.media_key)  # type: ignore[attr-defined]
                        outcome = "Ready" if stored else "Failed"
                        self.start_lifecycle(recording.id, [Step(outcome, after=PROCESSING_TIME)])

    # -- the REST API ----------------------------------------------------------------

    def create_recording(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request, "create_recording")
        body = json_body(request)
        if not isinstance(body, dict):
            raise errors.ValidationError("Value is not a valid object")
        data = _load(CreateRecordingSchema, body)
        now = self.mock.now()
        if self.mock.config.quotas:
            quota = (self.name, tenant, "quota")
            allowed, _ = self.mock.limits.take_window(quota, QUOTA, QUOTA_WINDOW, now)
            if not allowed:
                raise errors.QuotaExceeded()
        with self.mock.store.atomic():
            workspace = self._workspace(tenant)
            recording = Recording(
                id=self.mock.ids.alnum(21),
                title=data.get("title") or "Untitled",
                created_at=now,
                updated_at=now,
                base_url=self.base_url(request),
                workspace=workspace.to_json(),
                recorder=self._recorder(workspace, data["authorEmail"]),
                channel=self._channel(workspace, data.get("channelId")),
                source=data.get("source") or "Api",
                meeting=self._meeting(data.get("meeting"), data["authorEmail"]),
                deal=self._deal(data.get("deal")),
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
            deadline = self.mock.config.option(self.name, "download_timeout_s", 300.0)
            self.mock.in_background(
                self.name,
                lambda: _download(url, limit, deadline),
                lambda outcome: self._payload_fetched(recording.id, outcome),
            )
        return json_response({"result": {"recording": recording.to_created_json(self._file_url)}})

    def list_recordings(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request, "list_recordings")
        query = _load(ListRecordingsQuerySchema, request.args.to_dict())
        with self.mock.store.atomic():
            return self._list_page(tenant, query)

    def _list_page(self, tenant: str, query: dict[str, Any]) -> Response:
        matches = [r for r in self.recordings.all(tenant) if _listed(r, query)]
        sort_key = _SORT_KEYS[query["sort"].rsplit("_", 1)[0]]
        descending = query["sort"].endswith("_desc")
        matches.sort(key=sort_key, reverse=descending)
        if "cursor" in query:
            last = _decode_cursor(query["cursor"], query["sort"])
            matches = [
                r for r in matches if (sort_key(r) < last if descending else sort_key(r) > last)
            ]
        page = matches[: query["limit"]]
        next_cursor = None
        if len(matches) > len(page):
            next_cursor = _encode_cursor(query["sort"], sort_key(page[-1]))
        return json_response(
            {
                "result": {
                    "recordings": [r.to_json(self._file_url) for r in page],
                    "pagination": {"nextCursor": next_cursor},
                }
            }
        )

    def get_recording(self, request: VendorRequest, recording_id: str) -> Response:
        """The read a client polls until its recording is Ready."""
        tenant = self._authenticate(request, "get_recording")
        ai_fields = request.args.get("returnAiFields", "").lower() in ("true", "1")
        return json_bytes_response(self._recording_answer(tenant, recording_id, ai_fields))

    def delete_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request, "delete_recording")
        with self.mock.store.atomic():
            recording = self.recordings.delete(tenant, recording_id)
            if recording is None:
                raise errors.RecordingNotFound()
            self.mock.lifecycles.forget(self.lifecycle_key(recording_id))
        self.mock.media.delete(recording.media_key)  # type: ignore[attr-defined]
        self.mock.media.delete(f"{recording.media_key}/transcript")  # type: ignore[attr-defined]
        return json_response({"result": {"ok": True}})

    def get_recording_transcript(self, request: VendorRequest, recording_id: str) -> Response:
        """JSON `{"result": {"segments": [...], "languageCode"}}` or, with `format=text`,
        one `mm:ss speaker: text` line per segment. The mock has the original language
        only; asking for a translation (`lang`) it does not have is a 404, as at Claap."""
        tenant = self._authenticate(request, "get_recording_transcript")
        recording = self._recording(tenant, recording_id)
        query = _load(TranscriptQuerySchema, request.args.to_dict())
        if not self._has_transcript(recording) or query.get("lang", "en") != "en":
            raise errors.TranscriptNotFound()
        return self._transcript_answer(recording, query["format"])

    # -- the URLs the API hands out ----------------------------------------------------

    def upload_payload(self, request: VendorRequest, recording_id: str) -> Response:
        recording = self._presigned(request, recording_id, lambda r: r.upload_token)
        if recording.download_url:
            raise errors.BadRequest("This recording takes its payload from downloadUrl")
        if recording.payload_received:
            raise errors.BadRequest("The payload of this recording was already received")
        data = read_stream(request, self.mock.config.max_media_bytes)
        if data is None:
            raise errors.PayloadTooLarge("The payload is larger than 2 GiB")
        self._payload_arrived(recording_id, data)
        return Response(b"", status=200, mimetype="text/plain")

    def upload_transcript(self, request: VendorRequest, recording_id: str) -> Response:
        recording = self._presigned(request, recording_id, lambda r: r.transcript_upload_token)
        data = read_stream(request, self.mock.config.max_body_bytes)
        if data is None:
            raise errors.PayloadTooLarge()
        self.mock.media.put(f"{recording.media_key}/transcript", Blob(data, "text/plain"))
        return Response(b"", status=200, mimetype="text/plain")

    def download_file(self, request: VendorRequest, recording_id: str, name: str) -> Response:
        """The signed URLs Claap hands out (video, thumbnail, transcripts): they need no
        API key and expire 24 hours after they were issued."""
        verdict = self.link_verdict(request, f"/files/{recording_id}/{name}")
        if verdict == "expired":
            raise errors.LinkExpired()
        if verdict != "valid":
            raise errors.LinkInvalid()
        found = self.recordings.find(recording_id)
        if found is None:
            raise errors.NotFound("File was not found")
        recording: Recording = found[1]  # type: ignore[assignment]
        if name == "thumbnail.png":
            return Response(THUMBNAIL_PNG, mimetype="image/png")
        if name in ("transcript.json", "transcript.txt") and self._has_transcript(recording):
            return self._transcript_answer(recording, "json" if name.endswith("json") else "text")
        blob = self.mock.media.get(recording.media_key)
        if blob is None or name != blob.filename:
            raise errors.NotFound("File was not found")
        # send_file answers Range requests, as a CDN does for video players.
        return send_file(
            io.BytesIO(blob.data), request.environ, mimetype=blob.content_type, conditional=True
        )

    def open_recording(self, request: VendorRequest, recording_id: str) -> Response:
        """The recording's `url`: in the app it plays the video; here it redirects to it."""
        found = self.recordings.find(recording_id)
        if found is None or found[1].state != "Ready":
            raise errors.RecordingNotFound()
        return redirect(found[1].to_json(self._file_url)["video"]["url"], 302)

    # -- vendor actions (/_recmock/vendors/claap) --------------------------------------

    def configure_webhook(self, request: VendorRequest) -> Response:
        """Claap's support registers a webhook per workspace; here a test does. With an
        X-Claap-Key it is that workspace's; without, it serves every workspace."""
        tenant = self._action_tenant(request)
        body = json_object(request)
        url = body.get("url")
        if not isinstance(url, str) or not _is_http_url(url):
            raise http.BadRequest("url: an http(s) URL is required")
        secret = body.get("secret", secrets.token_urlsafe(24))
        if not isinstance(secret, str) or not secret:
            raise http.BadRequest("secret: a non-empty string")
        target = WebhookTarget(id=self.mock.ids.alnum(21), url=url, secret=secret)
        with self.mock.store.atomic():
            self._drop_webhook_targets(tenant)  # one webhook per workspace
            self.webhook_targets.put(tenant, target)
        return json_response({"webhook": target.to_json(tenant)})

    def list_webhooks(self, request: VendorRequest) -> Response:
        with self.mock.store.atomic():
            targets = [
                target.to_json(tenant)  # type: ignore[attr-defined]
                for tenant in self.webhook_targets.tenants()
                for target in self.webhook_targets.all(tenant)
            ]
        return json_response({"webhooks": targets})

    def remove_webhook(self, request: VendorRequest) -> Response:
        tenant = self._action_tenant(request)
        with self.mock.store.atomic():
            self._drop_webhook_targets(tenant)
        return no_content()

    def _drop_webhook_targets(self, tenant: str) -> None:
        for old in self.webhook_targets.all(tenant):
            self.webhook_targets.delete(tenant, old.id)

    def edit_recording(self, request: VendorRequest, recording_id: str) -> Response:
        """A person edits a recording in Claap's app (title, labels): Claap sends
        `recording_updated` for a recording it already announced."""
        workspace = self._action_tenant(request)
        body = json_object(request)
        title, labels = body.get("title"), body.get("labels")
        if title is not None and not isinstance(title, str):
            raise http.BadRequest("title: a string")
        if labels is not None and not (
            isinstance(labels, list) and all(isinstance(x, str) for x in labels)
        ):
            raise http.BadRequest("labels: a list of strings")
        now = self.mock.now()
        with self.mock.store.atomic():
            found = self.recordings.find(recording_id)
            if found is None or workspace not in (ALL_TENANTS, found[0]):
                raise http.NotFound(f"No Claap recording {recording_id!r} in this workspace")
            tenant, recording = found
            if title is not None:
                recording.title = title or "Untitled"
            if labels is not None:
                recording.labels = labels
            recording.updated_at = now
            if recording.announced:
                self._notify(tenant, recording, "recording_updated", now)
        return json_response({"result": {"recording": recording.to_json(self._file_url)}})

    # -- lifecycle: Empty -> Uploaded -> Ready | Failed ---------------------------------

    def _payload_fetched(self, recording_id: str, outcome: bytes | str) -> None:
        if isinstance(outcome, bytes):
            self._payload_arrived(recording_id, outcome)
        else:
            self._payload_failed(recording_id, outcome)

    def _payload_arrived(self, recording_id: str, data: bytes) -> None:
        with self.mock.store.atomic():
            found = self.recordings.find(recording_id)
            if found is None or found[1].payload_received:
                return
            recording = found[1]
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
            shown = recording.to_json(self._file_url)
            scripted = self.mock.scripts.timeline_for(self.name, "recording", shown)
            self.start_lifecycle(recording_id, scripted or default)

    def _payload_failed(self, recording_id: str, reason: str) -> None:
        with self.mock.store.atomic():
            found = self.recordings.find(recording_id)
            if found is None:
                return
            found[1].payload_received = True
            found[1].failure_reason = reason
            self.start_lifecycle(recording_id, [Step("Failed")])

    def enter_state(self, recording_id: str, state: str, at: datetime) -> str | None:
        with self.mock.store.atomic():
            found = self.recordings.find(recording_id)
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
        return f"claap recording {recording_id} is {state}"

    def _finish_processing(self, recording: Recording) -> None:
        """What Claap's transcoding, transcription and analysis produce."""
        if recording.transcript:
            return
        fake = self.mock.fake
        meeting = recording.meeting or {}
        if meeting.get("startingAt") and meeting.get("endingAt"):
            span = parse_instant(meeting["endingAt"]) - parse_instant(meeting["startingAt"])
            recording.duration_seconds = max(1, int(span.total_seconds()))
        else:
            recording.duration_seconds = self.mock.ids.number(60, 3600)
        speakers = [p["name"] for p in meeting.get("participants", []) if p.get("name")]
        speakers = speakers or [recording.recorder["name"], fake.name()]
        recording.transcript = _transcript(fake, speakers, recording.duration_seconds)
        external = {p["email"].split("@")[1] for p in meeting.get("participants", [])
                    if p.get("email") and meeting.get("type") == "external"}  # fmt: skip
        recording.insights = {
            "actionItems": [
                {
                    "items": [
                        {"isChecked": False, "description": fake.sentence(nb_words=8)}
                        for _ in range(3)
                    ],
                    "langIso2": "en",
                }
            ],
            "companies": [
                {"id": self.mock.ids.alnum(21), "name": domain.split(".")[0].capitalize()}
                for domain in sorted(external)
            ],
            "keyTakeaways": [{"langIso2": "en", "text": fake.paragraph(nb_sentences=3)}],
            "outlines": [{"langIso2": "en", "text": fake.paragraph(nb_sentences=4)}],
        }

    def _notify(self, tenant: str, recording: Recording, event: str, at: datetime) -> None:
        targets = self.webhook_targets.all(tenant) or self.webhook_targets.all(ALL_TENANTS)
        target: WebhookTarget | None = targets[0] if targets else None  # type: ignore[assignment]
        if event == "recording_added":
            recording.announced = True
        if target is None:
            return
        payload = {
            "eventId": self.mock.ids.alnum(21),
            "event": {"type": event, "recording": recording.to_json(self._file_url)},
        }
        self.mock.outbox.send(
            _delivery(self.name, event, target, payload),
            at,
        )

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest, endpoint: str) -> str:
        """Authenticate (X-Claap-Key) and apply Claap's rate limits; the tenant is the key."""
        key = request.headers.get("X-Claap-Key", "")
        if not self._accepts_key(key):
            raise errors.Unauthorized()
        if self.mock.config.rate_limits:
            self._rate_limit(request, key, endpoint)
        return key

    def _rate_limit(self, request: VendorRequest, tenant: str, endpoint: str) -> None:
        """3 calls a second per endpoint with bursts, and 3000 calls a rolling day, per
        workspace (docs.claap.io api-reference/rate_limiting)."""
        now = self.mock.now()
        with self.mock.limits.lock:
            bucket = self.mock.limits.bucket(
                (self.name, tenant, endpoint), RATE_PER_SECOND, RATE_BURST, now
            )
            daily = self.mock.limits.window(
                (self.name, tenant, "daily"), DAILY_CALLS, timedelta(days=1)
            )
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

        request.after_answer(lambda response: response.headers.update(headers))

    def _accepts_key(self, key: str) -> bool:
        return _well_formed(key) and self.mock.credentials.accepts(self.name, key)

    def _recording_answer(self, tenant: str, recording_id: str, ai_fields: bool) -> bytes:
        """A recording read's JSON body: the recording as the read found it. Only then
        does the read count toward an `after_reads` step, which may move it on."""
        with self.mock.store.atomic():  # never half a transition
            shown = self._recording(tenant, recording_id).to_json(self._file_url)
        if ai_fields:
            shown["aiFields"] = []
        body = json_bytes({"result": {"recording": shown}})
        self.mock.lifecycles.note_read(self.lifecycle_key(recording_id))
        return body

    def _recording(self, tenant: str, recording_id: str) -> Recording:
        recording = self.recordings.get(tenant, recording_id)
        if recording is None:
            raise errors.RecordingNotFound()
        return recording  # type: ignore[return-value]

    def _presigned(
        self, request: VendorRequest, recording_id: str, token_of: Callable[[Recording], str | None]
    ) -> Recording:
        """A recording reached through a pre-signed URL (`?signature=`), any workspace."""
        found = self.recordings.find(recording_id)
        signature = request.args.get("signature", "")
        if found is None or not signature:
            raise errors.NotFound("The URL is not valid")
        expected = token_of(found[1])  # type: ignore[arg-type]
        if not expected or not secrets.compare_digest(expected, signature):
            raise errors.NotFound("The URL is not valid")
        return found[1]  # type: ignore[return-value]

    def _workspace(self, tenant: str) -> Workspace:
        existing = self.workspaces.all(tenant)
        if existing:
            return existing[0]  # type: ignore[return-value]
        workspace = Workspace(id=self.mock.ids.alnum(21), name=self.mock.fake.company())
        self.workspaces.put(tenant, workspace)
        return workspace

    def _recorder(self, workspace: Workspace, email: str) -> dict[str, Any]:
        user = workspace.users.get(email.lower())
        if user is None:
            user = {"id": self.mock.ids.alnum(21), "name": _name_from_email(email, self.mock.fake)}
            workspace.users[email.lower()] = user
        return {"attended": True, "email": email, "id": user["id"], "name": user["name"]}

    def _channel(self, workspace: Workspace, channel_id: str | None) -> dict[str, str] | None:
        if channel_id is None:
            return None
        if channel_id not in workspace.channels:
            workspace.channels[channel_id] = self.mock.fake.catch_phrase()
        return {"id": channel_id, "name": workspace.channels[channel_id]}

    def _action_tenant(self, request: VendorRequest) -> str:
        """The workspace a vendor action acts for: its X-Claap-Key, or every one."""
        key = request.headers.get("X-Claap-Key")
        if key is None:
            return ALL_TENANTS
        if not _well_formed(key) or not self.mock.credentials.accepts(self.name, key):
            raise http.Unauthorized("X-Claap-Key: not a key this mock accepts")
        return key

    def _file_url(self, recording: Recording, name: str) -> str:
        path = f"/files/{recording.id}/{name}"
        return self.signed_url(recording.base_url, path, SIGNED_URL_LIFETIME)

    def _has_transcript(self, recording: Recording) -> bool:
        return recording.state == "Ready" and bool(recording.transcript)

    def _transcript_answer(self, recording: Recording, form: str) -> Response:
        if form == "text":
            uploaded = self.mock.media.get(f"{recording.media_key}/transcript")
            if uploaded:
                return Response(uploaded.data, mimetype="text/plain")
            return Response(_as_text(recording.transcript), mimetype="text/plain")
        return json_response({"result": {"segments": recording.transcript, "languageCode": "en"}})

    def _meeting(self, meeting: dict[str, Any] | None, author: str) -> dict[str, Any] | None:
        """The meeting as Claap answers it: startingAt/endingAt, participants with ids,
        and `type` external when someone outside the author's domain took part."""
        if meeting is None:
            return None
        domain = author.rsplit("@", 1)[-1].lower()
        participants = [
            {
                "attended": True,
                "email": p.get("email"),
                "id": self.mock.ids.alnum(21),
                "name": p.get("name") or _name_from_email(p.get("email") or "", self.mock.fake),
            }
            for p in meeting.get("participants", [])
        ]
        external = any(
            p["email"] and p["email"].rsplit("@", 1)[-1].lower() != domain for p in participants
        )
        shown: dict[str, Any] = {"type": "external" if external else "internal"}
        if "startedAt" in meeting:
            shown["startingAt"] = iso_millis(meeting["startedAt"])
        if "endedAt" in meeting:
            shown["endingAt"] = iso_millis(meeting["endedAt"])
        shown["participants"] = participants
        return shown

    def _deal(self, deal: dict[str, str] | None) -> dict[str, str] | None:
        if deal is None:
            return None
        return {"id": deal["id"], "name": f"{self.mock.fake.company()} deal"}


def _download(url: str, limit: int, deadline_s: float) -> bytes | str:
    """GET a downloadUrl as Claap does: the bytes, or why it failed (an error status,
    unreachable, more than `limit` bytes, longer than `deadline_s`)."""
    import requests  # here, not at start-up: it is slow to import

    from recmock.outbound import OutboundSession

    started = time.monotonic()
    chunks: list[bytes] = []
    size = 0
    try:
        with (
            OutboundSession() as session,
            session.get(url, stream=True, timeout=(10, 30)) as answer,
        ):
            if answer.status_code >= 400:
                return f"downloadUrl answered {answer.status_code}"
            for chunk in answer.iter_content(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    return "downloadUrl gave more than the 2 GiB limit"
                if time.monotonic() - started > deadline_s:
                    return "downloadUrl took over 5 minutes"
                chunks.append(chunk)
    except requests.RequestException as exc:
        return f"downloadUrl unreachable: {type(exc).__name__}"
    return b"".join(chunks)


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        return False


def _delivery(vendor: str, event: str, target: WebhookTarget, payload: dict) -> Delivery:
    return Delivery(
        vendor=vendor,
        event=event,
        url=target.url,
        body=json.dumps(payload).encode(),
        payload=payload,
        headers={"X-Claap-Webhook-Id": target.id, "X-Claap-Webhook-Secret": target.secret},
        timeout=WEBHOOK_TIMEOUT_S,
        retry_delays=WEBHOOK_RETRIES,
    )


def _well_formed(key: str) -> bool:
    return key.startswith("cla_") and len(key) > 4 and key.isprintable() and " " not in key


def _load(schema: type[Schema], data: Any) -> dict[str, Any]:
    try:
        return shared_schema(schema).load(data)
    except SchemaError as exc:
        path, message = first_problem(exc.messages)
        raise errors.ValidationError(message, path=".".join(path) or None) from None


def _listed(recording: Recording, query: dict[str, Any]) -> bool:
    if "channelId" in query and (recording.channel or {}).get("id") != query["channelId"]:
        return False
    if "createdAfter" in query and recording.created_at < query["createdAfter"]:
        return False
    if "createdBefore" in query and recording.created_at >= query["createdBefore"]:
        return False
    if (
        "recorderEmail" in query
        and recording.recorder["email"].lower() != query["recorderEmail"].lower()
    ):
        return False
    if "recorderId" in query and recording.recorder["id"] != query["recorderId"]:
        return False
    if "labels" in query:
        wanted = {label.strip() for label in query["labels"].split(",") if label.strip()}
        if wanted and not wanted & set(recording.labels):
            return False
    return True


_SORT_KEYS: dict[str, Callable[[Recording], tuple]] = {
    "created": lambda r: (r.created_at.isoformat(), r.id),
    "duration": lambda r: (r.duration_seconds if r.duration_seconds is not None else -1, r.id),
    "title": lambda r: (r.title.lower(), r.id),
}


def _encode_cursor(sort: str, key: tuple) -> str:
    raw = json.dumps({"sort": sort, "after": list(key)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        key_type = int if sort.startswith("duration") else str
        after = data["after"]
        if (
            data["sort"] == sort
            and isinstance(after, list)
            and len(after) == 2
            and type(after[0]) is key_type
            and isinstance(after[1], str)
        ):
            return tuple(after)
    except (binascii.Error, ValueError, KeyError, TypeError):
        pass
    raise errors.ValidationError("Value is not a valid cursor", path="cursor")


def _name_from_email(email: str, fake: Any) -> str:
    """`jane.doe@acme.com` is Jane Doe; an address without a readable name gets one."""
    local = email.split("@", 1)[0]
    parts = [p for p in local.replace("_", ".").replace("-", ".").split(".") if p.isalpha()]
    return " ".join(p.capitalize() for p in parts) if len(parts) >= 2 else fake.name()


def _transcript(fake: Any, speakers: list[str], duration: int) -> list[dict[str, Any]]:
    """Segments as Claap's transcript endpoint gives them, with word timings."""
    segments = []
    count = max(2, min(12, duration // 20))
    span = duration / count
    for index in range(count):
        started = index * span
        words = fake.sentence(nb_words=10).split()
        step = span / len(words)
        segments.append(
            {
                "endedAt": round(started + span, 2),
                "languageCode": "en",
                "speaker": speakers[index % len(speakers)],
                "startedAt": round(started, 2),
                "text": " ".join(words),
                "words": [
                    {
                        "endedAt": round(started + (n + 1) * step, 2),
                        "startedAt": round(started + n * step, 2),
                        "word": word,
                    }
                    for n, word in enumerate(words)
                ],
            }
        )
    return segments


def _as_text(segments: list[dict[str, Any]]) -> str:
    """`02:17 Ann Lee: text`, one line per segment."""
    lines = []
    for segment in segments:
        minutes, seconds = divmod(int(segment["startedAt"]), 60)
        lines.append(f"{minutes:02d}:{seconds:02d} {segment['speaker']}: {segment['text']}\n")
    return "".join(lines)
