"""Telnyx's lists: each list's `filter[...]` (telnyx.md 4.1 and 4.3) and the `page[...]`
pagination they share, newest first, with `meta` as the SDK's paginator reads it."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from recmock.vendors.telnyx.models import Room, RoomComposition, RoomRecording, RoomSession

Listed = TypeVar("Listed", RoomComposition, Room, RoomSession, RoomRecording)


def page(
    matches: list[Listed], query: dict[str, Any], shown: Callable[[Listed], dict[str, Any]]
) -> dict[str, Any]:
    """The page `query` asks for (`page_number`, `page_size`), newest first, as Telnyx
    answers a list: `data` and `meta`. `total_pages` is at least 1, as the SDK's
    paginator expects (it stops when `page_number >= total_pages`)."""
    matches.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    number, size = query["page_number"], query["page_size"]
    on_page = matches[(number - 1) * size : number * size]
    meta = {
        "page_number": number,
        "page_size": size,
        "total_pages": max(1, math.ceil(len(matches) / size)),
        "total_results": len(matches),
    }
    return {"data": [shown(r) for r in on_page], "meta": meta}


def composition_listed(composition: RoomComposition, query: dict[str, Any]) -> bool:
    return (
        _equal(query, "status", composition.shown_status)
        and _equal(query, "session_id", composition.session_id)
        and _in_dates(query, "date_created_at", composition.created_at)
    )


def room_listed(room: Room, query: dict[str, Any]) -> bool:
    return (
        _equal(query, "unique_name", room.unique_name)
        and _in_dates(query, "date_created_at", room.created_at)
        and _in_dates(query, "date_updated_at", room.updated_at)
    )


def session_listed(session: RoomSession, query: dict[str, Any]) -> bool:
    return (
        _equal(query, "room_id", session.room_id)
        and _equal(query, "active", session.active)
        and _in_dates(query, "date_created_at", session.created_at)
        and _in_dates(query, "date_updated_at", session.updated_at)
        and _in_dates(query, "date_ended_at", session.ended_at)
    )


def recording_listed(recording: RoomRecording, query: dict[str, Any]) -> bool:
    if not all(
        _equal(query, name, getattr(recording, name))
        for name in ("room_id", "session_id", "participant_id", "status", "type")
    ):
        return False
    duration = recording.duration_secs
    limits: Iterable[tuple[str, Callable[[int], bool]]] = (
        ("duration_secs_eq", lambda bound: duration == bound),
        ("duration_secs_gte", lambda bound: duration >= bound),
        ("duration_secs_lte", lambda bound: duration <= bound),
    )
    if not all(check(query[key]) for key, check in limits if key in query):
        return False
    return _in_dates(query, "date_started_at", recording.started_at) and _in_dates(
        query, "date_ended_at", recording.ended_at
    )


def _equal(query: dict[str, Any], name: str, value: Any) -> bool:
    return name not in query or query[name] == value


def _in_dates(query: dict[str, Any], name: str, instant: datetime | None) -> bool:
    """`filter[<name>][eq|gte|lte]` against the UTC date of `instant`."""
    bounds = [(op, query[f"{name}_{op}"]) for op in ("eq", "gte", "lte") if f"{name}_{op}" in query]
    if not bounds:
        return True
    if instant is None:
        return False
    day: date = instant.date()
    checks = {"eq": day.__eq__, "gte": day.__ge__, "lte": day.__le__}
    return all(checks[op](bound) for op, bound in bounds)
