"""Due events: everything timed (lifecycle steps, link expiry, retention, webhook
retries) is an event in one heap ordered by due time.

Events are carried out when the clock moves, before each request is served, and by the
ticker of `recmock serve`. An event runs with its own due time, so a state change that
fell due an hour ago carries the timestamp of an hour ago, as at the vendor.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from recmock.timeutil import iso_millis

# An action receives its due time and says what it did, or None when nothing changed
# (for example the resource was deleted in the meantime); only what happened is reported.
Action = Callable[[datetime], str | None]


@dataclass(order=True)
class DueEvent:
    due: datetime
    seq: int
    vendor: str = field(compare=False)
    action: Action = field(compare=False, repr=False)


class Scheduler:
    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self._heap: list[DueEvent] = []
        self._seq = itertools.count()
        self._heap_lock = threading.Lock()
        # Serialises running events, so a transition and its follow-ups happen in order
        # even when the ticker and a request find them due at the same time.
        self._run_lock = threading.RLock()
        self.wakeup = threading.Event()

    def schedule(self, due: datetime, vendor: str, action: Action) -> DueEvent:
        event = DueEvent(due, next(self._seq), vendor, action)
        with self._heap_lock:
            heapq.heappush(self._heap, event)
        self.wakeup.set()
        return event

    def next_due(self) -> datetime | None:
        heap = self._heap
        return heap[0].due if heap else None

    def has_due(self) -> bool:
        heap = self._heap
        return bool(heap) and heap[0].due <= self._now()

    def run_due(self) -> list[dict]:
        """Carry out every event due by now, including those that due events schedule."""
        fired: list[dict] = []
        with self._run_lock:
            while True:
                now = self._now()
                with self._heap_lock:
                    if not self._heap or self._heap[0].due > now:
                        break
                    event = heapq.heappop(self._heap)
                what = event.action(event.due)
                if what:
                    fired.append(
                        {"at": iso_millis(event.due), "vendor": event.vendor, "event": what}
                    )
        return fired

    def pending(self, vendor: str | None = None) -> int:
        with self._heap_lock:
            return sum(1 for e in self._heap if vendor is None or e.vendor == vendor)

    def clear(self, vendor: str | None = None) -> None:
        with self._heap_lock:
            if vendor is None:
                self._heap.clear()
            else:
                self._heap = [e for e in self._heap if e.vendor != vendor]
                heapq.heapify(self._heap)
