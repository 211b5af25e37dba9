"""marshmallow for the vendors: one instance of each schema, and its nested error
messages turned into the (path, message) pairs that vendors report: Claap names the
first bad field (`path: "meeting.participants.0.email"`), Telnyx lists every one with a
JSON pointer (`/video_layout/first/z_pos`)."""

from __future__ import annotations

from functools import cache
from typing import Any

from marshmallow import Schema

Problem = tuple[tuple[str, ...], str]


@cache
def shared_schema(schema_class: type[Schema]) -> Schema:
    """The one instance of a schema class, which every request loads with.

    Making a marshmallow schema deep-copies its declared fields: a fifth of a Claap
    create's time when each request made its own. Loading does not change the instance
    (recmock's schemas keep no state), so concurrent requests can share it."""
    return schema_class()


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
