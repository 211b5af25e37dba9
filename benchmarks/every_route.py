"""Every vendor's read, list and create over HTTP, beside WireMock's stub GET in the same
run: requests a second at 1 and 8 clients, recmock and WireMock each pinned to CPU 0 and
wrk to CPU 1, on loopback.

    /tmp/recmock-bench/bin/python benchmarks/every_route.py [--duration 5] [--rounds 3]

recmock is `recmock serve --no-limits` (the creates run far past Claap's quota and
rate limits), installed beside this Python; WireMock is peer-bench's
(`../shared/tools/peer-bench`, or PEER_BENCH; run its setup.sh once), answering its stub
GET. Scoot has no list (its API reads one recording by id), so it has a read and a
create. Each route's wrk run is followed by WireMock's GET at the same clients, so each
pair shares its minute; the table gives recmock's rate, WireMock's, and their ratio, the
median over `--rounds` rounds. Every run must answer only 2xx (wrk's "non-2xx" count and
socket errors are reported): a rate from failing requests would flatter.

The budget (issue 18): the slowest route at least WireMock's stub GET.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flask_floor import add_targets, load_peer_bench

JSON = {"Content-Type": "application/json"}


@dataclass
class Route:
    vendor: str
    kind: str  # read, list or create
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


def _call(base: str, method: str, path: str, headers: dict | None = None, body: Any = None) -> Any:
    data = None
    sent = dict(headers or {})
    if isinstance(body, dict):
        data = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        data = body.encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def routes_of(base: str) -> list[Route]:
    """A resource of each vendor, made through its API, and the routes to measure."""
    claap = {"X-Claap-Key": "cla_bench"}
    created = _call(base, "POST", "/claap/v1/recordings", claap, {"authorEmail": "a@acme.com"})
    recording = created["result"]["recording"]["id"]
    telnyx = {"Authorization": "Bearer KEY_bench"}
    session = _call(base, "POST", "/_recmock/vendors/telnyx/sessions", telnyx, {})["session"]
    composition = _call(
        base, "POST", "/telnyx/v2/room_compositions", telnyx, {"session_id": session["id"]}
    )["data"]["id"]
    eyeson = {"Authorization": "eyeson-bench"}
    form = {**eyeson, "Content-Type": "application/x-www-form-urlencoded"}
    room = _call(base, "POST", "/eyeson/rooms", form, "id=bench&user%5Bname%5D=Ann")
    token = _call(base, "POST", "/valt/api/v3/login", None, {"username": "a", "password": "p"})
    access = token["data"]["access_token"]
    valt_create = f"/valt/api/v3/records/create-upload?access_token={access}"
    record = _call(base, "POST", valt_create, None, {"name": "b"})["id"]
    scoot = {"X-API-Key": "scoot-bench"}
    scooted = _call(
        base,
        "POST",
        "/scoot/api/v1/recording/processing",
        scoot,
        {"socialId": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "recordingId": "r"},
    )["socialRecordingId"]
    return [
        Route("claap", "read", "GET", f"/claap/v1/recordings/{recording}", claap),
        Route("claap", "list", "GET", "/claap/v1/recordings", claap),
        Route("claap", "create", "POST", "/claap/v1/recordings", {**claap, **JSON},
              json.dumps({"authorEmail": "a@acme.com", "title": "bench"})),
        Route("telnyx", "read", "GET", f"/telnyx/v2/room_compositions/{composition}", telnyx),
        Route("telnyx", "list", "GET", "/telnyx/v2/room_compositions", telnyx),
        Route("telnyx", "create", "POST", "/telnyx/v2/room_compositions", {**telnyx, **JSON},
              json.dumps({"session_id": session["id"]})),
        Route("eyeson", "read", "GET", f"/eyeson/rooms/{room['access_key']}"),
        Route("eyeson", "list", "GET", "/eyeson/rooms", eyeson),
        Route("eyeson", "create", "POST", "/eyeson/rooms", form, "id=bench&user%5Bname%5D=Bo"),
        Route("valt", "read", "GET", f"/valt/api/v3/records/{record}?access_token={access}"),
        Route("valt", "list", "POST", f"/valt/api/v3/records?access_token={access}", JSON,
              json.dumps({"search": "b"})),
        Route("valt", "create", "POST", valt_create, JSON, json.dumps({"name": "bench"})),
        Route("scoot", "read", "GET", f"/scoot/api/v1/recording?socialRecordingId={scooted}",
              scoot),
        Route("scoot", "create", "POST", "/scoot/api/v1/recording/processing", {**scoot, **JSON},
              json.dumps({"socialId": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "recordingId": "r"})),
    ]  # fmt: skip


def measure(pb: ModuleType, args: argparse.Namespace) -> list[dict[str, Any]]:
    if (pb.RUN / "wiremock").exists():  # WireMock writes into its root: a fresh copy
        shutil.rmtree(pb.RUN / "wiremock")
    shutil.copytree(pb.HERE / "wiremock", pb.RUN / "wiremock")
    ours_target, stub_target = pb.TARGETS["ours"], pb.TARGETS["wiremock"]
    ours = pb.Server("ours", ours_target, args, "every-route")
    stub = pb.Server("wiremock", stub_target, args, "every-route")
    results: list[dict[str, Any]] = []
    try:
        ours.wait_ready(ours_target["health"])
        stub.wait_ready(stub_target["health"])
        status, body = pb.call(stub.base, stub_target["create"])
        if status != stub_target["create"]["status"]:
            raise RuntimeError(f"WireMock's create answered {status}: {body[:200]!r}")
        stub_id = json.loads(body)["id"]
        stub_get = dict(
            stub_target["fetch"], path=stub_target["fetch"]["path"].replace("{id}", str(stub_id))
        )
        pb.wrk(stub.base + stub_get["path"], stub_get, 8, args.warmup, args)  # a warm JVM
        routes = routes_of(ours.base)
        # Creates last: they grow what the lists go through.
        routes.sort(key=lambda r: r.kind == "create")
        for route in routes:
            request = pb.req(route.method, route.path, route.body, route.headers)
            row: dict[str, Any] = {"vendor": route.vendor, "route": route.kind}
            for conns in (1, 8):
                pairs = []
                for _ in range(args.rounds):
                    time.sleep(args.pause)
                    mine = pb.wrk(ours.base + route.path, request, conns, args.duration, args)
                    time.sleep(args.pause)
                    theirs = pb.wrk(
                        stub.base + stub_get["path"], stub_get, conns, args.duration, args
                    )
                    pairs.append((mine, theirs))
                row[f"c{conns}"] = statistics.median(m["rps"] for m, _ in pairs)
                row[f"wiremock_c{conns}"] = statistics.median(t["rps"] for _, t in pairs)
                row[f"ratio_c{conns}"] = statistics.median(m["rps"] / t["rps"] for m, t in pairs)
                row[f"errors_c{conns}"] = sum(m["errors"] for m, _ in pairs)
            results.append(row)
            print(_line(row), flush=True)
    finally:
        ours.stop()
        stub.stop()
    return results


def _line(row: dict[str, Any]) -> str:
    return (
        f"| {row['vendor']} | {row['route']} | {row['c1']:,.0f} | {row['wiremock_c1']:,.0f} |"
        f" {row['ratio_c1']:.2f} | {row['c8']:,.0f} | {row['wiremock_c8']:,.0f} |"
        f" {row['ratio_c8']:.2f} | {row['errors_c1'] + row['errors_c8']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=10, help="seconds of WireMock GET first")
    parser.add_argument("--pause", type=float, default=0.5)
    parser.add_argument("--no-pin", dest="pin", action="store_false")
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--client-cpu", default="1")
    args = parser.parse_args()
    pb = load_peer_bench()
    add_targets(pb)
    print(
        "| vendor | route | recmock c1 | WireMock GET c1 | ratio | recmock c8 | WireMock GET c8"
        " | ratio | errors |\n|---|---|---|---|---|---|---|---|---|",
        flush=True,
    )
    results = measure(pb, args)
    slowest = min(results, key=lambda r: r["ratio_c8"])
    print(
        f"\nslowest at 8 clients: {slowest['vendor']} {slowest['route']},"
        f" {slowest['ratio_c8']:.2f} of WireMock's stub GET"
    )


if __name__ == "__main__":
    main()
