"""The mock's clock: real time, real time plus an offset, or a frozen instant.

`now()` reads `datetime.now` at call time, so `freezegun.freeze_time` in a test moves
the in-process mock with it, and the clock reports itself frozen while freezegun holds
time still (not with `tick=True` or `auto_tick_seconds`). Nothing else in recmock reads
the time.

Moving the clock (`set`, `advance`, thawing) calls `on_moved`, which the mock wires to
its scheduler, so every event that fell due is carried out before the call returns.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from typing import Any

# The clock stops here: far enough for any test, short of datetime's own limit.
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


class Clock:
    def __init__(
        self,
        on_moved: Callable[[], list[Any]] | None = None,
        guard: AbstractContextManager | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None
        self._on_moved = on_moved or (lambda: [])
        # Held from the move until its due events are done (the scheduler's run lock).
        self._guard = guard or nullcontext()

    def now(self) -> datetime:
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        return datetime.now(UTC) + self._offset

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None or _frozen_by_freezegun()

    def set(self, instant: datetime) -> list[Any]:
        """Jump to `instant` (forwards or backwards); stays frozen if it was."""
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        if instant >= LATEST:
            raise ValueError(f"the clock cannot go past {LATEST.year}")
        with self._guard:
            with self._lock:
                if self._frozen_at is not None:
                    self._frozen_at = instant
                else:
                    self._offset = instant - datetime.now(UTC)
            return self._on_moved()

    def advance(self, delta: timedelta) -> list[Any]:
        if delta < timedelta(0):
            raise ValueError("the clock only advances forwards; use set() to go back")
        try:
            target = self.now() + delta
        except OverflowError:
            target = LATEST
        if target >= LATEST:
            raise ValueError(f"the clock cannot go past {LATEST.year}")
        with self._guard:
            with self._lock:
                if self._frozen_at is not None:
                    self._frozen_at += delta
                else:
                    self._offset += delta
            return self._on_moved()

    def freeze(self) -> None:
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = datetime.now(UTC) + self._offset

    def unfreeze(self) -> list[Any]:
        """Let time run again from the frozen instant (the offset keeps it continuous)."""
        with self._guard:
            with self._lock:
                if self._frozen_at is None:
                    return []
                self._offset = self._frozen_at - datetime.now(UTC)
                self._frozen_at = None
            return self._on_moved()

    def reset(self) -> None:
        """Back to real time, not frozen."""
        with self._lock:
            self._offset = timedelta(0)
            self._frozen_at = None


def _frozen_by_freezegun() -> bool:
    """Whether `freezegun.freeze_time` holds time still now: its innermost freeze is a
    plain one (freezegun keeps them in a stack, `freeze_factories`)."""
    api = sys.modules.get("freezegun.api")
    if api is None:
        return False
    factories: list[Any] = getattr(api, "freeze_factories", None) or []
    frozen_type = getattr(api, "FrozenDateTimeFactory", None)
    return bool(factories) and frozen_type is not None and isinstance(factories[-1], frozen_type)
