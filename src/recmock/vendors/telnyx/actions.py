"""What happens at Telnyx outside its REST API, for a test to make happen: people meet
in a room (a composition needs a finished session with its participants' recordings,
and no REST call makes one), and Telnyx's portal shows the key webhooks are signed
with. Over HTTP under `/_recmock/vendors/telnyx/` (the `post_session` and
`get_public_key` handlers, in the control API's shape), and as methods of the mock
(`recmock.telnyx.simulate_session()`).

An account is named by its API key (`Authorization: Bearer <key>` over HTTP,
`api_key=` from Python); without one, a session may happen in any account's room.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError as SchemaError
from werkzeug import exceptions as http
from werkzeug.wrappers import Response

from recmock.validation import problems, shared_schema
from recmock.vendor_actions import VendorActions
from recmock.vendors.telnyx.backend import TelnyxBackend
from recmock.vendors.telnyx.schemas import SimulatedSessionSchema
from recmock.web import VendorRequest, json_object, json_response


class TelnyxActions(VendorActions[TelnyxBackend]):
    # -- from Python (the mock's methods) ------------------------------------------------

    def simulate_session(
        self,
        *,
        api_key: str | None = None,
        room_id: str | None = None,
        participants: int = 2,
        duration_secs: int = 60,
        recordings: bool = True,
    ) -> dict[str, Any]:
        """A finished session of `room_id` (any account's), or of a new room of the
        account of `api_key`: it ended now, lasted `duration_secs`, and each participant
        left an audio and a video recording. Answers `{"session": RoomSession with its
        participants, "recordings": [RoomRecording, ...]}`, as the HTTP action does."""
        body: dict[str, Any] = {
            "participants": participants,
            "duration_secs": duration_secs,
            "recordings": recordings,
        }
        if room_id is not None:
            body["room_id"] = room_id
        settings = _session_settings(body)
        account = (api_key or "").strip() or None
        try:
            return self.backend.simulate_session(
                account, settings, self._vendor_of.default_base_url()
            )
        except LookupError as exc:
            raise ValueError(str(exc)) from None

    def public_key(self) -> str:
        """The base64 ed25519 key that Telnyx webhooks verify with."""
        return self.backend.public_key()

    # -- over HTTP (/_recmock/vendors/telnyx/...) ----------------------------------------

    def post_session(self, request: VendorRequest) -> Response:
        body = json_object(request, optional=True)
        try:
            settings = _session_settings(body)
            made = self.backend.simulate_session(
                _request_account(request, settings),
                settings,
                self._vendor_of.base_url(request),
            )
        except ValueError as exc:
            raise http.BadRequest(str(exc)) from None
        except LookupError as exc:
            raise http.NotFound(str(exc)) from None
        return json_response(made, 201)

    def get_public_key(self, request: VendorRequest) -> Response:
        """The public key a receiver verifies webhooks with, base64 as Telnyx's portal
        shows it."""
        return json_response({"public_key": self.backend.public_key()})


def _session_settings(body: dict[str, Any]) -> dict[str, Any]:
    """The session asked for (`SimulatedSessionSchema`); ValueError naming the first
    field it refuses (`participants: Must be ...`)."""
    try:
        settings: dict[str, Any] = shared_schema(SimulatedSessionSchema).load(body)
    except SchemaError as exc:
        path, message = problems(exc.messages)[0]
        raise ValueError(f"{'.'.join(path)}: {message}") from None
    return settings


def _request_account(request: VendorRequest, settings: dict[str, Any]) -> str | None:
    """The key the request's `Authorization` carries: a new room is made for the
    account of a Bearer key; a room named by id must be the key's account's (whatever
    the scheme)."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" or "room_id" in settings:
        return key.strip() or None
    return None
