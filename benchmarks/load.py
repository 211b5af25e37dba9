"""A bounded load on loopback: 32 concurrent clients make 10 000 resources across all five
vendors against `recmock serve --no-rate-limits` (quotas on, so Claap's 50 per workspace
is reached: 20 workspaces get 100 creates each), then every create that got a
success answer is read back. Reports creates/s and latency percentiles, and fails (exit 1)
when a success is not readable, the counts disagree with the mock's own state, or
Claap's 50-per-30-days quota let through more or fewer than it should.

    .venv/bin/python benchmarks/load.py [--creates 10000] [--clients 32]
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

VENDORS = ["claap", "telnyx", "eyeson", "valt", "scoot"]
CLAAP_WORKSPACES = 20
CLAAP_QUOTA = 50
SOCIAL = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


def _workspace(index: int) -> int:
    """Claap gets every fifth create; they go round the workspaces in turn."""
    return (index // len(VENDORS)) % CLAAP_WORKSPACES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One of the concurrent clients: its own connection and its own accounts."""

    def __init__(self, base: str, number: int) -> None:
        self.base = base
        self.number = number
        self.http = requests.Session()
        self.telnyx_key = f"KEY_load_{number}"
        self.eyeson_key = f"eyeson_load_{number}"
        self.scoot_key = f"scoot_load_{number}"
        session = self.http.post(
            f"{base}/_recmock/vendors/telnyx/sessions",
            json={"participants": 1},
            headers={"Authorization": f"Bearer {self.telnyx_key}"},
            timeout=30,
        ).json()
        self.telnyx_session = session["session"]["id"]
        login = self.http.post(
            f"{base}/valt/api/v3/login",
            json={"username": f"user{number}", "password": "pw"},
            timeout=30,
        ).json()
        self.valt_token = login["data"]["access_token"]

    def create(self, vendor: str, index: int) -> tuple[int, str | None, dict]:
        """Make one resource: (status, the path and headers that read it back)."""
        return getattr(self, f"_create_{vendor}")(index)

    def _create_claap(self, index: int) -> tuple[int, str | None, dict]:
        key = f"cla_load_{_workspace(index)}"
        answer = self.http.post(f"{self.base}/claap/v1/recordings",
                                json={"authorEmail": "a@acme.com"},
                                headers={"X-Claap-Key": key}, timeout=30)  # fmt: skip
        if answer.status_code != 200:
            return answer.status_code, None, {}
        recording = answer.json()["result"]["recording"]["id"]
        return 200, f"/claap/v1/recordings/{recording}", {"X-Claap-Key": key}

    def _create_telnyx(self, index: int) -> tuple[int, str | None, dict]:
        answer = self.http.post(f"{self.base}/telnyx/v2/room_compositions",
                                json={"session_id": self.telnyx_session},
                                headers={"Authorization": f"Bearer {self.telnyx_key}"},
                                timeout=30)  # fmt: skip
        if answer.status_code != 202:
            return answer.status_code, None, {}
        headers = {"Authorization": f"Bearer {self.telnyx_key}"}
        return 202, f"/telnyx/v2/room_compositions/{answer.json()['data']['id']}", headers

    def _create_eyeson(self, index: int) -> tuple[int, str | None, dict]:
        answer = self.http.post(f"{self.base}/eyeson/rooms", data={"user[name]": "Load"},
                                headers={"Authorization": self.eyeson_key}, timeout=30)  # fmt: skip
        if answer.status_code != 201:
            return answer.status_code, None, {}
        return 201, f"/eyeson/rooms/{answer.json()['access_key']}", {}

    def _create_valt(self, index: int) -> tuple[int, str | None, dict]:
        answer = self.http.post(
            f"{self.base}/valt/api/v3/records/create-upload?access_token={self.valt_token}",
            json={"name": f"load {index}"}, timeout=30,
        )  # fmt: skip
        if answer.status_code != 200:
            return answer.status_code, None, {}
        record = answer.json()["id"]
        return 200, f"/valt/api/v3/records/{record}?access_token={self.valt_token}", {}

    def _create_scoot(self, index: int) -> tuple[int, str | None, dict]:
        answer = self.http.post(f"{self.base}/scoot/api/v1/recording/processing",
                                json={"socialId": SOCIAL, "recordingId": f"r{index}"},
                                headers={"X-API-Key": self.scoot_key}, timeout=30)  # fmt: skip
        if answer.status_code != 200:
            return answer.status_code, None, {}
        recording = answer.json()["socialRecordingId"]
        headers = {"X-API-Key": self.scoot_key}
        return 200, f"/scoot/api/v1/recording?socialRecordingId={recording}", headers

    def read(self, path: str, headers: dict) -> int:
        """GET it back, waiting out a rate limit as a polite client does (bounded)."""
        for _ in range(10):
            status = self.http.get(f"{self.base}{path}", headers=headers, timeout=30).status_code
            if status != 429:
                return status
            time.sleep(0.5)
        return status


