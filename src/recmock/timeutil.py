"""Parsing and formatting of instants and durations, shared by the control API,
state scripts and the vendors.

Durations are written the way people write them in a test ("90s", "2h", "14d",
"1h30m"), as ISO-8601 ("PT1H30M", "P14D"), or as a number of seconds.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_HUMAN = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")
_ISO = re.compile(
    r"P(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)


LONGEST = timedelta(days=36500)


def parse_duration(value: str | int | float | timedelta) -> timedelta:
    """Read a duration of at most a hundred years; raise ValueError with a readable
    message when it is not one."""
    try:
        duration = _read_duration(value)
    except OverflowError:
        duration = LONGEST + timedelta(days=1)
    if duration > LONGEST:
        raise ValueError(f"a duration of at most {LONGEST.days} days, not {value!r}")
    return duration


def _read_duration(value: str | int | float | timedelta) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return timedelta(seconds=value)
    if not isinstance(value, str):
        raise ValueError(f"not a duration: {value!r}")
    text = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return timedelta(seconds=float(text))
    iso = _ISO.fullmatch(text.upper())
    if iso and text.upper() not in ("P", "PT") and any(iso.groupdict().values()):
        parts = {k: float(v) for k, v in iso.groupdict().items() if v}
        return timedelta(
            weeks=parts.get("w", 0),
            days=parts.get("d", 0),
            hours=parts.get("h", 0),
            minutes=parts.get("m", 0),
            seconds=parts.get("s", 0),
        )
    if "M" in text:  # "1M": a month (as in ISO-8601's P1M) or a minute? Neither, then.
        raise ValueError(
            f"{value!r} is ambiguous: write minutes as m (90m) or ISO-8601 PT90M; a month"
            " has no fixed length (write days: 30d)"
        )
    lowered = text.lower().replace(" ", "")
    pieces = _HUMAN.findall(lowered)
    if pieces and "".join(n + u for n, u in pieces) == lowered:
        return timedelta(seconds=sum(float(n) * _UNIT_SECONDS[u] for n, u in pieces))
    raise ValueError(
        f"not a duration: {value!r} (use e.g. 90s, 2h, 14d, 1h30m, PT1H30M or seconds)"
    )


def parse_instant(value: str) -> datetime:
    """Read an ISO-8601 instant ("2025-02-25T13:00:44.602Z", "...13:00Z", "2025-02-25").

    A value without an offset is taken as UTC, which is what the vendors do.
    """
    if not isinstance(value, str) or not value:
        raise ValueError(f"not a date-time: {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            raise ValueError(f"not a date-time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def iso_millis(instant: datetime) -> str:
    """`2025-02-25T13:00:44.602Z`: UTC with milliseconds (Claap, eyeson)."""
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_micros(instant: datetime) -> str:
    """`2021-03-26T17:51:59.588408Z`: UTC with microseconds (Telnyx)."""
    return instant.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
