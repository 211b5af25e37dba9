"""How recmock scales with what it stores, in-process (no sockets):

- GET and list latency of one workspace's Claap recordings with 1 000 and with 100 000
  recordings stored across all workspaces; the ratio should stay under 1.5, because a
  tenant's list must not scan every tenant's resources;
- memory per stored recording (tracemalloc);
- one clock advance that carries out 10 000 due lifecycle steps (budget 100 ms).

    .venv/bin/python benchmarks/scale.py [--large 100000]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
import tracemalloc
from datetime import timedelta

from recmock import Config, create_app
from recmock.scripts import Step

WORKSPACES = 1000
MEASURED = 20  # recordings of the workspace whose GET and list are timed


def _fill(count: int) -> tuple:
    """`count` recordings: 20 in the measured workspace, made over HTTP like a client's,
    and the rest spread over other workspaces (copies of one real recording, stored
    directly: creating 100 000 over HTTP would take minutes)."""
    app = create_app(Config(seed=1, quotas=False, rate_limits=False))
    mock = app.extensions["recmock"]
    mock.clock.freeze()
    client = app.test_client()
    claap = mock.vendors["claap"]
    for _ in range(MEASURED):
        client.post("/claap/v1/recordings", json={"authorEmail": "a@acme.com"},
                    headers={"X-Claap-Key": "cla_measured"})  # fmt: skip
    template = claap.recordings.all("cla_measured")[0]
    for index in range(count - MEASURED):
        copy = dataclasses.replace(template, id=f"r{index:08d}")
        claap.recordings.put(f"cla_ws{index % WORKSPACES}", copy)
    mine = template.id
    return app, client, mine


def _memory_per_recording(count: int = 2000) -> float:
    """Bytes a recording made over HTTP keeps (tracemalloc)."""
    app = create_app(Config(seed=1, quotas=False, rate_limits=False))
    client = app.test_client()
    client.post("/claap/v1/recordings", json={"authorEmail": "a@acme.com"},
                headers={"X-Claap-Key": "cla_warm"})  # fmt: skip
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for index in range(count):
        client.post("/claap/v1/recordings", json={"authorEmail": "a@acme.com"},
                    headers={"X-Claap-Key": f"cla_ws{index % 50}"})  # fmt: skip
    app.extensions["recmock"].journal.clear()  # the journal is bounded; count the store
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    app.extensions["recmock"].close()
    return used / count


def _median_ms(call, rounds: int = 300) -> float:
    for _ in range(20):
        call()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _latencies(count: int) -> tuple[float, float]:
    app, client, mine = _fill(count)
    headers = {"X-Claap-Key": "cla_measured"}
    get = _median_ms(lambda: client.get(f"/claap/v1/recordings/{mine}", headers=headers))
    listed = _median_ms(lambda: client.get("/claap/v1/recordings?limit=20", headers=headers))
    app.extensions["recmock"].close()
    return get, listed


def _advance_over(due_events: int) -> float:
    app = create_app(Config(seed=1))
    mock = app.extensions["recmock"]
    mock.clock.freeze()
    for index in range(due_events):
        steps = [Step("Ready", after=timedelta(seconds=1))]
        mock.lifecycles.start("claap", f"bench/{index}", steps, lambda state, at: None)
    started = time.perf_counter()
    mock.advance("2s")
    took = (time.perf_counter() - started) * 1000
    mock.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    small = _latencies(args.small)
    large = _latencies(args.large)
    print(f"stored recordings: {args.small:>7} | {args.large:>7}  "
          f"({MEASURED} in the measured workspace)")  # fmt: skip
    print(f"GET one (ms):      {small[0]:7.3f} | {large[0]:7.3f}  ratio {large[0] / small[0]:.2f}")
    print(f"list 20 (ms):      {small[1]:7.3f} | {large[1]:7.3f}  ratio {large[1] / small[1]:.2f}")
    print(f"memory per recording: {_memory_per_recording() / 1024:.1f} KiB")
    print(f"advance over 10 000 due events: {_advance_over(10_000):.0f} ms (budget 100 ms)")


if __name__ == "__main__":
    main()