def _run(
    clients: list[Client], work: list[tuple[str, int]], task: Callable
) -> list[tuple[float, object]]:
    """Hand `work` out to the clients, one thread each; (latency s, result) per item."""
    results: list[tuple[float, object]] = []
    lock = threading.Lock()
    items = iter(work)

    def worker(client: Client) -> None:
        while True:
            with lock:
                item = next(items, None)
            if item is None:
                return
            started = time.perf_counter()
            outcome = task(client, *item)
            took = time.perf_counter() - started
            with lock:
                results.append((took, (item, outcome)))

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--creates", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    recmock = str(Path(sys.executable).parent / "recmock")
    command = [recmock, "serve", "--port", str(port), "--quiet", "--no-rate-limits"]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/_recmock/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        clients = [Client(base, n) for n in range(args.clients)]
        work = [(vendor, i) for i, vendor in zip(range(args.creates), itertools.cycle(VENDORS))]

        started = time.perf_counter()
        created = _run(clients, work, lambda c, vendor, i: c.create(vendor, i))
        elapsed = time.perf_counter() - started

        statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        paths: list[tuple[str, str, dict]] = []
        for _, ((vendor, _index), (status, path, headers)) in created:  # type: ignore[misc]
            statuses[vendor][status] += 1
            if path:
                paths.append((vendor, path, headers))
        reads = _run(clients, paths, lambda c, vendor, path, headers: c.read(path, headers))
        readable = [(item[0], status) for _, (item, status) in reads if status == 200]  # type: ignore[misc]
        unread = collections.Counter(status for _, (_, status) in reads if status != 200)  # type: ignore[misc]
        state = requests.get(f"{base}/_recmock/state", timeout=60).json()["vendors"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)

    latencies = sorted(took * 1000 for took, _ in created)
    print(f"{len(created)} creates by {args.clients} clients in {elapsed:.1f} s: "
          f"{len(created) / elapsed:,.0f}/s; latency p50 {statistics.median(latencies):.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99) - 1]:.1f} ms")  # fmt: skip
    failures = []
    for vendor in VENDORS:
        successes = sum(n for s, n in statuses[vendor].items() if s < 300)
        read_back = sum(1 for v, _ in readable if v == vendor)
        print(f"  {vendor:>7}: {dict(statuses[vendor])}, read back {read_back}")
        if read_back != successes:
            failures.append(f"{vendor}: {successes} created, {read_back} readable")
    stored = sum(len(rows) for rows in state["claap"]["resources"]["recording"].values())
    per_workspace: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    for _, ((vendor, index), (status, _path, _headers)) in created:  # type: ignore[misc]
        if vendor == "claap":
            per_workspace[_workspace(index)][status] += 1
    inexact = [
        ws for ws, seen in per_workspace.items()
        if seen[200] != min(sum(seen.values()) - seen[429], CLAAP_QUOTA)
    ]  # fmt: skip
    created_ok = statuses["claap"][200]
    print(f"  claap quota: {created_ok} created over {len(per_workspace)} workspaces, "
          f"{statuses['claap'][403]} refused by the quota, {statuses['claap'][429]} "
          f"rate-limited; {stored} stored; exact in {len(per_workspace) - len(inexact)} "
          f"of {len(per_workspace)} workspaces")  # fmt: skip
    if created_ok != stored:
        failures.append(f"claap: {created_ok} created but {stored} stored")
    if inexact:
        failures.append(f"claap: the quota was not exact in workspaces {sorted(inexact)}")
    if unread:
        print(f"  reads that failed, by status: {dict(unread)}")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
