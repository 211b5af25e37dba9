"""In `recmock serve`, carries out due events as real time reaches them, so a run on
the real clock behaves like the vendor (a recording turns Ready ten seconds after its
upload, unasked). Tests that move the clock themselves do not need it."""

from __future__ import annotations

import logging
import threading

from recmock.mock import RecMock

log = logging.getLogger("recmock")

# Wake at least this often: the clock can be set or thawed without a new event.
_LONGEST_NAP_S = 0.5


class Ticker:
    def __init__(self, mock: RecMock) -> None:
        self._mock = mock
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recmock-ticker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._mock.scheduler.wakeup.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        scheduler = self._mock.scheduler
        while not self._stopping.is_set():
            scheduler.wakeup.clear()
            nap = _LONGEST_NAP_S
            try:  # whatever happens, the ticker must go on ticking
                if scheduler.has_due():
                    scheduler.run_due()
                due = scheduler.next_due()
                if due is not None:
                    nap = max(0.0, min(nap, (due - self._mock.now()).total_seconds()))
            except Exception:
                log.exception("the ticker failed to run due events")
            scheduler.wakeup.wait(nap)
