"""Turning interception on and off for the whole process.

A client library is patched while at least one mock answers in process, and put back
as it was when the last one stops, unless the patches are held (`held()`: the pytest
plugin holds them for the session, so that a test pays for a cheap switch of which mock
answers, not for patching five libraries; with no mock answering, every patched call
passes straight through). Patches are process-wide by nature (code under
test builds its own sessions and clients, on any thread), so this is the one piece of
process-wide state in recmock: `INTERCEPTION`. Which mock answers is a stack, so a
`mock_vendors()` inside another (or inside the pytest fixture) answers until it ends,
and the outer one after that.

Each client's module (`requests_adapter`, `urllib3_connections`, `httpx_transports`,
`aiohttp_connector`, `dns_guard`) provides `install(interception)`, which patches its
library (if it is installed) to ask `interception.route(host)` on every request, and
answers how to undo it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from recmock.intercept.matching import HostTable, Refusal
from recmock.intercept.server import InProcessServer

Undo = Callable[[], None]


class Interception:
    def __init__(self, installers: list[Callable[[Interception], Undo | None]]) -> None:
        self._installers = installers
        self._tables: list[HostTable] = []
        self._undo: list[Undo] = []
        self._holds = 0
        self._installed = False
        self._lock = threading.Lock()

    @property
    def table(self) -> HostTable | None:
        """The hosts of the mock that answers now (the innermost), if any."""
        tables = self._tables
        return tables[-1] if tables else None

    def route(self, host: str | None) -> InProcessServer | Refusal | None:
        """Where a request for `host` goes: the mock's server, a refusal, or (None)
        out to the network as usual."""
        tables = self._tables
        if not tables:
            return None
        return tables[-1].route(host)

    @contextmanager
    def answering(self, table: HostTable) -> Iterator[HostTable]:
        """While active, the mock behind `table` answers its hosts in process."""
        with self._lock:
            self._install()
            self._tables = [*self._tables, table]
        try:
            yield table
        finally:
            with self._lock:
                tables = list(self._tables)
                del tables[len(tables) - 1 - tables[::-1].index(table)]
                self._tables = tables
                self._uninstall_if_unused()

    @contextmanager
    def held(self) -> Iterator[None]:
        """While active, the patches stay in place between mocks (installed at the
        first mock that answers)."""
        with self._lock:
            self._holds += 1
        try:
            yield
        finally:
            with self._lock:
                self._holds -= 1
                self._uninstall_if_unused()

    def _install(self) -> None:
        if self._installed:
            return
        for install in self._installers:
            undo = install(self)
            if undo is not None:
                self._undo.append(undo)
        self._installed = True

    def _uninstall_if_unused(self) -> None:
        if self._tables or self._holds or not self._installed:
            return
        while self._undo:
            self._undo.pop()()
        self._installed = False


def _installers() -> list[Callable[[Interception], Undo | None]]:
    from recmock.intercept import (
        aiohttp_connector,
        dns_guard,
        httpx_transports,
        requests_adapter,
        urllib3_connections,
    )

    return [
        requests_adapter.install,
        urllib3_connections.install,
        httpx_transports.install,
        aiohttp_connector.install,
        dns_guard.install,
    ]


INTERCEPTION = Interception(_installers())
