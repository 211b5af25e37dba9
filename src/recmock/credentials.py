"""Registered credentials (`POST /_recmock/keys`).

Lax by default: any well-formed credential is accepted and is its own tenant. Once a
vendor has registered credentials it is strict: only those are accepted, and any other
gets the vendor's own 401.
"""

from __future__ import annotations

import threading


class Credentials:
    def __init__(self) -> None:
        self._registered: dict[str, set[tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def register(self, vendor: str, *parts: str) -> None:
        """Register a key (one part) or a username and password (two parts)."""
        with self._lock:
            self._registered.setdefault(vendor, set()).add(parts)

    def accepts(self, vendor: str, *parts: str) -> bool:
        """True when lax, or when exactly these parts were registered."""
        registered = self._registered.get(vendor)
        return not registered or parts in registered

    def registered(self, vendor: str) -> list[tuple[str, ...]]:
        with self._lock:
            return sorted(self._registered.get(vendor, ()))

    def clear(self, vendor: str | None = None) -> None:
        with self._lock:
            if vendor is None:
                self._registered.clear()
            else:
                self._registered.pop(vendor, None)
