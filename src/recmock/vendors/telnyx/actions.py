"""Telnyx's vendor actions as methods of the mock: `recmock.telnyx.simulate_session()`.

People meeting in a room is not a REST call, and a composition needs a finished
session with its participants' recordings; the webhook public key is what Telnyx's
portal shows.
"""

from __future__ import annotations

from typing import Any

from recmock.vendor_actions import VendorActions


class TelnyxActions(VendorActions):
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
        headers = {"Authorization": f"Bearer {api_key}"} if api_key is not None else {}
        return self._call("POST", "/sessions", body, headers)

    def public_key(self) -> str:
        """The base64 ed25519 key that Telnyx webhooks verify with."""
        return self._call("GET", "/public_key")["public_key"]
