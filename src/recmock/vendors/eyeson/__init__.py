"""eyeson meetings and recordings (https://api.eyeson.team), as docs.eyeson.com
(rest/references: room, recording, register_webhooks, authorization) and
`shared/vendors/eyeson.md` describe them.

Served under `/eyeson` and on host `api.eyeson.team`:

- Rooms: `POST /rooms` takes its parameters as JSON, as a form with bracket keys or in
  the query string (eyeson's SDKs send all three); `user[name]` is required. A custom
  `id` joins the running meeting of that id. The room is `ready` 2 s later on the
  mock's clock (a script can change that). `GET /rooms/{access_key}`, `GET /rooms`,
  `DELETE /rooms/{room_id}` (204; stops a running recording), `POST /guests/{token}`.
  Ids are 24 hex digits; access keys and guest tokens 24 letters and digits.
- Recordings: start (201, no body), stop (200), with 404, 405 (`recording_available`
  off), 406 (not ready, or one already running) and 410 (meeting over). Three states:
  started (duration and download null), stopped (duration set), finished (both set),
  10 s after the stop on the mock's clock. `GET/DELETE /recordings/{id}`,
  `GET /rooms/{room_id}/recordings` (a bare array, 25 a page, `page`, `started_at`,
  `since`, `until`).
- Download links serve a real WebM and stop working an hour after they were handed
  out; each answer hands out a fresh one. A recording is destroyed 14 days after it
  was created: 404, gone from lists, its link dead.
- Webhooks: one per API key (`POST/GET/DELETE /webhooks`); `room_update` (a room
  ready, a meeting shut down) and `recording_update` (a recording finished), signed
  with `X-Eyeson-Signature`: the hex HMAC-SHA256 of the body keyed with the API key.
- `Authorization: <API key>`, bare; the access key in the path for meeting calls. 401
  for a missing or unknown key. Every error is `{"error": "..."}`.

Assumptions where the documents are silent:
- 406 means "not acceptable now": the meeting is not ready yet or a recording already
  runs (the reference gives only the status).
- Stop answers 200 and delete-recording 200 with no body, like start's "only HTTP
  status".
- `recording_update` goes out when the file is ready (finish), as the docs say "to get
  notified for new recordings"; `room_update` when a room gets ready and when a meeting
  is shut down. No retries.
- Lists are newest first, `page` counts from 1. `GET /webhooks` with none registered
  is a 404.
- A room shut down twice, or a room id with no running meeting, is a 404.
"""

from recmock.vendors.eyeson.handlers import EyesonVendor

__all__ = ["EyesonVendor"]
