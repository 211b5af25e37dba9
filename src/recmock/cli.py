"""`recmock serve`: the mock on a production WSGI server, state in memory. Binds
127.0.0.1 unless told otherwise, logs one line per request, and stops cleanly on
SIGTERM or SIGINT (writing `--state` first when given).

Two servers, chosen by measurement (benchmarks/README.md):
- granian (the default): a Rust server, about 1.7 times waitress's GETs at 8 clients.
  It runs the app in one worker process (one, because the state is in memory), so the
  mock, its ticker and the `--state` writer live there; the parent only supervises.
- waitress (`--server waitress`): pure Python, serves in this very process. The
  pytest plugin's live server uses it for that reason.
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import logging
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

from flask import Flask

from recmock.app import create_app
from recmock.config import Config
from recmock.mock import RecMock
from recmock.scripts import ScriptError
from recmock.ticker import Ticker

log = logging.getLogger("recmock")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="recmock", description="In-memory mock of five video-recording vendor APIs."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock over HTTP")
    serve.add_argument(
        "--host",
        default=os.environ.get("RECMOCK_HOST", "127.0.0.1"),
        help="address to listen on (default: RECMOCK_HOST or 127.0.0.1; 0.0.0.0 for all)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("RECMOCK_PORT", "8000")),
        help="port to listen on (default: RECMOCK_PORT or 8000)",
    )
    serve.add_argument("--seed", type=int, help="seed generated ids and data (reproducible runs)")
    serve.add_argument(
        "--script",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a state script (YAML or JSON) to load at start; repeatable",
    )
    serve.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="load this state dump at start if it exists, write it on stop",
    )
    serve.add_argument(
        "--no-limits", action="store_true", help="switch quotas and rate limits off (load tests)"
    )
    serve.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="switch rate limits off but keep quotas (a load test of the quotas)",
    )
    serve.add_argument(
        "--threads", type=int, default=8, help="Python threads serving requests (default 8)"
    )
    serve.add_argument(
        "--server",
        choices=("granian", "waitress"),
        default=os.environ.get("RECMOCK_SERVER", "granian"),
        help="the WSGI server (default granian, the faster; waitress is pure Python)",
    )
    serve.add_argument("--quiet", action="store_true", help="no per-request log lines")
    args = parser.parse_args(argv)
    if args.server not in ("granian", "waitress"):  # argparse does not check a default
        parser.error(f"RECMOCK_SERVER: {args.server!r} is not granian or waitress")
    return _serve(args)


# The app `_serve` built (proving the scripts and state load) before granian forks its
# worker: a forked worker inherits it, and a spawned one (macOS, Python 3.14) builds its
# own. Building once halves the start-up work.
_built_before_fork: tuple[Flask, RecMock] | None = None


class StartError(Exception):
    """A script or state file that stops start-up; its message is for the user."""


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)


def _serve(args: argparse.Namespace) -> int:
    _configure_logging()
    try:
        app, mock = _build(args)
        _check_port_free(args.host, args.port, args.server)
    except StartError as exc:
        print(f"recmock: {exc}", file=sys.stderr)
        return 2
    if args.server == "granian":
        global _built_before_fork
        _built_before_fork = (app, mock)
        return _serve_on_granian(args)
    return _serve_on_waitress(args, app, mock)


def _check_port_free(host: str, port: int, server: str) -> None:
    """Refuse a port something already listens on. granian binds with SO_REUSEPORT, so a
    second `recmock serve` on a busy port would start and share it with the first: two
    separate mocks answering in turn, resources seeming to vanish. A socket bound
    without that option is refused while another listens (SO_REUSEADDR only lets it
    past connections still closing); one is tried on every address the host names, as
    the server binds them (granian's IPv6 socket takes IPv4 too, waitress's does not),
    and closed before the server binds."""
    if port == 0:
        return
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _, address in dict.fromkeys(addresses):
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    v6_only = int(server == "waitress")
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6_only)
                probe.bind(address)
    except OSError as exc:
        reason = "address in use" if exc.errno == errno.EADDRINUSE else exc.strerror or exc
        raise StartError(f"cannot listen on {shown}: {reason}") from exc


def _build(args: argparse.Namespace) -> tuple[Flask, RecMock]:
    config = Config(
        seed=args.seed,
        quotas=not args.no_limits,
        rate_limits=not (args.no_limits or args.no_rate_limits),
        scripts=args.script,
        access_log=not args.quiet,
    )
    try:
        app = create_app(config)
    except (OSError, ScriptError) as exc:
        raise StartError(f"cannot load a script: {exc}") from exc
    mock: RecMock = app.extensions["recmock"]
    if args.state and args.state.exists():
        try:
            mock.replace_state(json.loads(args.state.read_text()))
        except ValueError as exc:
            raise StartError(f"cannot load {args.state}: {exc}") from exc
        log.info("loaded state from %s", args.state)
    return app, mock


def _serve_on_waitress(args: argparse.Namespace, app: Flask, mock: RecMock) -> int:
    from waitress import create_server

    server = create_server(app, host=args.host, port=args.port, threads=args.threads, ident="")
    ticker = Ticker(mock)
    ticker.start()

    def stop(signum: int, frame: FrameType | None) -> None:
        # waitress's loop runs while any connection is open (keep-alive clients too);
        # SystemExit is how it is told to stop: it ends the loop and its worker threads.
        log.info("stopping (%s)", signal.Signals(signum).name)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _freeze_startup_objects()
    log.info("recmock listening on http://%s:%s", args.host, server.effective_port)
    try:
        server.run()
    finally:
        server.close()
        ticker.stop()
        written = _finish(args, mock)
    return 0 if written else 1


def _serve_on_granian(args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    server = Granian(
        "recmock",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=1,  # one process: the state is in memory
        blocking_threads=args.threads,
        websockets=False,
        # A worker that has not stopped 5 s after its SIGTERM is killed (without writing
        # `--state`, which the exit status then reports). Seen once in ~200 stops here:
        # the worker's main thread stayed in granian's untimed wait for the stop, and
        # the parent waited for the worker for good.
        workers_kill_timeout=_WORKER_KILL_AFTER_S,
        # More threads than cores is deliberate (a slow webhook receiver or an injected
        # delay holds a thread), and granian's warning about it would greet every start.
        log_level=LogLevels.error,
    )
    # SIGHUP makes granian start a fresh worker beside the old one: a second, empty mock.
    # recmock's state lives in its one worker, so a hang-up stops it like SIGTERM.
    server.signal_handler_reload = server.signal_handler_interrupt  # type: ignore[method-assign]
    serving_since = time.time()
    # granian's documented way to serve an app object rather than an import string.
    server.serve(target_loader=partial(_granian_worker_app, args, os.getpid()))
    if args.state and _older_than(args.state, serving_since):
        log.error("the worker did not write %s on stop", args.state)
        return 1  # granian does not pass on the exit status of a worker it stopped
    return 0


def _freeze_startup_objects() -> None:
    """Leave what start-up built (modules, Flask's app, the mock: ~45 000 objects) out of
    the garbage collector's full collections, which would otherwise walk them again and
    again while serving: werkzeug's router leaves a reference cycle behind on every
    request, so collections keep coming. Measured in-process on GETs: full collections
    cost 2.7 µs a request before, 0.2 after. No collection first (18 ms of start-up):
    the half-dozen garbage objects start-up leaves are frozen with the rest, for good."""
    gc.freeze()


def _older_than(path: Path, instant: float) -> bool:
    return not path.exists() or path.stat().st_mtime < instant


def _granian_worker_app(
    args: argparse.Namespace, parent_pid: int, target: str
) -> WithoutProcessEnvironment:
    """Builds the mock in granian's worker process, where requests are served."""
    _configure_logging()  # a spawned worker (macOS, Python 3.14) starts without it
    _take_stop_signals_from_parent_only(parent_pid)
    app, mock = _built_before_fork or _build(args)
    Ticker(mock).start()
    # The worker's main thread ends when granian stops it; a non-daemon thread waiting
    # on it is the one place left to write `--state` before the process exits.
    threading.Thread(
        target=_finish_after_main_thread, args=(args, mock), name="recmock-finish"
    ).start()
    _freeze_startup_objects()
    log.info("recmock listening on http://%s:%s", args.host, args.port)
    # granian copies the environment right after this returns (granian/wsgi.py's
    # _callback_wrapper), and nothing changes it in between.
    return WithoutProcessEnvironment(app, os.environ)


class WithoutProcessEnvironment:
    """WSGI middleware: a request's environ without what granian copied into it from the
    server's process environment.

    granian starts every request's environ from a copy of the process environment, as
    CGI did. To werkzeug an `HTTP_PROXY` there is a `Proxy` header and a `CONTENT_TYPE`
    a content type, which the client never sent: they would show in the journal, and a
    handler would read them. Docker gives every container `HTTP_PROXY` when its daemon
    has a proxy. So each process variable is taken out again, unless the request set
    that name itself: a header arriving with the very value of a same-named variable
    cannot be told apart and goes too. The request variables granian sets on every
    request (PEP 3333's; checked against granian 2.8) are always the request's and
    stay."""

    def __init__(self, app: Any, process_environment: Mapping[str, str]) -> None:
        self.app = app
        self.inherited = [
            (name, value)
            for name, value in process_environment.items()
            if name not in _REQUEST_VARIABLES and not name.startswith("wsgi.")
        ]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        for name, value in self.inherited:
            if environ.get(name) == value:
                del environ[name]
        return self.app(environ, start_response)


_REQUEST_VARIABLES = frozenset(
    {
        "GATEWAY_INTERFACE",
        "PATH_INFO",
        "QUERY_STRING",
        "REMOTE_ADDR",
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "SERVER_SOFTWARE",
    }
)


def _take_stop_signals_from_parent_only(parent_pid: int) -> None:
    """Ctrl-C signals the whole process group. When granian's worker gets that SIGINT and
    then its parent's SIGTERM, it can hang for good (seen here: 5 stops in 8 under CPU
    load; a SIGTERM alone never hung). In a process group of its own the worker hears only
    its parent, and it stops itself should the parent die without telling it, so no
    worker outlives its server."""
    os.setpgid(0, 0)
    threading.Thread(
        target=_stop_when_orphaned, args=(parent_pid,), name="recmock-orphan-watch", daemon=True
    ).start()


def _stop_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(_ORPHAN_CHECK_S)
    os.kill(os.getpid(), signal.SIGTERM)  # granian's own stop: the state gets written


_ORPHAN_CHECK_S = 0.25
_WORKER_KILL_AFTER_S = 5


def _finish_after_main_thread(args: argparse.Namespace, mock: RecMock) -> None:
    threading.main_thread().join()
    log.info("stopping")  # granian took the signal; its name does not reach the worker
    _finish(args, mock)  # a failure shows to the parent as a state file not rewritten


def _finish(args: argparse.Namespace, mock: RecMock) -> bool:
    """Write `--state` (when given) and close the mock; False when the write failed."""
    written = True
    if args.state:
        try:
            _write_atomically(args.state, json.dumps(mock.dump_state()))
            log.info("wrote state to %s", args.state)
        except OSError:
            log.exception("could not write the state to %s", args.state)
            written = False
    mock.close()
    return written


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
