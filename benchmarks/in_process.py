"""recmock in process against the stub library of each HTTP client, in the same run.

For every client recmock intercepts, each vendor's read of one resource is answered by
recmock (inside `mock_vendors()`, default settings: rate limits on) and by the client's
stub library answering the same URL with recmock's own status, headers and body:
responses for requests, respx for httpx (sync and async), aioresponses for aiohttp.
urllib3 has no stub library of its own; its figure stands alone. Targets take turns,
round by round, so the machine's drift falls on both alike; each figure is the median
of the rounds, and the ratio is the median of the rounds' own ratios (recmock's time
over the stub's, each pair measured back to back).

Then the `recmock` fixture's cost per test (`fixture_cost.py`: the setup and teardown
pytest reports for tests that ask for the fixture, against plain tests).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/in_process.py [--calls 400] [--rounds 5]
        [--clients requests,urllib3,httpx,httpx-async,aiohttp] [--vendors claap,...]
        [--tests 2000 | --tests 0]

Claap allows a key 3 calls a second; the limiter is emptied between calls (outside the
timed call), so every call measured is a 200 that went through the limiter.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

import recmock
from recmock import RecMock

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "media" / "sample.mp4"


@dataclass
class Read:
    """One vendor's GET of a stored resource, and what recmock answered it."""

    vendor: str
    url: str
    headers: dict[str, str]
    status: int = 0
    body: bytes = b""
    content_type: str = ""


def vendor_reads(mock: RecMock) -> list[Read]:
    """A resource per vendor, made through the vendor's own API, and its read."""
    claap = {"X-Claap-Key": "cla_bench"}
    recording = requests.post(
        "https://api.claap.io/v1/recordings",
        json={"authorEmail": "ann@acme.com", "title": "Bench"},
        headers=claap,
        timeout=10,
    ).json()["result"]["recording"]
    telnyx = {"Authorization": "Bearer KEY_bench"}
    session = mock.telnyx.simulate_session(api_key="KEY_bench")["session"]
    composition = requests.post(
        "https://api.telnyx.com/v2/room_compositions",
        json={"session_id": session["id"]},
        headers=telnyx,
        timeout=10,
    ).json()["data"]
    room = requests.post(
        "https://api.eyeson.team/rooms",
        data={"id": "bench", "user[name]": "Ann"},
        headers={"Authorization": "eyeson-bench"},
        timeout=10,
    ).json()
    token = requests.post(
        "http://valt.example.com/api/v3/login",
        json={"username": "ann", "password": "secret"},
        timeout=10,
    ).json()["data"]["access_token"]
    record = requests.post(
        f"http://valt.example.com/api/v3/records/create-upload?access_token={token}",
        json={"name": "Bench"},
        timeout=10,
    ).json()
    scoot = {"X-API-Key": "scoot-bench"}
    social_recording = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
    requests.post(
        "https://api.scoot.app/api/v1/recording/processing",
        json={
            "socialRecordingId": social_recording,
            "socialId": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            "recordingId": "recordings/bench.mp4",
            "name": "Bench",
        },
        headers=scoot,
        timeout=10,
    ).raise_for_status()
    return [
        Read("claap", f"https://api.claap.io/v1/recordings/{recording['id']}", claap),
        Read("telnyx", f"https://api.telnyx.com/v2/room_compositions/{composition['id']}", telnyx),
        Read("eyeson", f"https://api.eyeson.team/rooms/{room['access_key']}", {}),
        Read(
            "valt",
            f"http://valt.example.com/api/v3/records/{record['id']}?access_token={token}",
            {},
        ),
        Read(
            "scoot",
            f"https://api.scoot.app/api/v1/recording?socialRecordingId={social_recording}",
            scoot,
        ),
    ]


# -- one call per client: (recmock's, the stub's) ------------------------------------

Call = Callable[[], Any]
AsyncCall = Callable[[], Awaitable[Any]]


class Client:
    """A client library: how it reads a URL, and the stub library that answers it."""

    name: str
    stub: str

    def call(self, read: Read) -> Call | AsyncCall:
        raise NotImplementedError

    def stubbed(self, read: Read, stack: ExitStack) -> None:
        """Make the stub library answer `read` until `stack` closes."""
        raise NotImplementedError

    is_async = False

    def close(self) -> None:
        pass


class Requests(Client):
    name, stub = "requests", "responses"

    def __init__(self) -> None:
        self.session = requests.Session()

    def call(self, read: Read) -> Call:
        return lambda: self.session.get(read.url, headers=read.headers, timeout=10)

    def stubbed(self, read: Read, stack: ExitStack) -> None:
        import responses

        mocked = stack.enter_context(responses.RequestsMock())
        mocked.get(read.url, body=read.body, status=read.status, content_type=read.content_type)


class Urllib3(Client):
    name, stub = "urllib3", ""

    def __init__(self) -> None:
        import urllib3

        self.pool = urllib3.PoolManager()

    def call(self, read: Read) -> Call:
        return lambda: self.pool.request("GET", read.url, headers=read.headers, timeout=10)


class Httpx(Client):
    name, stub = "httpx", "respx"

    def __init__(self) -> None:
        import httpx

        self.client = httpx.Client()

    def call(self, read: Read) -> Call:
        return lambda: self.client.get(read.url, headers=read.headers, timeout=10)

    def stubbed(self, read: Read, stack: ExitStack) -> None:
        import respx

        router = stack.enter_context(respx.mock(assert_all_called=False))
        router.get(read.url).respond(
            read.status, content=read.body, headers={"Content-Type": read.content_type}
        )


