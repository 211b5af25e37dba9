"""A room's options (docs rest/references/room): what POST /rooms may set, what they
are where it sets nothing (`rules.DEFAULT_OPTIONS`), and how a flag reads when a form or
query string sent it as text."""

from __future__ import annotations

from typing import Any

from recmock.vendors.eyeson import errors
from recmock.vendors.eyeson.rules import DEFAULT_OPTIONS


def room_options(given: dict[str, Any]) -> dict[str, Any]:
    """The new room's options: the defaults, overridden by the plain values `given`
    sets (`options[a][b]` is not one: a `BadRequest`)."""
    for name, value in given.items():
        if not name or not (value is None or isinstance(value, str | bool | int | float)):
            raise errors.BadRequest(f"options[{name}]: must be a plain value")
    return {**DEFAULT_OPTIONS, **{k: _option(v) for k, v in given.items()}}


def is_on(value: Any) -> bool:
    """A flag such as `recording_available` or `locked`: off as false, "false", "0",
    0, null or empty."""
    return value not in (False, "false", "0", 0, None, "")


def _option(value: Any) -> Any:
    """Form and query options arrive as strings: "true"/"false" are booleans."""
    if value in ("true", "false"):
        return value == "true"
    return value
