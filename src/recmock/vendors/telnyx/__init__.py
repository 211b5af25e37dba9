"""Telnyx Video room compositions (https://api.telnyx.com/v2), as the published OpenAPI
document (`shared/vendors/telnyx-room-compositions.openapi.json`, from team-telnyx/openapi)
and `shared/vendors/telnyx.md` describe them.

Served under `/telnyx/v2` and on host `api.telnyx.com`:

- `POST /room_compositions` answers 202 with `status: enqueued`; 5 s later on the mock's
  clock the composition is `processing`, 30 s after that `completed`, with `started_at`,
  `ended_at`, `completed_at`, `duration_secs` (the session's length), `size_mb` and a
  `download_url` serving a real MP4 (`recmock/assets/sample.mp4`). A state script
  replaces those steps.
- `GET /room_compositions` (`filter[status]`, `filter[session_id]`,
  `filter[date_created_at][eq|gte|lte]`, `page[number]`, `page[size]`),
  `GET /room_compositions/{id}`, `DELETE /room_compositions/{id}` (204, no body).
- Rooms (create, list, view), room sessions (list, view, a room's sessions) and room
  recordings (list, view, delete). Sessions and recordings come from people joining a
  room, which no REST call does: `POST /_recmock/vendors/telnyx/sessions` simulates a
  finished session with its participants' audio and video recordings.
- Every rule of the create request is checked and every offending field reported at
  once: 422 `{"errors": [...]}` with `source.pointer` (`/resolution`,
  `/video_layout/first/z_pos`); code 10004 for a missing field, 10032 for a value
  outside an enum, 10015 otherwise. Query problems are 400 with `source.parameter`.
- `Authorization: Bearer <key>`: 401 code 10009 (the detail tells a missing header from
  an unknown key); 404 code 10005; 429 code 10011 with `x-ratelimit-*` headers when a
  script's fault asks for it.
- Webhooks `video.room.composition.completed` and `...failed` in Telnyx's envelope
  (`data` with `record_type: event`, `meta` with `attempt` and `delivered_to`), signed
  with ed25519 over `{telnyx-timestamp}|{body}`. The public key is at
  `GET /_recmock/vendors/telnyx/public_key`.

Assumptions where the documents are silent:
- `session_id` is required (the schema marks nothing required) and must name a session
  of the same account; `video_sources` must be video recordings of that session, or `*`.
- The 404 body uses the `errors` list as the rest of Telnyx's API does, not the spec's
  single-object `video_ResourceNotFound`: older SDKs fail on an error body without the
  list.
- A region's `video_sources: "*"` is shown resolved to the session's video recording
  ids: the response schema allows UUIDs only there.
- The `status` enum has no `failed`: a composition a script fails stays `processing`
  and the `video.room.composition.failed` webhook says what happened.
- Lists are newest first; `total_pages` is at least 1, as the SDK's paginator expects.
- `download_url` is a pre-signed link valid for 10 minutes of the mock's time, fresh in
  every answer; the documents give no expiry. `size_mb` is the size of the file served.
- Webhooks: the primary URL, then the failover URL when the primary fails, each
  abandoned after `webhook_timeout_secs` (10 s when unset); no later retries. The
  signing timestamp is real time (receivers check it against their own clock); the
  key is derived from the mock's link-signing key, so a state dump keeps it.
- Malformed JSON is a 400 with code 10015; a bad query parameter is a 400 too
  (`Invalid pagination` for `page[...]`).
"""

from recmock.vendors.telnyx.handlers import TelnyxVendor

__all__ = ["TelnyxVendor"]
