"""`recmock serve`: the mock on a production WSGI server (waitress), one process,
state in memory. Binds 127.0.0.1 unless told otherwise, logs one line per request,
and stops cleanly on SIGTERM or SIGINT (writing `--state` first when given)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

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
    serve.add_argument("--host", default=os.environ.get("RECMOCK_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("RECMOCK_PORT", "8000")))
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
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.add_argument("--quiet", action="store_true", help="no per-request log lines")
    args = parser.parse_args(argv)
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    config = Config(
        seed=args.seed,
        quotas=not args.no_limits,
        rate_limits=not args.no_limits,
        scripts=args.script,
        access_log=not args.quiet,
    )
    try:
        app = create_app(config)
    except (OSError, ScriptError) as exc:
        print(f"recmock: cannot load a script: {exc}", file=sys.stderr)
        return 2
    mock: RecMock = app.extensions["recmock"]
    if args.state and args.state.exists():
        try:
            mock.replace_state(json.loads(args.state.read_text()))
        except ValueError as exc:
            print(f"recmock: cannot load {args.state}: {exc}", file=sys.stderr)
            return 2
        log.info("loaded state from %s", args.state)

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
    log.info("recmock listening on http://%s:%s", args.host, server.effective_port)
    try:
        server.run()
    finally:
        server.close()
        ticker.stop()
        if args.state:
            _write_atomically(args.state, json.dumps(mock.dump_state()))
            log.info("wrote state to %s", args.state)
        mock.close()
    return 0


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
