"""Claap's list of recordings: its filters, sorts and cursor pagination
(api-reference/endpoint/list_recordings)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from recmock.vendors.claap import errors
from recmock.vendors.claap.models import Recording


def page(recordings: list[Recording], query: dict[str, Any]) -> tuple[list[Recording], str | None]:
    """The recordings `query` selects, sorted, from its cursor on, at most `limit` of
    them; and the cursor of the next page (None on the last)."""
    matches = [r for r in recordings if _listed(r, query)]
    sort_key = _SORT_KEYS[query["sort"].rsplit("_", 1)[0]]
    descending = query["sort"].endswith("_desc")
    matches.sort(key=sort_key, reverse=descending)
    if "cursor" in query:
        last = _decode_cursor(query["cursor"], query["sort"])
        matches = [r for r in matches if (sort_key(r) < last if descending else sort_key(r) > last)]
    shown = matches[: query["limit"]]
    next_cursor = None
    if len(matches) > len(shown):
        next_cursor = _encode_cursor(query["sort"], sort_key(shown[-1]))
    return shown, next_cursor


def _listed(recording: Recording, query: dict[str, Any]) -> bool:
    if "channelId" in query and (recording.channel or {}).get("id") != query["channelId"]:
        return False
    created = recording.created_at
    if "createdAfter" in query and (created is None or created < query["createdAfter"]):
        return False
    if "createdBefore" in query and (created is None or created >= query["createdBefore"]):
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
    "created": lambda r: (r.created_at.isoformat() if r.created_at else "", r.id),
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
