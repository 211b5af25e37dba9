"""The request journal: every request the mock received, newest last, so a test can
assert what its code under test sent (`GET /_recmock/requests`)."""

from __future__ import annotations

import fnmatch
import itertools
import threading
from collections import deque
from typing import Any


class Journal:
    def __init__(self, keep: int = 10_000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            entry["id"] = next(self._ids)
            self._entries.append(entry)

    def entries(
        self, vendor: str | None = None, method: str | None = None, path: str | None = None
    ) -> list[dict[str, Any]]:
        """Entries filtered by vendor, method and path (a glob on the vendor's own path)."""
        with self._lock:
            entries = list(self._entries)
        return [
            e
            for e in entries
            if (vendor is None or e["vendor"] == vendor)
            and (method is None or e["method"] == method.upper())
            and (path is None or fnmatch.fnmatchcase(e["path"], path))
        ]

    def clear(self, vendor: str | None = None) -> None:
        with self._lock:
            kept = [e for e in self._entries if vendor is not None and e["vendor"] != vendor]
            self._entries.clear()
            self._entries.extend(kept)
