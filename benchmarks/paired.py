"""A paired comparison: the targets take turns, so the machine's wandering speed falls
on all of them alike.

peer-bench measures one target after the other. On a shared VM the speed wanders by
±15% within minutes, so one target can land in a fast minute and the next in a slow
one, and a single run's ratio says as much about the minute as about the servers. Here
every target is started at once, each idle while another is measured, and cold starts
and wrk rounds take turns between them, the order rotating each round (A B C, B C A,
C A B, ...) so that every target holds every place equally often. Each round gives the
first target's ratio to each other target, and the median of those ratios is the
figure to judge a budget by ("GET at 8 clients at least WireMock's").

    /tmp/recmock-bench/bin/python benchmarks/paired.py
    /tmp/recmock-bench/bin/python benchmarks/paired.py --targets ours,wiremock,moto --rounds 12

Targets, servers (loopback only, stopped by process group) and the wrk runner are
peer-bench's (../shared/tools/peer-bench, or PEER_BENCH; run its setup.sh once); "ours"
is the `recmock serve --no-limits` installed beside this Python unless OURS_CMD says
otherwise; "flask-floor" is `flask_floor.py`'s minimal Flask app and "bare-wsgi" its
plain WSGI callable (the ceiling without Flask). Servers are pinned
to CPU 0 and wrk to CPU 1; an idle server sleeps, but a JVM may still compile or
collect after its turn, so every wrk run starts after a pause. A run with socket errors
or non-2xx answers is counted in the table's errors column: its rate would flatter a
server that fails fast (recmock with its rate limits on, say).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flask_floor import add_targets, load_peer_bench

PAUSE_BEFORE_EACH_RUN_S = 1.0


def turns(names: list[str], round_number: int) -> list[str]:
    """A B C, then B C A, then C A B: over len(names) rounds each target holds each
    place once, so none is always measured next to the same neighbour."""
    shift = round_number % len(names)
    return names[shift:] + names[:shift]


def cold_starts(pb: ModuleType, names: list[str], args: argparse.Namespace) -> dict[str, list]:
    started: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(args.starts):
        for name in turns(names, round_number):
            target = pb.TARGETS[name]
            server = pb.Server(name, target, args, f"paired-cold{round_number}")
            try:
                started[name].append(server.wait_ready(target["health"]) * 1000)
                pb.check_listeners(server.p.pid)
            finally:
                server.stop()
    return started


def ready_to_fetch(pb: ModuleType, server: Any, target: dict[str, Any]) -> tuple[str, dict]:
    """Send the target's setup and create requests, check its fetch answers, and return
    the fetch URL and request, as peer-bench does before its load."""
    server.wait_ready(target["health"])
    for request in [*target.get("setup", []), target["create"]]:
        status, body = pb.call(server.base, request)
        if status != request["status"]:
            raise RuntimeError(f"{request['method']} {request['path']} -> {status}: {body[:200]!r}")
    fetch = dict(target["fetch"])
    if "{id}" in fetch["path"]:
        created = json.loads(body)
        for key in target.get("id_path", ("id",)):
            created = created[key]
        fetch["path"] = fetch["path"].replace("{id}", str(created))
    status, body = pb.call(server.base, fetch)
    if status != fetch["status"]:
        raise RuntimeError(f"GET {fetch['path']} -> {status}: {body[:200]!r}")
    return server.base.rstrip("/") + fetch["path"], fetch


def get_rounds(
    pb: ModuleType, names: list[str], args: argparse.Namespace
) -> tuple[dict[str, list], dict[str, int]]:
    """Each target's GET rate per round, and its errors over all rounds."""
    servers: dict[str, Any] = {}
    throughput: dict[str, list[float]] = {name: [] for name in names}
    errors = dict.fromkeys(names, 0)
    try:
        for name in names:  # one by one: a start that fails still stops the others
            servers[name] = pb.Server(name, pb.TARGETS[name], args, "paired-load")
        fetches = {name: ready_to_fetch(pb, servers[name], pb.TARGETS[name]) for name in names}
        for name in names:
            pb.check_listeners(servers[name].p.pid)
            if args.warmup:  # wrk refuses a run of 0 s
                url, fetch = fetches[name]
                pb.wrk(url, fetch, args.conns, args.warmup, args)
        for round_number in range(args.rounds):
            for name in turns(names, round_number):
                time.sleep(PAUSE_BEFORE_EACH_RUN_S)
                url, fetch = fetches[name]
                result = pb.wrk(url, fetch, args.conns, args.duration, args)
                throughput[name].append(result["rps"])
                errors[name] += result["errors"]
    finally:
        for server in servers.values():
            server.stop()
    return throughput, errors


