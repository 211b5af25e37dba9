"""Due events: everything timed (lifecycle steps, link expiry, retention, webhook
retries) is an event in one heap ordered by due time.

Events are carried out when the clock moves, before each request is served, and by the
ticker of `recmock serve`. An event runs with its own due time, so a state change that
fell due an hour ago carries the timestamp of an hour ago, as at the vendor.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from recmock.timeutil import iso_millis

log = logging.getLogger("recmock")

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
        # Serialises running events, so a transition and its follow-ups happen in order.
        # The clock holds it while it moves, so a move reports exactly what it fired.
        self.run_lock = threading.RLock()
        self.wakeup = threading.Event()

    def schedule(self, due: datetime, vendor: str, action: Action) -> DueEvent:
        event = DueEvent(due, next(self._seq), vendor, action)
        with self._heap_lock:
            heapq.heappush(self._heap, event)
        self.wakeup.set()
        return event

    def next_due(self) -> datetime | None:
        with self._heap_lock:
            return self._heap[0].due if self._heap else None

    def has_due(self) -> bool:
        due = self.next_due()
        return due is not None and due <= self._now()

    def run_due(self, wait: bool = True) -> list[dict]:
        """Carry out every event due by now, including those that due events schedule.

        With `wait=False` (requests being served) it does nothing when another thread
        is already running events: a request never queues behind a webhook delivery.
        An event that fails is logged and reported; the others still run.
        """
        if not self.run_lock.acquire(blocking=wait):
            return []
        fired: list[dict] = []
        try:
            while True:
                now = self._now()
                with self._heap_lock:
                    if not self._heap or self._heap[0].due > now:
                        break
                    event = heapq.heappop(self._heap)
                report = {"at": iso_millis(event.due), "vendor": event.vendor}
                try:
                    what = event.action(event.due)
                except Exception as exc:
                    log.exception("a due %s event failed", event.vendor)
                    fired.append({**report, "event": "failed", "error": repr(exc)})
                    continue
                if what:
                    fired.append({**report, "event": what})
        finally:
            self.run_lock.release()
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
