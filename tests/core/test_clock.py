"""The Clock and the scheduler of due events (DESIGN.md, "Time")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from recmock import Config, create_app
from recmock.clock import Clock
from recmock.scheduler import Scheduler
from recmock.timeutil import parse_duration


def test_a_frozen_clock_stands_still_and_moves_only_when_told() -> None:
    clock = Clock()
    clock.freeze()
    start = clock.now()
    assert clock.now() == start
    clock.advance(timedelta(hours=2))
    assert clock.now() == start + timedelta(hours=2)
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.now() == datetime(2030, 1, 1, tzinfo=UTC)


def test_an_offset_clock_runs_with_real_time() -> None:
    clock = Clock()
    clock.advance(timedelta(days=1))
    assert abs(clock.now() - (datetime.now(UTC) + timedelta(days=1))) < timedelta(seconds=1)


def test_thawing_continues_from_the_frozen_instant() -> None:
    clock = Clock()
    clock.freeze()
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    clock.unfreeze()
    assert not clock.frozen
    assert (
        datetime(2030, 1, 1, tzinfo=UTC) <= clock.now() < datetime(2030, 1, 1, 0, 0, 5, tzinfo=UTC)
    )


def test_the_clock_never_advances_backwards() -> None:
    with pytest.raises(ValueError):
        Clock().advance(timedelta(seconds=-1))


def test_freezegun_moves_the_in_process_clock() -> None:
    app = create_app(Config())
    mock = app.extensions["recmock"]
    assert mock.clock.frozen is False
    with freeze_time("2031-05-06 07:08:09") as frozen:
        assert mock.now() == datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
        assert mock.clock.frozen is True  # time stands still, as freezegun holds it
        frozen.tick(timedelta(hours=1))
        assert mock.now() == datetime(2031, 5, 6, 8, 8, 9, tzinfo=UTC)
        with freeze_time("2031-06-01", tick=True):
            assert mock.clock.frozen is False  # a ticking freeze lets time run
        assert mock.clock.frozen is True
    assert mock.clock.frozen is False
    mock.close()


def test_advancing_carries_out_every_due_event_in_order_with_its_due_time() -> None:
    clock = Clock()
    clock.freeze()
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    scheduler = Scheduler(clock.now)
    clock._on_moved = scheduler.run_due
    seen: list[tuple[str, datetime]] = []

    def record(name: str):
        def action(at: datetime) -> str:
            seen.append((name, at))
            if name == "first":  # an event may schedule another that is already due
                scheduler.schedule(at + timedelta(seconds=5), "core", record("follow-up"))
            return name

        return action

    t0 = clock.now()
    scheduler.schedule(t0 + timedelta(seconds=30), "core", record("second"))
    scheduler.schedule(t0 + timedelta(seconds=10), "core", record("first"))
    scheduler.schedule(t0 + timedelta(hours=1), "core", record("later"))

    fired = clock.advance(timedelta(minutes=1))

    assert seen == [
        ("first", t0 + timedelta(seconds=10)),
        ("follow-up", t0 + timedelta(seconds=15)),
        ("second", t0 + timedelta(seconds=30)),
    ]
    assert [f["event"] for f in fired] == ["first", "follow-up", "second"]
    assert scheduler.pending() == 1


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("2h", 7200), ("14d", 14 * 86400), ("1h30m", 5400), ("PT1H30M", 5400),
     ("P14D", 14 * 86400), ("PT0.5S", 0.5), (45, 45), ("250ms", 0.25), ("1.5s", 1.5)],
)  # fmt: skip
def test_durations(text, seconds) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "soon", "P", "PT", "-5", "5x", True])
def test_not_durations(text) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["1M", "30M", "P1M", "1Ms"])
def test_an_upper_case_m_is_refused_as_ambiguous(text) -> None:
    """A month in ISO-8601 (P1M), a minute in "1m": "1M" once moved the clock a minute."""
    with pytest.raises(ValueError, match="is ambiguous: write minutes as m"):
        parse_duration(text)
