"""A composition's `video_layout`: the rule only the store can check (a region's
`video_sources` are video recordings of the composed session, telnyx.md 4.3), and the
layout as the composition shows it."""

from __future__ import annotations

from typing import Any

from recmock.vendors.telnyx import errors


def video_source_problems(
    layout: dict[str, dict[str, Any]], session_videos: set[str]
) -> list[dict[str, Any]]:
    """A 422 entry for each of a region's `video_sources` that is not one of the
    session's video recordings (`*` stands for all of them)."""
    found = []
    for region, settings in layout.items():
        sources = settings.get("video_sources", "*")
        if sources == "*" or sources == ["*"]:
            continue
        for index, source in enumerate(sources):
            if source not in session_videos:
                found.append(
                    errors.field_problem(
                        ("video_layout", region, "video_sources", str(index)),
                        "Not a video recording of this room session.",
                    )
                )
    return found


def as_shown(
    layout: dict[str, dict[str, Any]], session_videos: list[str]
) -> dict[str, dict[str, Any]]:
    """Regions as the composition shows them: positions default to 0, unset fields left
    out, and `*` resolved to the session's video recordings (the response schema's
    `video_sources` holds UUIDs only)."""
    shown = {}
    for name, region in layout.items():
        region = {k: v for k, v in region.items() if v is not None}
        for axis in ("x_pos", "y_pos", "z_pos"):
            region.setdefault(axis, 0)
        sources = region.get("video_sources", "*")
        region["video_sources"] = list(session_videos) if sources in ("*", ["*"]) else sources
        shown[name] = region
    return shown
