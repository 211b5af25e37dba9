"""What interception touches and what it leaves alone, per client: only the vendors'
hosts are answered, a vendor host the mock does not serve is refused with the client's
own connection error, every other host goes out untouched, and once the mock stops the
libraries are exactly as they were."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import urllib.error
import urllib.request

import aiohttp
import httpx
import pytest
import requests
import urllib3

from recmock import RecMock, UninterceptedRequestError, mock_vendors
from recmock.in_process import answering_in_process
from tests.conftest import Receiver
from tests.in_process.clients import Client

CLAAP_KEY = {"X-Claap-Key": "cla_in_process"}


def test_other_hosts_go_out_untouched(client: Client, recmock: RecMock, receiver: Receiver) -> None:
    receiver.payload = b"from the real socket"
    answer = client.send("GET", f"{receiver.url}/elsewhere")
    assert (answer.status, answer.body) == (200, b"from the real socket")
    assert [r.path for r in receiver.received] == ["/elsewhere"]
    assert recmock.journal.entries() == []


def test_a_vendor_host_the_mock_does_not_serve_is_refused(client: Client, recmock: RecMock) -> None:
    with pytest.raises(client.connection_error) as refused:
        client.send("GET", "https://www.claap.io/pricing")
    assert "recmock refused www.claap.io: it serves claap at api.claap.io only" in str(
        refused.value
    )
    assert recmock.journal.entries() == []


def test_repeated_headers_arrive_joined_as_a_server_joins_them(
    client: Client, recmock: RecMock
) -> None:
    if client.name == "requests":
        pytest.skip("requests sends a header name once (its headers are a dict)")
    sent = [("X-Claap-Key", "cla_in_process"), ("X-Trace", "a"), ("X-Trace", "b")]
    assert client.send("GET", "https://api.claap.io/v1/recordings", headers=sent).status == 200
    [entry] = recmock.journal.entries()
    assert entry["headers"]["X-Trace"] == "a,b"


def test_the_journal_keeps_a_json_body_and_parses_it(client: Client, recmock: RecMock) -> None:
    client.send(
        "POST",
        "https://api.claap.io/v1/recordings",
        headers=CLAAP_KEY,
        json={"authorEmail": "ann@acme.com", "title": "Ünïcode"},
    )
    [entry] = recmock.journal.entries(method="POST")
    assert entry.json() == {"authorEmail": "ann@acme.com", "title": "Ünïcode"}
    assert entry["headers"]["Content-Type"] == "application/json"


RESTORED = """
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import aiohttp, httpx, requests.adapters, urllib3
import recmock


def patched():
    return (
        requests.adapters.HTTPAdapter.send,
        urllib3.HTTPConnectionPool.ConnectionCls,
        urllib3.HTTPSConnectionPool.ConnectionCls,
        httpx.HTTPTransport.handle_request,
        httpx.AsyncHTTPTransport.handle_async_request,
        aiohttp.BaseConnector.connect,
        socket.getaddrinfo,
    )


class Plain(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


plain = HTTPServer(("127.0.0.1", 0), Plain)
threading.Thread(target=plain.serve_forever, daemon=True).start()
elsewhere = f"http://127.0.0.1:{plain.server_port}"

before = patched()
session = requests.Session()  # its pool outlives the mock
with recmock.mock_vendors():
    during = patched()
    with recmock.mock_vendors():  # nested: the outer one's patches stay until it ends
        pass
    assert patched() == during
    assert session.get(f"{elsewhere}/during", timeout=5).status_code == 200
    assert session.get("https://api.claap.io/v1/recordings",
                       headers={"X-Claap-Key": "cla_k"}, timeout=5).ok
assert all(a is not b for a, b in zip(before, during)), "every library was patched"
assert patched() == before, "every library is as it was"
assert session.get(f"{elsewhere}/after", timeout=5).status_code == 200, "pooled, plain"
print("restored")
"""


def test_the_libraries_are_as_before_once_the_mock_stops() -> None:
    """Outside pytest (where the plugin holds the patches for the session, this suite
    included): a script that imports the libraries, uses the mock once, and then a
    connection pooled while the mock answered."""
    done = subprocess.run(
        [sys.executable, "-c", RESTORED], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, "restored"), done.stderr


def test_a_client_nothing_intercepts_cannot_reach_a_vendor_unnoticed() -> None:
    """urllib.request is not intercepted: its lookup of the vendor's host fails, and the
    mock says so as it stops, even when the code under test swallowed the error."""
    with pytest.raises(UninterceptedRequestError) as caught, mock_vendors():
        with pytest.raises(urllib.error.URLError) as failed:
            urllib.request.urlopen("https://api.claap.io/v1/recordings", timeout=5)
        assert "recmock: a client it does not intercept looked up api.claap.io" in str(failed.value)
    assert caught.value.hosts == ["api.claap.io"]
    assert "api.claap.io looked up in DNS by a client recmock does not intercept" in str(
        caught.value
    )


class TestAFaultsDelay:
    """A `delay` fault holds the answer back as a slow server would, and a client whose
    read timeout is shorter gets its own timeout error."""

    @pytest.fixture(autouse=True)
    def slow_reads(self, recmock: RecMock) -> None:
        recmock.add_scripts(
            {"vendor": "claap", "fault": {"method": "GET", "path": "/v1/*", "delay": "0.3s"}}
        )

    URL = "https://api.claap.io/v1/recordings"

    def test_requests(self, recmock: RecMock) -> None:
        with pytest.raises(requests.ReadTimeout):
            requests.get(self.URL, headers=CLAAP_KEY, timeout=(5, 0.1))
        assert requests.get(self.URL, headers=CLAAP_KEY, timeout=5).status_code == 200

    def test_urllib3(self, recmock: RecMock) -> None:
        pool = urllib3.PoolManager(retries=False)
        with pytest.raises(urllib3.exceptions.ReadTimeoutError):
            pool.request("GET", self.URL, headers=CLAAP_KEY, timeout=urllib3.Timeout(read=0.1))

    def test_httpx(self, recmock: RecMock) -> None:
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(self.URL, headers=CLAAP_KEY, timeout=httpx.Timeout(5, read=0.1))
        assert httpx.get(self.URL, headers=CLAAP_KEY, timeout=5).status_code == 200

    def test_httpx_async_waits_without_blocking_the_loop(self, recmock: RecMock) -> None:
        async def main() -> tuple[int, list[str]]:
            order: list[str] = []

            async def other_work() -> None:
                await asyncio.sleep(0.05)
                order.append("other work")

            async with httpx.AsyncClient(timeout=5) as session:
                answer, _ = await asyncio.gather(
                    session.get(self.URL, headers=CLAAP_KEY), other_work()
                )
                order.append("answer")
                with pytest.raises(httpx.ReadTimeout):
                    await session.get(
                        self.URL, headers=CLAAP_KEY, timeout=httpx.Timeout(5, read=0.1)
                    )
            return answer.status_code, order

        assert asyncio.run(main()) == (200, ["other work", "answer"])

    def test_aiohttp(self, recmock: RecMock) -> None:
        async def main() -> None:
            timeout = aiohttp.ClientTimeout(sock_read=0.1)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                with pytest.raises(aiohttp.SocketTimeoutError):
                    async with session.get(self.URL, headers=CLAAP_KEY) as answer:
                        await answer.read()

        asyncio.run(main())


def test_a_mock_answers_only_while_it_is_active(mock: RecMock) -> None:
    with answering_in_process(mock):
        assert requests.get("https://api.claap.io/v1/recordings", headers=CLAAP_KEY).ok
    assert len(mock.journal.entries()) == 1
