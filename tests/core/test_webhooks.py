"""The outbox: real HTTP, timeouts, retries on the mock's clock, failover URLs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from recmock.clock import Clock
from recmock.scheduler import Scheduler
from recmock.vendor_names import VendorNames
from recmock.webhooks import Delivery, Outbox
from tests.conftest import Receiver


def _outbox() -> tuple[Clock, Outbox]:
    clock = Clock()
    clock.freeze()
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    scheduler = Scheduler(clock.now)
    clock._on_moved = scheduler.run_due
    return clock, Outbox(scheduler, VendorNames({"claap": "/claap"}))


def _delivery(url: str, **extra) -> Delivery:
    payload = {"hello": "world"}
    return Delivery("test", "thing.happened", url, json.dumps(payload).encode(), payload, **extra)


def test_the_failover_url_is_tried_when_the_first_fails(receiver: Receiver) -> None:
    clock, outbox = _outbox()
    receiver.statuses = [500]
    outbox.send(
        _delivery(f"{receiver.url}/main", failover_url=f"{receiver.url}/backup"), clock.now()
    )
    clock.advance(timedelta(0))
    assert [r.path for r in receiver.received] == ["/main", "/backup"]
    attempts = outbox.attempts()
    assert [(a["url"].rsplit("/", 1)[1], a["status"], a["attempt"]) for a in attempts] == [
        ("main", 500, 1),
        ("backup", 200, 1),
    ]


def test_an_attempt_is_abandoned_after_the_timeout(receiver: Receiver) -> None:
    clock, outbox = _outbox()
    receiver.delay_s = 1.0
    outbox.send(_delivery(receiver.url, timeout=0.2), clock.now())
    clock.advance(timedelta(0))
    assert outbox.attempts()[0]["error"] == "no answer within 0.2s"
    assert outbox.attempts()[0]["status"] is None


def test_each_attempt_is_recorded_with_what_was_sent(receiver: Receiver) -> None:
    clock, outbox = _outbox()
    outbox.send(_delivery(receiver.url, headers={"X-Sig": "abc"}), clock.now())
    clock.advance(timedelta(0))
    (attempt,) = outbox.attempts()
    assert attempt["vendor"] == "test" and attempt["event"] == "thing.happened"
    assert attempt["payload"] == {"hello": "world"}
    assert attempt["headers"]["X-Sig"] == "abc"
    assert attempt["at"] == "2030-01-01T00:00:00.000Z"
    assert receiver.received[0].headers["X-Sig"] == "abc"


def test_each_attempt_builds_its_own_headers_and_body(receiver: Receiver) -> None:
    clock, outbox = _outbox()
    receiver.statuses = [500, 500]

    def per_attempt(url: str, number: int) -> tuple[dict, bytes]:
        body = json.dumps({"attempt": number, "to": url}).encode()
        return {"X-Attempt": str(number)}, body

    outbox.send(
        _delivery(
            f"{receiver.url}/main",
            failover_url=f"{receiver.url}/backup",
            per_attempt=per_attempt,
            retry_delays=[timedelta(minutes=1)],
        ),
        clock.now(),
    )
    clock.advance(timedelta(minutes=1))

    sent = [(r.path, r.headers["X-Attempt"], r.json()) for r in receiver.received]
    assert sent == [
        ("/main", "1", {"attempt": 1, "to": f"{receiver.url}/main"}),
        ("/backup", "1", {"attempt": 1, "to": f"{receiver.url}/backup"}),
        ("/main", "2", {"attempt": 2, "to": f"{receiver.url}/main"}),
    ]
    assert [a["payload"]["attempt"] for a in outbox.attempts()] == [1, 1, 2]


def test_loopback_receivers_are_reached_directly_other_hosts_through_the_proxy(
    receiver: Receiver, monkeypatch
) -> None:
    """Docker gives every container HTTP_PROXY when its daemon has a proxy; a receiver on
    the test's own machine must not be sent through it (recmock.outbound)."""
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", receiver.url)  # the receiver stands in for the proxy
    clock, outbox = _outbox()
    port = receiver.url.rsplit(":", 1)[1]
    outbox.send(_delivery(f"{receiver.url}/direct"), clock.now())
    outbox.send(_delivery(f"http://localhost:{port}/by-name"), clock.now())
    outbox.send(_delivery("http://receiver.invalid/proxied"), clock.now())
    clock.advance(timedelta(0))

    assert [r.path for r in receiver.received] == [
        "/direct",
        "/by-name",
        "http://receiver.invalid/proxied",  # an absolute URL: the request a proxy gets
    ]
    assert [a["error"] for a in outbox.attempts()] == [None, None, None]
