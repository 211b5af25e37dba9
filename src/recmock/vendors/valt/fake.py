"""What Valt makes up, or a Valt server would have on hand: its users' ids, its rooms'
names and the file a room's camera records."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Any

from recmock.vendors.valt.rules import DATE_FORMAT


def author(username: str) -> dict[str, Any]:
    """A record's `author`: Valt's users have integer ids; a stable one per username."""
    return {"id": sum(username.encode()) % 9000 + 1000, "name": username}


def room(room_id: int) -> dict[str, Any]:
    return {"id": room_id, "name": f"Room {room_id}"}


def room_recording_name(room_id: int, started: datetime) -> str:
    """`Room 59 03-02-2026 10-30 AM`: the room and when it started, with Valt's dates."""
    return f"Room {room_id} {started.strftime(f'{DATE_FORMAT} %I-%M %p')}"


def camera_video() -> bytes:
    """What a room's camera recorded: a real MP4."""
    return resources.files("recmock.assets").joinpath("sample.mp4").read_bytes()
