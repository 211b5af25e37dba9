"""The Flask floor: peer-bench's two Claap calls answered by a minimal Flask app (a dict
and a key check) on granian, served as `recmock serve` serves (one worker, 8 threads).

Run in one peer-bench run beside recmock and WireMock, it splits recmock's GET time in
two: what any Flask app pays on this server (the floor), and what recmock's own work
adds on top (the journal, fault and due-event checks around every request, and the
vendor's own checks inside it). That tells whether a gap to WireMock can be closed
inside recmock or only below Flask.

It also serves a second reference, "bare-wsgi": the same two calls answered by a plain
WSGI callable (a dict, a key check and a journal entry per request, no Flask) on the
same server. That is the ceiling of a hot path outside Flask's request handling, the
figure to weigh such a design change by.

    /tmp/recmock-bench/bin/python benchmarks/flask_floor.py bench --starts 5
    .venv/bin/python benchmarks/flask_floor.py serve --port 8001    # the floor app alone
    .venv/bin/python benchmarks/flask_floor.py serve --port 8002 --app bare-wsgi

`bench` passes its options on to peer-bench and runs `--targets ours,flask-floor,wiremock`
by default; "ours" is the `recmock serve --no-limits` installed beside this Python
unless OURS_CMD says otherwise.
It needs ../shared/tools/peer-bench (or PEER_BENCH) and its setup.sh run once.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Flask, request

DEFAULT_TARGETS = "ours,flask-floor,wiremock"


def floor_app() -> Flask:
    app = Flask("flask_floor")
    recordings: dict[str, dict] = {}
    lock = threading.Lock()

    @app.get("/_recmock/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/claap/v1/recordings")
    def create_recording() -> tuple[dict, int]:
        if not request.headers.get("X-Claap-Key"):
            return {"error": "no key"}, 401
        recording = {**request.get_json(), "id": uuid.uuid4().hex}
        with lock:
            recordings[recording["id"]] = recording
        return {"result": {"recording": recording}}, 200

    @app.get("/claap/v1/recordings/<recording_id>")
    def get_recording(recording_id: str) -> tuple[dict, int]:
        if not request.headers.get("X-Claap-Key"):
            return {"error": "no key"}, 401
        with lock:
            recording = recordings.get(recording_id)
        if recording is None:
            return {"error": "not found"}, 404
        return {"result": {"recording": recording}}, 200

    return app


def bare_wsgi_app() -> WSGIApplication:
    """The floor's two calls and health without Flask: per request, what is left is
    granian's work, a dict lookup, the answer serialized (as recmock and the floor do
    on every GET) and a journal entry like the one recmock keeps. Faults, due events,
    tenants and rate limits are not here: it is a ceiling, not a design."""
    recordings: dict[str, dict[str, Any]] = {}
    journal: deque[dict[str, Any]] = deque(maxlen=10_000)
    lock = threading.Lock()
    prefix = "/claap/v1/recordings/"

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        status, answer = "404 Not Found", {"error": "not found"}
        if path == "/_recmock/health":
            status, answer = "200 OK", {"status": "ok"}
        elif not environ.get("HTTP_X_CLAAP_KEY"):
            status, answer = "401 Unauthorized", {"error": "no key"}
        elif method == "POST" and path == "/claap/v1/recordings":
            recording = {**json.loads(environ["wsgi.input"].read()), "id": uuid.uuid4().hex}
            with lock:
                recordings[recording["id"]] = recording
            status, answer = "200 OK", {"result": {"recording": recording}}
        elif method == "GET" and path.startswith(prefix):
            with lock:
                found = recordings.get(path[len(prefix) :])
            if found is not None:
                status, answer = "200 OK", {"result": {"recording": found}}
        body = json.dumps(answer).encode()
        headers = {name: value for name, value in environ.items() if name.startswith("HTTP_")}
        entry = {
            "method": method,
            "path": path,
            "headers": headers,
            "status": int(status[:3]),
            "at": time.time(),
        }
        with lock:
            journal.append(entry)
        start_response(status, [("Content-Type", "application/json")])
        return [body]

    return app


APPS: dict[str, Callable[[], WSGIApplication]] = {"floor": floor_app, "bare-wsgi": bare_wsgi_app}


def _load_app(target: str) -> WSGIApplication:
    # A module-level function: a spawned worker (macOS) pickles it. The target is the
    # name `serve` gave granian.
    return APPS[target]()


def serve(port: int, app_name: str = "floor") -> None:
    from granian import Granian
    from granian.constants import Interfaces

    server = Granian(
        app_name,
        address="127.0.0.1",
        port=port,
        interface=Interfaces.WSGI,
        workers=1,
        blocking_threads=8,
        websockets=False,
        log_level="error",
    )
    server.serve(target_loader=_load_app)


def load_peer_bench() -> ModuleType:
    default = Path(__file__).resolve().parents[2] / "shared" / "tools" / "peer-bench"
    script = Path(os.environ.get("PEER_BENCH", default)) / "bench.py"
    if not script.exists():
        sys.exit(f"no peer-bench at {script}: set PEER_BENCH to its folder")
    spec = importlib.util.spec_from_file_location("peer_bench", script)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def add_targets(peer_bench: ModuleType) -> None:
    """Give peer-bench's "ours" target this Python's `recmock serve --no-limits` (unless
    OURS_CMD set one) and add the "flask-floor" and "bare-wsgi" targets beside it."""
    ours = peer_bench.TARGETS["ours"]
    if not ours.get("cmd"):
        recmock = shlex.quote(str(Path(sys.executable).parent / "recmock"))
        ours["cmd"] = f"{recmock} serve --port {{port}} --no-limits --quiet"
    here = shlex.quote(str(Path(__file__).resolve()))
    for target, app_name in (("flask-floor", "floor"), ("bare-wsgi", "bare-wsgi")):
        peer_bench.TARGETS[target] = {
            **ours,
            "cmd": f"{shlex.quote(sys.executable)} {here} serve --port {{port}} --app {app_name}",
            "url": "http://127.0.0.1:{port}",  # not OURS_URL
            "health": "/_recmock/health",  # not OURS_HEALTH
        }


def bench(targets: list[str], peer_bench_options: list[str]) -> None:
    peer_bench = load_peer_bench()
    add_targets(peer_bench)
    sys.argv = ["peer-bench", *targets, *peer_bench_options]
    peer_bench.main()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_command = commands.add_parser("serve", help="serve the floor (or --app) on 127.0.0.1")
    serve_command.add_argument("--port", type=int, required=True)
    serve_command.add_argument("--app", choices=sorted(APPS), default="floor")
    bench_command = commands.add_parser(
        "bench", help="peer-bench with the floor (and bare-wsgi) as targets"
    )
    bench_command.add_argument("--targets", default=DEFAULT_TARGETS, help="comma-separated")
    args, peer_bench_options = parser.parse_known_args()
    if args.command == "serve":
        serve(args.port, args.app)
    else:
        bench(args.targets.split(","), peer_bench_options)


if __name__ == "__main__":
    main()
