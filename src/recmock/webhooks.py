"""Outbound webhooks: real HTTP with requests, timeouts, retries on the mock's clock,
a failover URL where the vendor has one, and every attempt kept in the outbox
(`GET /_recmock/webhooks`).

Sending never happens under the store's lock: `send` schedules the first attempt as a
due event at the current instant, and the scheduler carries it out once the transition
that caused it has finished (before the answer of the request or clock move that
caused it). Retries are due events too, so they follow the mock's clock: advancing it
by a minute carries out the retry that was due a minute later.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from recmock.scheduler import Scheduler
from recmock.timeutil import iso_millis
from recmock.vendor_names import VendorNames


@dataclass
class Delivery:
    """One event to deliver to one receiver, as the vendor delivers it."""

    vendor: str
    event: str
    url: str
    body: bytes
    payload: Any  # the decoded body, for the outbox
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    # Delays before each retry, counted from the failed attempt before it.
    retry_delays: list[timedelta] = field(default_factory=list)
    failover_url: str | None = None
    # Builds each attempt's own headers and body, for vendors whose body names the
    # attempt and the URL it goes to and whose signature is fresh each time (Telnyx):
    # (url, attempt number) -> (headers to add, body).
    per_attempt: Callable[[str, int], tuple[dict[str, str], bytes]] | None = None
    # Whose delivery it is (a webhook registration's id), where one receiver URL can be
    # registered by several accounts.
    owner: str | None = None


class WebhookAttempt(dict[str, Any]):
    """One delivery attempt as the control API answers it, plus `.json()`: the payload
    it carried, as a journal entry's `.json()` gives the request's body."""

    def json(self) -> Any:
        return self["payload"]


class Outbox:
    def __init__(self, scheduler: Scheduler, names: VendorNames, keep: int = 10_000) -> None:
        self._scheduler = scheduler
        self._names = names
        self._attempts: deque[WebhookAttempt] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._delivery_ids = itertools.count(1)
        self._attempt_ids = itertools.count(1)

    def send(self, delivery: Delivery, at: datetime) -> None:
        delivery_id = next(self._delivery_ids)
        self._scheduler.schedule(
            at, delivery.vendor, lambda due: self._attempt(delivery, delivery_id, 1, due)
        )

    def _attempt(self, delivery: Delivery, delivery_id: int, number: int, at: datetime) -> str:
        delivered = self._post(delivery, delivery_id, number, delivery.url, at)
        if not delivered and delivery.failover_url:
            delivered = self._post(delivery, delivery_id, number, delivery.failover_url, at)
        outcome = "delivered" if delivered else "failed"
        if not delivered and number <= len(delivery.retry_delays):
            retry_at = at + delivery.retry_delays[number - 1]
            self._scheduler.schedule(
                retry_at,
                delivery.vendor,
                lambda due: self._attempt(delivery, delivery_id, number + 1, due),
            )
            outcome += f", retry at {iso_millis(retry_at)}"
        return f"webhook {delivery.event} attempt {number} to {delivery.url}: {outcome}"

    def _post(
        self, delivery: Delivery, delivery_id: int, number: int, url: str, at: datetime
    ) -> bool:
        headers = {"Content-Type": "application/json", "User-Agent": "recmock-webhooks"}
        headers.update(delivery.headers)
        body, payload = delivery.body, delivery.payload
        if delivery.per_attempt:
            extra, body = delivery.per_attempt(url, number)
            headers.update(extra)
            payload = json.loads(body)
        import requests  # on first delivery: it is slow to import, and start-up counts

        from recmock.outbound import OutboundSession

        status: int | None = None
        error: str | None = None
        started = time.perf_counter()
        try:
            with OutboundSession() as session:
                response = session.post(url, data=body, headers=headers, timeout=delivery.timeout)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"receiver answered {status}"
        except requests.Timeout:
            error = f"no answer within {delivery.timeout:g}s"
        except requests.RequestException as exc:
            error = f"could not reach receiver: {type(exc).__name__}"
        except Exception as exc:  # a URL the HTTP stack cannot even parse, for one
            error = f"could not send: {type(exc).__name__}: {exc}"
        record = WebhookAttempt(
            {
                "delivery": delivery_id,
                "vendor": delivery.vendor,
                "owner": delivery.owner,
                "event": delivery.event,
                "url": url,
                "attempt": number,
                "status": status,
                "error": error,
                "at": iso_millis(at),
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "headers": headers,
                "payload": payload,
            }
        )
        with self._lock:
            record["id"] = next(self._attempt_ids)
            self._attempts.append(record)
        return error is None

    def attempts(self, vendor: str | None = None) -> list[WebhookAttempt]:
        """Every attempt (or one vendor's), oldest first; copies, so that a test that
        edits one changes nothing kept."""
        if vendor is not None:
            self._names.check(vendor)
        with self._lock:
            return [
                WebhookAttempt(a) for a in self._attempts if vendor is None or a["vendor"] == vendor
            ]

    def clear(self, vendor: str | None = None) -> None:
        if vendor is not None:
            self._names.check(vendor)
        with self._lock:
            kept = [a for a in self._attempts if vendor is not None and a["vendor"] != vendor]
            self._attempts.clear()
            self._attempts.extend(kept)
