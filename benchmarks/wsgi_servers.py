"""recmock's own GET /claap/v1/recordings/{id} on each server `recmock serve --server`
offers (granian, the default, and waitress), in one run, with wrk on loopback. Server
on CPU 0, wrk on CPU 1. Needs wrk and taskset.

    .venv/bin/python benchmarks/wsgi_servers.py [--runs 2] [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer")


def _create(base: str) -> str:
    request = urllib.request.Request(
        f"{base}/claap/v1/recordings",
        data=json.dumps({"authorEmail": "bench@acme.com"}).encode(),
        headers={"X-Claap-Key": "cla_bench", "Content-Type": "application/json"},
    )
    return json.load(urllib.request.urlopen(request))["result"]["recording"]["id"]


def _rps(url: str, connections: int, seconds: int) -> float:
    out = subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
         "-H", "X-Claap-Key: cla_bench", url],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    recmock = str(Path(sys.executable).parent / "recmock")
    servers = {
        name: [recmock, "serve", "--server", name, "--no-limits", "--quiet", "--port"]
        for name in ("waitress", "granian")
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in servers}
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        for name, command in servers.items():
            port = _free_port()
            process = subprocess.Popen(
                ["taskset", "-c", "0", *command, str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            try:
                base = f"http://127.0.0.1:{port}"
                _wait(f"{base}/_recmock/health")
                url = f"{base}/claap/v1/recordings/{_create(base)}"
                results[name].append((_rps(url, 1, args.seconds), _rps(url, 8, args.seconds)))
            finally:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
    reference = results["waitress"]
    for name, rows in results.items():
        one = sorted(r[0] for r in rows)[len(rows) // 2]
        eight = sorted(r[1] for r in rows)[len(rows) // 2]
        ratio = eight / sorted(r[1] for r in reference)[len(reference) // 2]
        print(f"{name:>9}: {one:7.0f} req/s at 1 client, {eight:7.0f} at 8 "
              f"(8 clients, ratio to waitress {ratio:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
