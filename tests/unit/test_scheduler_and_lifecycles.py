"""Due events in due order, on the mock's clock, and lifecycles made of them: steps
after a duration, after reads, at once; restarted, forgotten, cleared."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from recmock.clock import Clock
from recmock.lifecycle import Lifecycles
from recmock.scheduler import Scheduler
from recmock.scripts import Step

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    clock.freeze()
    clock.set(START)
    return clock


@pytest.fixture
def scheduler(clock: Clock) -> Scheduler:
    scheduler = Scheduler(clock.now)
    clock._on_moved = scheduler.run_due
    clock._guard = scheduler.run_lock
    return scheduler


def test_events_run_in_due_order_each_with_its_own_due_time(
    clock: Clock, scheduler: Scheduler
) -> None:
    seen: list[tuple[str, datetime]] = []

    def record(name: str):
        return lambda at: seen.append((name, at)) or f"{name} ran"

    scheduler.schedule(START + timedelta(seconds=20), "v", record("late"))
    scheduler.schedule(START + timedelta(seconds=10), "v", record("early"))
    scheduler.schedule(START + timedelta(seconds=90), "v", record("not yet"))
    fired = clock.advance(timedelta(seconds=30))
    assert seen == [
        ("early", START + timedelta(seconds=10)),
        ("late", START + timedelta(seconds=20)),
    ]
    assert [f["event"] for f in fired] == ["early ran", "late ran"]
    assert scheduler.pending() == 1


def test_a_failing_event_is_reported_and_the_rest_still_run(
    clock: Clock, scheduler: Scheduler
) -> None:
    def broken(at: datetime) -> str:
        raise RuntimeError("boom")

    scheduler.schedule(START, "v", broken)
    scheduler.schedule(START, "v", lambda at: "fine")
    fired = scheduler.run_due()
    assert [f["event"] for f in fired] == ["failed", "fine"]
    assert fired[0]["error"] == "RuntimeError('boom')"


def test_a_request_does_not_queue_behind_events_another_thread_runs(
    scheduler: Scheduler,
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(at: datetime) -> str:
        started.set()
        release.wait(5)
        return "slow"

    scheduler.schedule(START, "v", slow)
    scheduler.schedule(START, "v", lambda at: "second")
    worker = threading.Thread(target=scheduler.run_due)
    worker.start()
    started.wait(5)
    assert scheduler.run_due(wait=False) == []  # skipped, not blocked
    release.set()
    worker.join(5)
    assert scheduler.pending() == 0


def test_clear_forgets_one_vendors_events(scheduler: Scheduler) -> None:
    scheduler.schedule(START, "a", lambda at: "a")
    scheduler.schedule(START, "b", lambda at: "b")
    scheduler.clear("a")
    assert [f["vendor"] for f in scheduler.run_due()] == ["b"]


@pytest.fixture
def lifecycles(clock: Clock, scheduler: Scheduler) -> Lifecycles:
    return Lifecycles(scheduler, clock.now, threading.RLock())


def test_steps_after_durations_and_at_once(clock: Clock, lifecycles: Lifecycles) -> None:
    states: list[tuple[str, datetime]] = []

    def apply(state: str, at: datetime) -> str:
        states.append((state, at))
        return f"is {state}"

    steps = [Step("Uploaded"), Step("Ready", after=timedelta(seconds=10)), Step("Archived")]
    lifecycles.start("v", "v/r1", steps, apply)
    assert states == [("Uploaded", START)]  # an immediate step, before start returns
    clock.advance(timedelta(seconds=9))
    assert len(states) == 1
    fired = clock.advance(timedelta(seconds=1))
    ten = START + timedelta(seconds=10)
    assert states[1:] == [("Ready", ten), ("Archived", ten)]
    assert [f["event"] for f in fired] == ["is Ready"]


def test_a_step_after_reads_waits_for_them(lifecycles: Lifecycles) -> None:
    states: list[str] = []
    lifecycles.start(
        "v",
        "v/r1",
        [Step("Processing"), Step("Ready", after_reads=2)],
        lambda s, at: states.append(s) or s,
    )
    lifecycles.note_read("v/r1")
    assert states == ["Processing"]
    lifecycles.note_read("v/r1")
    assert states == ["Processing", "Ready"]
    lifecycles.note_read("v/r1")  # finished: reads count for nothing
    assert states == ["Processing", "Ready"]


def test_a_restart_a_forget_and_a_clear_stop_what_was_scheduled(
    clock: Clock, lifecycles: Lifecycles
) -> None:
    states: list[str] = []

    def apply(state: str, at: datetime) -> str:
        states.append(state)
        return state

    later = [Step("Late", after=timedelta(seconds=5))]
    lifecycles.start("v", "v/r1", later, apply)
    lifecycles.start("v", "v/r1", [Step("Sooner", after=timedelta(seconds=1))], apply)
    lifecycles.start("v", "v/r2", later, apply)
    lifecycles.forget("v/r2")
    lifecycles.start("w", "w/r3", later, apply)
    lifecycles.clear("w")
    clock.advance(timedelta(seconds=10))
    assert states == ["Sooner"]


def test_a_resource_gone_ends_its_lifecycle(clock: Clock, lifecycles: Lifecycles) -> None:
    calls: list[str] = []

    def gone(state: str, at: datetime) -> None:
        calls.append(state)
        return None

    steps = [Step("A", after=timedelta(seconds=1)), Step("B", after=timedelta(seconds=1))]
    lifecycles.start("v", "v/r1", steps, gone)
    clock.advance(timedelta(seconds=5))
    assert calls == ["A"]