def spread(values: list[float], digits: int = 0) -> str:
    shown = f"{{:,.{digits}f}}"
    low, high = shown.format(min(values)), shown.format(max(values))
    return f"{shown.format(statistics.median(values))} ({low}-{high})"


def report(
    names: list[str], started: dict, throughput: dict, errors: dict, args: argparse.Namespace
) -> str:
    subject = names[0]
    lines = [
        f"<!-- {time.strftime('%Y-%m-%d %H:%M')} python={sys.version.split()[0]} server cpu "
        f"{args.server_cpu}, wrk cpu {args.client_cpu}; {args.starts} start rounds, "
        f"{args.rounds} GET rounds of {args.duration}s at {args.conns} connections -->",
        f"| target | cold start ms | {subject} start / target's | GET req/s c{args.conns} "
        f"| {subject} GET / target's | rounds {subject} GET >= target's | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in names:
        compared = ["", "", ""]
        if name != subject:
            start_ratios = [a / b for a, b in zip(started[subject], started[name], strict=True)]
            get_ratios = [a / b for a, b in zip(throughput[subject], throughput[name], strict=True)]
            at_least = f"{sum(ratio >= 1 for ratio in get_ratios)} of {args.rounds}"
            compared = [spread(start_ratios, 2), spread(get_ratios, 2), at_least]
        lines.append(
            f"| {name} | {spread(started[name])} | {compared[0]} | {spread(throughput[name])} "
            f"| {compared[1]} | {compared[2]} | {errors[name]} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--targets", default="ours,flask-floor,wiremock", help="the first is compared"
    )
    parser.add_argument("--starts", type=int, default=7, help="rounds of cold starts (default 7)")
    parser.add_argument("--rounds", type=int, default=8, help="rounds of GET load (default 8)")
    parser.add_argument("--duration", type=int, default=3, help="seconds per GET run (default 3)")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of GET per target first")
    parser.add_argument("--conns", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--client-cpu", default="1")
    args = parser.parse_args()
    if min(args.starts, args.rounds, args.duration, args.conns) < 1 or args.warmup < 0:
        parser.error("--starts, --rounds, --duration and --conns take 1 or more")
    args.pin = True  # peer-bench's Server and wrk read these
    names = args.targets.split(",")

    pb = load_peer_bench()
    add_targets(pb)
    unknown = [name for name in names if name not in pb.TARGETS]
    if unknown:
        sys.exit(f"unknown targets {unknown}; known: {', '.join(pb.TARGETS)}")
    for tool in ("wrk", "ss", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"missing {tool}: run peer-bench's setup.sh")
    shutil.rmtree(pb.RUN / "wiremock", ignore_errors=True)
    shutil.copytree(pb.HERE / "wiremock", pb.RUN / "wiremock")  # WireMock writes into its root

    print(f"[paired] cold starts: {', '.join(names)} ...", file=sys.stderr, flush=True)
    started = cold_starts(pb, names, args)
    print("[paired] GET rounds ...", file=sys.stderr, flush=True)
    throughput, errors = get_rounds(pb, names, args)
    print(report(names, started, throughput, errors, args))


if __name__ == "__main__":
    main()
