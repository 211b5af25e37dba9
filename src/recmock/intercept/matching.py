"""Which hosts the active mock answers in process, and which it refuses.

A vendor's API host (`api.claap.io`) is served. Any other host under a vendor's own
domain (`www.claap.io`, `rtc.telnyx.com`) is refused with the client's own connection
error: the mock has nothing there, and a test must never reach the real vendor. Every
other host is none of recmock's business and goes out untouched.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from recmock.intercept.server import InProcessServer


@dataclass(frozen=True)
class Refusal:
    """A vendor host the mock does not serve; `reason` goes into the client's error."""

    host: str
    reason: str


class HostTable:
    """The hosts one mock answers: `served` maps each API host to its vendor, and
    `guarded` each vendor's own domain to its vendor."""

    def __init__(
        self, server: InProcessServer, served: Mapping[str, str], guarded: Mapping[str, str]
    ) -> None:
        self.server = server
        self._served = {host.lower(): vendor for host, vendor in served.items()}
        self._guarded = {domain.lower(): vendor for domain, vendor in guarded.items()}
        self._guarded_suffixes = tuple(f".{domain}" for domain in self._guarded)
        # Vendor hosts that a client looked up in DNS (`dns_guard`): a client no
        # interception answers, which the pytest fixture reports at teardown.
        self._unintercepted: list[str] = []
        self._lock = threading.Lock()

    def route(self, host: str | None) -> InProcessServer | Refusal | None:
        """The server for `host`, a refusal for a vendor host it does not serve, or
        None for a host that is not a vendor's. Runs on every call of every client."""
        if not host:
            return None
        name = host.lower()
        if name in self._served:
            return self.server
        if name.endswith(".") and name.rstrip(".") in self._served:
            return self.server
        vendor = self.vendor_of(name)
        if vendor is None:
            return None
        hosts = ", ".join(sorted(h for h, v in self._served.items() if v == vendor))
        return Refusal(
            name,
            f"recmock refused {name}: it serves {vendor} at {hosts} only, and no request"
            f" for a {vendor} host leaves a test",
        )

    def vendor_of(self, host: str) -> str | None:
        """The vendor whose host or domain `host` is, if any."""
        name = host.lower().rstrip(".")
        vendor = self._served.get(name) or self._guarded.get(name)
        if vendor is None and self._guarded_suffixes and name.endswith(self._guarded_suffixes):
            for domain, owner in self._guarded.items():
                if name.endswith(f".{domain}"):
                    return owner
        return vendor

    def note_unintercepted(self, host: str) -> None:
        with self._lock:
            self._unintercepted.append(host)

    def take_unintercepted(self) -> list[str]:
        """The vendor hosts looked up in DNS since the last call, and forget them."""
        with self._lock:
            taken, self._unintercepted = self._unintercepted, []
        return taken
