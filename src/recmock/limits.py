"""Rate limits and quotas on the mock's clock, so a test can exhaust one and then move
the clock to see it recover.

Both are exact under concurrency: each check-and-take happens under one lock.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up (a sustained rate with bursts)."""

    def __init__(self, rate: float, burst: int, now: datetime) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._updated = now

    def take(self, now: datetime) -> tuple[bool, int]:
        """Take one token if there is one; answer (taken, whole tokens left)."""
        elapsed = (now - self._updated).total_seconds()
        if elapsed > 0:
            self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
            self._updated = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True, int(self._tokens)
        return False, 0


class SlidingWindow:
    """At most `limit` events in any `window` (a rolling quota)."""

    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit = limit
        self.window = window
        self._events: deque[datetime] = deque()

    def _expire(self, now: datetime) -> None:
        horizon = now - self.window
        while self._events and self._events[0] <= horizon:
            self._events.popleft()

    def take(self, now: datetime) -> tuple[bool, int]:
        """Count one event if the window has room; answer (taken, room left)."""
        self._expire(now)
        if len(self._events) >= self.limit:
            return False, 0
        self._events.append(now)
        return True, self.limit - len(self._events)

    def remaining(self, now: datetime) -> int:
        self._expire(now)
        return self.limit - len(self._events)


class Limits:
    """Limiters created on first use, keyed by tuples that start with the vendor's name
    (one bucket per (vendor, tenant, endpoint), say).

    `take_window` is one atomic check-and-take. A vendor that combines several limiters
    in one decision holds `lock` around it; the limiters themselves are not locked.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._buckets: dict[tuple, TokenBucket] = {}
        self._windows: dict[tuple, SlidingWindow] = {}

    def bucket(self, key: tuple, rate: float, burst: int, now: datetime) -> TokenBucket:
        with self.lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(rate, burst, now)
            return bucket

    def window(self, key: tuple, limit: int, window: timedelta) -> SlidingWindow:
        with self.lock:
            found = self._windows.get(key)
            if found is None:
                found = self._windows[key] = SlidingWindow(limit, window)
            return found

    def take_window(
        self, key: tuple, limit: int, window: timedelta, now: datetime
    ) -> tuple[bool, int]:
        """Count one event against a rolling quota if it has room: (taken, room left)."""
        with self.lock:
            return self.window(key, limit, window).take(now)

    def clear(self, vendor: str | None = None) -> None:
        """Forget limiter state (all of it, or one vendor's)."""
        with self.lock:
            for table in (self._buckets, self._windows):
                for key in [k for k in table if vendor is None or k[0] == vendor]:
                    del table[key]
