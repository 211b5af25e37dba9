"""Turning marshmallow's nested error messages into the (path, message) pairs that
vendors report: Claap names the first bad field (`path: "meeting.participants.0.email"`),
Telnyx lists every one with a JSON pointer (`/video_layout/first/z_pos`)."""

from __future__ import annotations

from typing import Any

Problem = tuple[tuple[str, ...], str]


def problems(messages: Any, path: tuple[str, ...] = ()) -> list[Problem]:
    """Every (path, message) in marshmallow's messages, in field order."""
    if isinstance(messages, dict):
        found: list[Problem] = []
        for key, inner in messages.items():
            found += problems(inner, path if key == "_schema" else (*path, str(key)))
        return found
    if isinstance(messages, list):
        if messages and all(isinstance(m, str) for m in messages):
            return [(path, messages[0])]
        found = []
        for inner in messages:
            found += problems(inner, path)
        return found
    return [(path, str(messages))]


def first_problem(messages: Any) -> Problem:
    found = problems(messages)
    return found[0] if found else ((), "Invalid value")
