"""Runs a resource's timeline (a list of `Step`s) on the mock's clock.

A vendor starts a lifecycle with the steps of its default lifecycle or of a matching
state script, and a function that applies one state to the resource. Steps with a
duration become due events; `after_reads` steps wait until the vendor reports that
many reads of the resource; immediate steps are applied before `start` returns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from recmock.scheduler import Scheduler
from recmock.scripts import Step

# Applies a state to the resource at the given instant; returns what happened (for the
# clock's report) or None when the resource is gone and the lifecycle should stop.
ApplyState = Callable[[str, datetime], str | None]


@dataclass
class _Progress:
    vendor: str
    steps: list[Step]
    apply: ApplyState
    index: int = 0
    reads: int = 0


class Lifecycles:
    def __init__(
        self, scheduler: Scheduler, now: Callable[[], datetime], lock: threading.RLock
    ) -> None:
        self._scheduler = scheduler
        self._now = now
        self._running: dict[str, _Progress] = {}
        # The store's lock: applying a state takes it anyway, and one lock for both
        # means a request and a due event can never wait on each other in a cycle.
        self._lock = lock

    def start(self, vendor: str, key: str, steps: list[Step], apply: ApplyState) -> None:
        """Start (or restart) the lifecycle of the resource `key` at the current time."""
        with self._lock:
            progress = _Progress(vendor, list(steps), apply)
            self._running[key] = progress
            self._continue(key, progress, self._now())

    def note_read(self, key: str) -> None:
        """The vendor served the resource once; an `after_reads` step may now be due."""
        with self._lock:
            progress = self._running.get(key)
            if progress is None or progress.index >= len(progress.steps):
                return
            step = progress.steps[progress.index]
            if step.after_reads is None:
                return
            progress.reads += 1
            if progress.reads >= step.after_reads:
                self._apply_and_continue(key, progress, self._now())

    def forget(self, key: str) -> None:
        with self._lock:
            self._running.pop(key, None)

    def clear(self, vendor: str | None = None) -> None:
        with self._lock:
            for key in [k for k, p in self._running.items() if vendor in (None, p.vendor)]:
                del self._running[key]

    def _continue(self, key: str, progress: _Progress, base: datetime) -> None:
        while progress.index < len(progress.steps):
            step = progress.steps[progress.index]
            if step.after_reads is not None:
                progress.reads = 0
                return
            if step.after:
                self._schedule(key, progress, base + step.after)
                return
            if not self._apply(key, progress, base):
                return

    def _schedule(self, key: str, progress: _Progress, due: datetime) -> None:
        def fire(at: datetime) -> str | None:
            with self._lock:
                if self._running.get(key) is not progress:
                    return None  # restarted, forgotten or reset since it was scheduled
                return self._apply_and_continue(key, progress, at)

        self._scheduler.schedule(due, progress.vendor, fire)

    def _apply_and_continue(self, key: str, progress: _Progress, at: datetime) -> str | None:
        what = self._apply(key, progress, at)
        if what:
            self._continue(key, progress, at)
        return what

    def _apply(self, key: str, progress: _Progress, at: datetime) -> str | None:
        step = progress.steps[progress.index]
        progress.index += 1
        what = progress.apply(step.state, at)
        finished = what is None or progress.index >= len(progress.steps)
        if finished and self._running.get(key) is progress:
            del self._running[key]
        return what
