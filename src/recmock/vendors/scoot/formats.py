"""How Scoot writes its JSON: instants as ISO-8601 with `Z` (`2023-11-07T05:31:56Z`,
scoot.md 1.3)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def iso(instant: datetime) -> str:
    """`2023-11-07T05:31:56Z` as Scoot's examples; a sent offset and fraction are kept."""
    return instant.isoformat().replace("+00:00", "Z")


def as_json(value: Any) -> Any:
    """A loaded body as Scoot answers it: its instants written out (naive ones as UTC)."""
    if isinstance(value, datetime):
        return iso(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value
