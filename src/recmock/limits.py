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

    def seconds_until_token(self) -> float:
        return max(0.0, (1 - self._tokens) / self.rate)


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

    def frees_at(self, now: datetime) -> datetime | None:
        """When the next slot frees up, if the window is full."""
        self._expire(now)
        if len(self._events) < self.limit:
            return None
        return self._events[0] + self.window


class Limits:
    """Named limiters created on first use, e.g. one bucket per (tenant, endpoint)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._buckets: dict[tuple, TokenBucket] = {}
        self._windows: dict[tuple, SlidingWindow] = {}

    def bucket(self, key: tuple, rate: float, burst: int, now: datetime) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(rate, burst, now)
        return bucket

    def window(self, key: tuple, limit: int, window: timedelta) -> SlidingWindow:
        found = self._windows.get(key)
        if found is None:
            found = self._windows[key] = SlidingWindow(limit, window)
        return found

    def clear(self, vendor: str | None = None) -> None:
        """Forget limiter state; keys start with the vendor's name."""
        with self.lock:
            for table in (self._buckets, self._windows):
                for key in [k for k in table if vendor is None or k[0] == vendor]:
                    del table[key]
