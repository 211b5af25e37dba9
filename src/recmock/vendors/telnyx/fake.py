"""What the mock makes up for Telnyx (seeded with `--seed`): the people of a simulated
session, an account's user id, and the media its download links serve."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

from recmock.timeutil import iso_micros

if TYPE_CHECKING:
    from recmock.mock import Ids

# What a download link serves, per collection: real files (`recmock/assets`), so that a
# client can play or probe what it downloaded. `size_mb` is their size.
MEDIA = {
    "room_compositions": ("sample.mp4", "video/mp4"),
    "room_recordings": ("sample.webm", "video/webm"),
}


def media_files() -> dict[str, bytes]:
    """Each collection's file (`MEDIA`), read once."""
    assets = resources.files("recmock.assets")
    return {
        collection: assets.joinpath(name).read_bytes() for collection, (name, _) in MEDIA.items()
    }


def participant(
    session_id: str, joined_at: datetime, left_at: datetime, ids: Ids, fake: Any
) -> dict[str, Any]:
    """A RoomParticipant as Telnyx shows it, a made-up name in its `context` (a JSON
    string)."""
    return {
        "id": ids.uuid(),
        "record_type": "room_participant",
        "session_id": session_id,
        "context": json.dumps({"name": fake.name()}),
        "joined_at": iso_micros(joined_at),
        "left_at": iso_micros(left_at),
        "updated_at": iso_micros(left_at),
    }


def user_id(tenant: str) -> str:
    """The account's user id: stable per API key, as a UUID."""
    digest = hashlib.sha256(f"telnyx user {tenant}".encode()).digest()[:16]
    return str(uuid.UUID(bytes=digest, version=4))
