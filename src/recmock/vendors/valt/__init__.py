"""IVS Valt record upload and download (http://<your Valt host>/api/v3), as the IVS wiki
(API Authentication, API Upload Recording, API Recording Details, API List Recordings,
API Stop Recording) and `shared/vendors/valt.md` describe it.

Served under `/valt/api/v3` and on the Valt host: `valt.example.com` unless
`RECMOCK_VALT_HOST` names another (Valt is self-hosted).

- `POST /login` gives a 32-hex access token; once users are registered through the
  control API (`{"vendor": "valt", "username", "password"}`), others get 401
  `{"data": "Invalid username or password"}`.
- The two-part upload: `POST /records/create-upload` (`name` required, `template`,
  `share`) gives the record and video ids; the multipart file upload to
  `/records/{recordID}/videos/{videoID}` answers 201 (400 without a file part).
- `GET /records/{recordID}`, `POST /records` (search, MM-DD-YYYY dates, id filter,
  offset, limit), `POST /rooms/{id}/record/start|stop`.
- `GET /records/download/{recordID}/{videoID}` gives `{"url"}` on the mock's
  `/distribution/{recordID}/1_{recordID}_1.mp4?filename=...&access_token=<JWT>`: a real
  PS512 JWT with a `kid`, `iat` = `nbf`, `exp` = `iat` + 1800 and `iss`/`sub`/`aud` the
  Valt host, signed with a key the mock makes; `GET /_recmock/vendors/valt/public_key`
  gives its public half. The distribution URL serves the uploaded bytes until the token
  expires on the mock's clock, then answers 401.
- Errors as documented: the token only as the `access_token` query parameter;
  missing, 401 "No API token provided"; wrong, 401 "Bad credentials."; unknown record
  or video, the RFC 2616-style 404 body; a malformed body, 500 "Invalid request payload"
  (create-upload) or "JSON Body Formatted Incorrectly" (search).

Assumptions where the wiki is silent:
- Each username sees its own records (a test's isolation); tokens never expire.
- The file part may have any name (`file` preferred); the upload answers 201 with
  `{"id", "videos"}`.
- Record details are wrapped in `{"data": ...}` like the list; they carry `videos`.
- An uploaded record's `duration` is its video's length in seconds, read from the MP4's
  movie header (0 before the upload, and for a file without one).
- A room recording's id is the record's UUID (VALT 6); stopping it makes its video (a
  real MP4) ready at once; starting a room already recording is a 400 in the stop
  answer's shape.
- The signing key lives as long as the process: a restarted mock's old tokens fail.
"""

from recmock.vendors.valt.handlers import ValtVendor

__all__ = ["ValtVendor"]
