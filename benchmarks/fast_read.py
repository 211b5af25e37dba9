"""Claap's recording read in process, through `app.FastReads` and through the Flask route
alone, in the same run: what answering the read outside Flask buys, without a server or
a network in the figure.

    .venv/bin/python benchmarks/fast_read.py [--reads 20000] [--rounds 5]

Both ways call the app's WSGI callable with the same environ (rate limits off, one
stored recording); each way's figure is its best round, the rounds alternating.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from typing import Any

from recmock import Config, create_app
from recmock.app import FastReads

KEY = "cla_benchmark"


def environ(method: str, path: str, body: bytes = b"") -> dict[str, Any]:
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_X_CLAAP_KEY": KEY,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body:
        env["CONTENT_TYPE"] = "application/json"
        env["CONTENT_LENGTH"] = str(len(body))
    return env


def call(app: Any, env: dict[str, Any]) -> tuple[str, bytes]:
    statuses: list[str] = []
    body = b"".join(app(env, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0], body


def time_reads(app: Any, path: str, reads: int) -> float:
    """Microseconds a read."""
    started = time.perf_counter()
    for _ in range(reads):
        call(app, environ("GET", path))
    return (time.perf_counter() - started) / reads * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reads", type=int, default=20_000, help="reads a round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds each way")
    args = parser.parse_args()

    app = create_app(Config(rate_limits=False, seed=1))
    wsgi = app.wsgi_app
    fast_reads = wsgi.app  # HostRouter -> FastReads -> Flask's own wsgi_app
    assert isinstance(fast_reads, FastReads)
    status, body = call(
        wsgi, environ("POST", "/claap/v1/recordings", b'{"authorEmail": "a@example.com"}')
    )
    assert status.startswith("200"), body
    recording_id = body.split(b'"id":"', 1)[1].split(b'"', 1)[0].decode()
    path = f"/claap/v1/recordings/{recording_id}"
    handlers = fast_reads.handlers

    best = {"fast": float("inf"), "flask": float("inf")}
    for _ in range(args.rounds):
        for way in best:
            fast_reads.handlers = handlers if way == "fast" else {}
            time_reads(wsgi, path, args.reads // 10)  # warm-up
            best[way] = min(best[way], time_reads(wsgi, path, args.reads))
    print(f"{args.rounds} rounds of {args.reads} reads, best round each way")
    print(f"  through FastReads:        {best['fast']:6.1f} µs a read")
    print(f"  through the Flask route:  {best['flask']:6.1f} µs a read")
    print(f"  ratio fast / Flask:       {best['fast'] / best['flask']:.2f}")


if __name__ == "__main__":
    main()
