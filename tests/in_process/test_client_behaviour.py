"""What a client library does with a server over a socket, it does in process too: its
retries, cookies, adapter hooks, body forms and header rules are the library's own, so
code under test behaves as it will against the real vendor."""

from __future__ import annotations

import asyncio
import http.client
from pathlib import Path

import aiohttp
import pytest
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from recmock import RecMock, UninterceptedRequestError, mock_vendors
from recmock.in_process import answering_in_process
from tests.conftest import Receiver

RECORDINGS = "https://api.claap.io/v1/recordings"
CLAAP_KEY = {"X-Claap-Key": "cla_in_process"}
A_RECORDING = {"authorEmail": "ann@acme.com", "title": "Weekly"}


def _fail_reads(recmock: RecMock, status: int, times: int, **headers: str) -> None:
    fault = {"method": "GET", "path": "/v1/recordings", "status": status, "times": times}
    recmock.add_scripts({"vendor": "claap", "fault": {**fault, "headers": headers}})


class TestRequestsRetries:
    """An adapter mounted with `max_retries` retries in process as it would over the
    network: the test sees the retries in the journal and the last answer."""

    def test_statuses_in_the_forcelist_are_retried(self, recmock: RecMock) -> None:
        _fail_reads(recmock, 503, times=2)
        session = requests.Session()
        retry = Retry(total=3, status_forcelist=[503], backoff_factor=0)
        session.mount("https://", HTTPAdapter(max_retries=retry))
        assert session.get(RECORDINGS, headers=CLAAP_KEY).status_code == 200
        assert [e["status"] for e in recmock.journal.entries()] == [503, 503, 200]

    def test_a_429_with_retry_after_is_retried_after_it(self, recmock: RecMock) -> None:
        _fail_reads(recmock, 429, times=1, **{"Retry-After": "0"})
        session = requests.Session()
        session.mount("https://", HTTPAdapter(max_retries=Retry(total=2, backoff_factor=0)))
        assert session.get(RECORDINGS, headers=CLAAP_KEY).status_code == 200
        assert [e["status"] for e in recmock.journal.entries()] == [429, 200]

    def test_requests_default_adapter_does_not_retry(self, recmock: RecMock) -> None:
        _fail_reads(recmock, 503, times=1)
        assert requests.get(RECORDINGS, headers=CLAAP_KEY).status_code == 503
        assert len(recmock.journal.entries()) == 1


def test_requests_keeps_the_cookies_an_answer_sets(recmock: RecMock) -> None:
    _fail_reads(recmock, 503, times=1, **{"Set-Cookie": "lb=node-2; Path=/"})
    session = requests.Session()
    answer = session.get(RECORDINGS, headers=CLAAP_KEY)
    assert (answer.status_code, answer.cookies.get("lb")) == (503, "node-2")
    assert session.get(RECORDINGS, headers=CLAAP_KEY).status_code == 200
    assert recmock.journal.entries()[-1]["headers"]["Cookie"] == "lb=node-2"


def test_an_adapter_subclass_adds_its_headers(recmock: RecMock) -> None:
    class SigningAdapter(HTTPAdapter):
        def add_headers(self, request: requests.PreparedRequest, **kwargs: object) -> None:
            request.headers["X-Claap-Key"] = "cla_from_adapter"

    session = requests.Session()
    session.mount("https://api.claap.io", SigningAdapter())
    assert session.get(RECORDINGS).status_code == 200
    [entry] = recmock.journal.entries()
    assert entry["headers"]["X-Claap-Key"] == "cla_from_adapter"


@pytest.mark.filterwarnings("ignore::requests.exceptions.FileModeWarning")
def test_requests_sends_a_file_opened_as_text(recmock: RecMock, tmp_path: Path) -> None:
    body = tmp_path / "recording.json"
    body.write_text('{"authorEmail": "ann@acme.com", "title": "Ünïcode"}', encoding="utf-8")
    with body.open(encoding="utf-8") as opened:
        answer = requests.post(
            RECORDINGS, data=opened, headers={**CLAAP_KEY, "Content-Type": "application/json"}
        )
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["recording"]["title"] == "Ünïcode"


