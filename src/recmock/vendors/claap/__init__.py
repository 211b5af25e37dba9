"""Claap recordings (https://api.claap.io/v1), as documented in docs.claap.io and in
`shared/vendors/claap.md`.

Served under `/claap/v1` and on host `api.claap.io`:

- `POST /v1/recordings` creates a recording in state `Empty` with a pre-signed
  `upload.url`. The payload arrives by `PUT` on that URL or from `downloadUrl`, which the
  mock really fetches (under 2 GiB within 5 minutes). Then `Uploaded`, and 10 s later on
  the mock's clock `Ready` (the payload is one of aac, avi, mp3, mp4, wav, webm, wmv,
  recognised from its bytes) or `Failed` (anything else). A state script replaces the
  steps after the payload arrives.
- `GET /v1/recordings` (filters, sorts, cursor pagination), `GET /v1/recordings/{id}`
  (`returnAiFields`), `GET /v1/recordings/{id}/transcript` (`format=json|text`, `lang`),
  `DELETE /v1/recordings/{id}` (`{"result": {"ok": true}}`).
- `video.url`, `thumbnailUrl` and `transcripts[].url|textUrl` are signed and expire 24
  hours after they were handed out; they need no API key.
- At most 50 recordings created per rolling 30 days, and 3 calls a second per endpoint
  (bursts of 20: the documented example shows `X-RateLimit-Remaining: 20`) and 3000
  calls a rolling day, per workspace.
- Webhooks `recording_added` (when a recording is Ready) and `recording_updated` (when
  an announced recording changes), with retries immediately, after 1 and after 5 minutes.

Sources beyond the shared notes: the transcript's JSON (`segments` with `words`,
`languageCode`) is docs.claap.io's get_recording_transcript example; the text form's
`mm:ss speaker: text` lines, the 403 "Recording quota exceeded" on create and the
`{"ok": true}` of DELETE come from third-party clients tested against the live API; the
webhook's recording fields (`meeting.startingAt/endingAt/type/participants`,
`crmInfo`, `actionItems`, `keyTakeaways`, `outlines`) are docs.claap.io's
webhook/recording_added schema.

Assumptions where Claap's documentation is silent:

- The workspace is the API key: each `X-Claap-Key` is its own workspace (tenant) with its
  own quota; a key is well-formed when it starts with `cla_`. The 50-per-30-days quota
  counts creations (deleting does not give one back) and is per workspace.
- Error types not documented: 401 `unauthorized` ("API key was not supplied or is not
  valid"), 429 `rate_limited` ("Too many requests"), the quota's 403
  `quota_exceeded`, malformed or non-JSON bodies 400 `bad_request`, oversize bodies 413
  `payload_too_large`, unknown routes and methods 404 `not_found` (Claap documents no
  405), an expired signed URL 403 `forbidden`, other statuses typed after their HTTP
  name (500 `internal_server_error`, 503 `service_unavailable`).
- Validation reports the first failing field only, with its dotted `path`
  (`meeting.participants.0.email`). Unknown body fields are ignored.
- `X-RateLimit-Remaining` is the burst bucket left; both spellings of the daily counter
  are sent. A 429 does not count against the daily calls.
- Ids are opaque 21-character alphanumeric strings. A missing title becomes "Untitled";
  a recording without `channelId` has `channel: null`; `url` (the app link) redirects to
  the video once Ready.
- Before `Ready`, `durationSeconds`, `thumbnailUrl` and `video` are null and
  `transcripts` is empty. At `Ready` the duration comes from the meeting's times (else a
  generated one) and Faker writes the transcript (one speaker per participant) and the
  analysis (`actionItems`, `keyTakeaways`, `outlines`; `companies` from external
  participants' domains). `insightTemplates` stays empty (not filled since 15 June 2026);
  `aiFields`, whose element shape is not documented, is an empty list when asked for.
- The mock has the transcript in its original language (en) only: a `lang` it was not
  translated to is a 404, as Claap answers for a missing translation.
- A failed `downloadUrl` fetch (error status, unreachable, too large, too slow) ends
  `Failed` directly, without `Uploaded`. A second `PUT` of the payload is a 400.
- `createdAfter` is inclusive and `createdBefore` exclusive; `labels` matches recordings
  with any of the listed labels. The cursor is opaque and tied to the sort it came from.
- `recording_updated` is sent when a recording that was announced changes: a state
  script moves it on, or a person edits its title or labels in the app (`PATCH
  /_recmock/vendors/claap/recordings/{id}`). A receiver answering any 2xx within 5 s
  counts as delivered; the retries are immediately, 1 minute and 5 minutes after the
  attempt before.
"""

from recmock.vendors.claap.handlers import ClaapVendor

__all__ = ["ClaapVendor"]