class AsyncHttpx(Httpx):
    name, stub = "httpx-async", "respx"
    is_async = True

    def __init__(self) -> None:
        import httpx

        self.client = httpx.AsyncClient()  # type: ignore[assignment]

    def call(self, read: Read) -> AsyncCall:
        async def get() -> Any:
            return await self.client.get(read.url, headers=read.headers, timeout=10)  # type: ignore[misc]

        return get


class Aiohttp(Client):
    name, stub = "aiohttp", "aioresponses"
    is_async = True

    def __init__(self) -> None:
        self.session: Any = None

    def call(self, read: Read) -> AsyncCall:
        import aiohttp

        async def get() -> bytes:
            if self.session is None:
                self.session = aiohttp.ClientSession()
            async with self.session.get(read.url, headers=read.headers) as answer:
                return await answer.read()

        return get

    def close(self) -> None:
        if self.session is not None:
            LOOP.run_until_complete(self.session.close())

    def stubbed(self, read: Read, stack: ExitStack) -> None:
        from aioresponses import aioresponses

        mocked = stack.enter_context(aioresponses())
        mocked.get(
            read.url,
            status=read.status,
            body=read.body,
            content_type=read.content_type,
            repeat=True,
        )


CLIENTS: dict[str, type[Client]] = {
    c.name: c for c in (Requests, Urllib3, Httpx, AsyncHttpx, Aiohttp)
}


# -- timing ------------------------------------------------------------------------


def time_calls(
    call: Call | AsyncCall, calls: int, between: Callable[[], None], is_async: bool
) -> float:
    """Microseconds a call: `calls` calls, each timed on its own, `between` run
    after each one outside the timing."""
    if is_async:

        async def run() -> float:
            await call()  # type: ignore[misc]
            total = 0
            for _ in range(calls):
                started = time.perf_counter_ns()
                await call()  # type: ignore[misc]
                total += time.perf_counter_ns() - started
                between()
            return total / calls / 1000

        return LOOP.run_until_complete(run())
    call()
    total = 0
    for _ in range(calls):
        started = time.perf_counter_ns()
        call()
        total += time.perf_counter_ns() - started
        between()
    return total / calls / 1000


LOOP = asyncio.new_event_loop()


def compare(client: Client, read: Read, mock: RecMock, calls: int, rounds: int) -> dict:
    ours: list[float] = []
    stubs: list[float] = []
    failed: str | None = None
    call = client.call(read)

    def refill() -> None:
        mock.limits.clear(read.vendor)

    def nothing() -> None:
        pass

    for round_number in range(rounds):
        order = ["ours", "stub"] if round_number % 2 == 0 else ["stub", "ours"]
        for target in order:
            if target == "ours":
                with _answering(mock):
                    ours.append(time_calls(call, calls, refill, client.is_async))
            elif client.stub and failed is None:
                try:
                    with ExitStack() as stack:
                        client.stubbed(read, stack)
                        stubs.append(time_calls(call, calls, nothing, client.is_async))
                except Exception as exc:  # a stub library that does not work with this client
                    failed = f"{client.stub} failed: {type(exc).__name__}: {exc}"
    result: dict[str, Any] = {"ours": statistics.median(ours)}
    if failed:
        result["failed"] = failed
    elif stubs:
        result["stub"] = statistics.median(stubs)
        # Each round's two targets ran back to back: their ratio is what drift spares.
        result["ratio"] = statistics.median(o / s for o, s in zip(ours, stubs, strict=True))
    return result


def _answering(mock: RecMock) -> Any:
    from recmock.in_process import answering_in_process

    return answering_in_process(mock)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--vendors", default="claap,telnyx,eyeson,valt,scoot")
    parser.add_argument("--tests", type=int, default=2000, help="0 skips the fixture cost")
    args = parser.parse_args()

    vendors = args.vendors.split(",")
    with recmock.mock_vendors() as mock:
        mock.clock.freeze()
        reads = [r for r in vendor_reads(mock) if r.vendor in vendors]
        for read in reads:
            answer = requests.get(read.url, headers=read.headers, timeout=10)
            read.status = answer.status_code
            read.body = answer.content
            read.content_type = answer.headers["Content-Type"]
            assert read.status == 200, (read.vendor, answer.text)
    print(f"{args.rounds} rounds of {args.calls} calls; µs a call, median of the rounds")
    print(f"{'client':<12} {'vendor':<7} {'recmock':>9} {'stub':>9}  ratio  (stub library)")
    ratios: dict[str, list[float]] = {}
    clients = []
    for name in args.clients.split(","):
        client = CLIENTS[name]()
        clients.append(client)
        for read in reads:
            result = compare(client, read, mock, args.calls, args.rounds)
            stub = f"{result['stub']:9.1f}" if "stub" in result else f"{'—':>9}"
            ratio = f"{result['ratio']:5.2f}" if "ratio" in result else f"{'—':>5}"
            if "ratio" in result:
                ratios.setdefault(name, []).append(result["ratio"])
            print(
                f"{name:<12} {read.vendor:<7} {result['ours']:9.1f} {stub}  {ratio}"
                f"  ({result.get('failed') or client.stub or 'none'})"
            )
    for name, found in ratios.items():
        print(f"{name}: worst ratio {max(found):.2f}, median {statistics.median(found):.2f}")
    for client in clients:
        client.close()
    if args.tests:
        sys.path.insert(0, str(Path(__file__).parent))
        from fixture_cost import report

        report(args.tests, runs=3)


if __name__ == "__main__":
    main()