def test_aiohttp_waits_for_100_continue_and_sends_the_body(recmock: RecMock) -> None:
    async def main() -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(RECORDINGS, json=A_RECORDING, headers=CLAAP_KEY, expect100=True) as answer,
        ):
            return answer.status, (await answer.json())["result"]["recording"]["title"]

    assert asyncio.run(main()) == (200, "Weekly")
    [entry] = recmock.journal.entries()
    assert entry["headers"]["Expect"] == "100-continue"


def test_a_header_name_with_an_underscore_is_dropped_as_servers_drop_it(
    recmock: RecMock,
) -> None:
    """waitress, nginx and werkzeug's server drop them (in WSGI `X_Claap_Key` and
    `X-Claap-Key` would be the same key): a client sending one gets the vendor's 401."""
    answer = requests.get(RECORDINGS, headers={"X_Claap_Key": "cla_in_process"})
    assert answer.status_code == 401
    [entry] = recmock.journal.entries()
    assert "X_Claap_Key" not in entry["headers"] and "X-Claap-Key" not in entry["headers"]


def test_urllib3_skip_header_leaves_the_header_out(recmock: RecMock) -> None:
    pool = urllib3.PoolManager()
    headers = {**CLAAP_KEY, "User-Agent": urllib3.util.SKIP_HEADER}
    assert pool.request("GET", RECORDINGS, headers=headers).status == 200
    [entry] = recmock.journal.entries()
    assert "User-Agent" not in entry["headers"]


def test_a_fully_qualified_host_name_is_the_vendors_host(recmock: RecMock) -> None:
    answer = requests.get("https://api.claap.io./v1/recordings", headers=CLAAP_KEY)
    assert (answer.status_code, answer.json()["result"]["recordings"]) == (200, [])


class TestAProxyDoesNotLeakVendorTraffic:
    """A client nothing intercepts, sent through a proxy, would reach the real vendor
    without a DNS lookup of its host: asking the proxy for a vendor host is refused and
    reported like a lookup."""

    def test_a_tunnel_to_a_vendor_host(self, receiver: Receiver) -> None:
        with pytest.raises(UninterceptedRequestError) as caught, mock_vendors():
            proxy = http.client.HTTPConnection("127.0.0.1", int(receiver.url.rsplit(":", 1)[1]))
            with pytest.raises(OSError, match=r"asked a proxy for api\.claap\.io"):
                proxy.set_tunnel("api.claap.io", 443)
        assert caught.value.hosts == ["api.claap.io"]
        assert receiver.received == []

    def test_an_absolute_url_to_a_vendor_host(self, receiver: Receiver) -> None:
        with pytest.raises(UninterceptedRequestError), mock_vendors():
            proxy = http.client.HTTPConnection("127.0.0.1", int(receiver.url.rsplit(":", 1)[1]))
            with pytest.raises(OSError, match=r"asked a proxy for api\.telnyx\.com"):
                proxy.request("GET", "http://api.telnyx.com/v2/rooms")
        assert receiver.received == []

    def test_other_hosts_through_a_proxy_go_out(self, receiver: Receiver) -> None:
        with mock_vendors():
            proxy = http.client.HTTPConnection("127.0.0.1", int(receiver.url.rsplit(":", 1)[1]))
            proxy.request("GET", "http://example.org/page")
            assert proxy.getresponse().status == 200
        assert [r.path for r in receiver.received] == ["http://example.org/page"]


def test_a_block_that_failed_does_not_report_into_the_next(mock: RecMock) -> None:
    """The mock's host table outlives one `with`: what a block ended by an exception
    noted stays that block's."""
    with pytest.raises(ZeroDivisionError), answering_in_process(mock):
        with pytest.raises(OSError):
            http.client.HTTPConnection("api.claap.io", 80, timeout=5).connect()
        1 / 0  # noqa: B018 - the code under test fails before the block ends
    with answering_in_process(mock):
        assert requests.get(RECORDINGS, headers=CLAAP_KEY).ok
