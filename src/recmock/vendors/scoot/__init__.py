"""Scoot recording processing (https://api.scoot.app/api/v1), as docs.scoot.app
(api-reference recording/processing, transcription/create) and `shared/vendors/scoot.md`
describe it.

Served under `/scoot/api/v1` and on host `api.scoot.app`:

- `POST /recording/processing` takes a SocialRecording, checks every field (UUIDs,
  ISO date-times, the status enum, integers, participants and their users, e-mail and
  URL formats) and answers it back `PROCESSING`, with `processingStartDateTime` now.
  60 s later on the mock's clock it is `COMPLETE` with `processingEndDateTime`; a state
  script decides otherwise (`FAILED`, or another delay).
- Users the body leaves out (the owner, a participant's `user`) are filled in with
  Faker, and two participants are generated when none are given: realistic, and the
  same again under the same `--seed`.
- `POST /transcription/save` and `GET /transcription?socialTranscriptionId=`.
- `X-API-Key` on every route.

Assumptions where the documents are silent:
- `GET /recording?socialRecordingId=` is mock-only: Scoot documents no read of a
  recording; it mirrors the transcription read.
- Error bodies are Spring Boot's (`timestamp`, `status`, `error`, `message`, `path`),
  with Spring's `errors` list of `{field, defaultMessage}` for a body that fails
  validation: 400 there, 401 without a valid key, 404 for an unknown id, 429 when a
  script's fault asks for it.
- `socialId` and `recordingId` are required; unknown properties are ignored (Jackson's
  default); `endDateTime` must not be before `startDateTime`.
- Posting the same `socialRecordingId` again restarts its processing; another account's
  id is a 409.
- Ids are `java.util.UUID`s on Scoot's side: read in either case, stored and answered
  in lower case, so a recording posted as `9B1D...` is found as `9b1d...` too. A state
  dump's ids load in lower case (one that is no UUID is refused); a script's `match`
  compares with the stored, answered form, so its ids are written in lower case.
"""

from recmock.vendors.scoot.handlers import ScootVendor

__all__ = ["ScootVendor"]
