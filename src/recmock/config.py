"""Settings of one mock, from the CLI, the environment or a test."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Config:
    # Seeds generated data and ids, so a run can be reproduced.
    seed: int | None = None
    # Quotas (Claap's 50 recordings per 30 days) and rate limits; both are off for load
    # tests (`recmock serve --no-limits`), and a test of a quota can keep only that one.
    quotas: bool = True
    rate_limits: bool = True
    # Overrides the base of URLs the mock hands out (upload and download links).
    public_url: str | None = field(default_factory=lambda: os.environ.get("RECMOCK_PUBLIC_URL"))
    # When set, the control API (except /_recmock/health) needs `Authorization: Bearer`.
    admin_token: str | None = field(
        default_factory=lambda: os.environ.get("RECMOCK_ADMIN_TOKEN") or None
    )
    # State scripts loaded at start.
    scripts: list[Path] = field(default_factory=list)
    # Largest JSON or form body a vendor endpoint reads; larger ones get a 413.
    max_body_bytes: int = 1024 * 1024
    # Largest media payload (Claap documents 2 GiB).
    max_media_bytes: int = 2 * 1024**3
    # Real host names per vendor, where they differ from the vendor's default
    # (Valt is self-hosted: its host is configurable).
    hosts: dict[str, tuple[str, ...]] = field(default_factory=lambda: _hosts_from_env())
    # Vendor-specific knobs, e.g. {"claap": {"download_timeout_s": 300}}.
    vendor_options: dict[str, dict] = field(default_factory=dict)
    # One log line per request (recmock serve).
    access_log: bool = False

    @classmethod
    def in_process(cls, **settings: Any) -> Config:
        """The settings of a mock inside a test's process (the pytest fixtures,
        `mock_vendors()`): seeded, and deaf to RECMOCK_PUBLIC_URL and
        RECMOCK_ADMIN_TOKEN, which are for a server that others reach."""
        return cls(**{"seed": 0, "public_url": None, "admin_token": None, **settings})

    def option(self, vendor: str, name: str, default: Any) -> Any:
        return self.vendor_options.get(vendor, {}).get(name, default)


def _hosts_from_env() -> dict[str, tuple[str, ...]]:
    """RECMOCK_VALT_HOST names the self-hosted Valt server (default valt.example.com)."""
    valt = os.environ.get("RECMOCK_VALT_HOST")
    return {"valt": (valt,)} if valt else {}
