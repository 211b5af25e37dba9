"""The pytest plugin from the outside: a test suite that only has recmock installed
(the entry point registers the fixtures; no conftest code) and uses them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import free_port

pytest_plugins = ["pytester"]


A_USERS_SUITE = """
import requests

def _create(title):
    return requests.post(
        "https://api.claap.io/v1/recordings",
        json={{"authorEmail": "a@acme.com", "title": title}},
        headers={{"X-Claap-Key": "cla_k"}},
        timeout=10,
    )

def test_in_process_{n}(recmock):
    assert _create("t{n}").status_code == 200
    listed = requests.get("https://api.claap.io/v1/recordings",
                          headers={{"X-Claap-Key": "cla_k"}}, timeout=10).json()
    assert len(listed["result"]["recordings"]) == 1  # isolated from the other tests

def test_live_{n}(recmock_server):
    base = recmock_server.url_for("claap")
    created = requests.post(base + "/recordings", json={{"authorEmail": "a@acme.com"}},
                            headers={{"X-Claap-Key": "cla_k"}}, timeout=10)
    assert created.status_code == 200
    assert len(recmock_server.journal.entries(vendor="claap")) == 1
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    for n in range(4):
        pytester.makepyfile(**{f"test_user_{n}": A_USERS_SUITE.format(n=n)})
    return pytester


def test_the_fixtures_work_with_no_conftest(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)


def test_the_fixtures_work_under_xdist(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)


def test_the_live_server_address_can_be_set(pytester: pytest.Pytester) -> None:
    port = free_port()
    pytester.makepyfile(
        f"""
        def test_port(recmock_server):
            assert recmock_server.url == "http://127.0.0.1:{port}"
        """
    )
    result = pytester.runpytest_subprocess("--recmock-port", str(port), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_recmock_config_can_be_overridden(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from recmock import Config

        @pytest.fixture(scope="session")
        def recmock_config():
            return Config(quotas=False, rate_limits=False)
        """
    )
    pytester.makepyfile(
        """
        import requests

        def test_no_quota(recmock):
            for n in range(60):
                answer = requests.post("https://api.claap.io/v1/recordings",
                                       json={"authorEmail": "a@acme.com"},
                                       headers={"X-Claap-Key": "cla_k"}, timeout=10)
                assert answer.status_code == 200
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


QUOTA_PROBE = """
import requests

CREATE = dict(json={"authorEmail": "a@acme.com"}, headers={"X-Claap-Key": "cla_k"}, timeout=10)

def _statuses(base):
    return {requests.post(base + "/recordings", **CREATE).status_code for _ in range(55)}

def test_in_process_NAME(recmock):
    assert _statuses("https://api.claap.io/v1") == EXPECTED

def test_live_NAME(recmock_server):
    assert _statuses(recmock_server.url_for("claap")) == EXPECTED
"""


def _override_config(folder: Path, config: str) -> None:
    """A folder's conftest.py overriding recmock_config with `config` (Python source)."""
    (folder / "conftest.py").write_text(
        "import pytest\n"
        "from recmock import Config\n\n"
        "@pytest.fixture(scope='session')\n"
        "def recmock_config():\n"
        f"    return {config}\n"
    )


def _probe(name: str, expected: str) -> str:
    return QUOTA_PROBE.replace("NAME", name).replace("EXPECTED", expected)


def test_a_folders_recmock_config_applies_to_its_tests_whoever_runs_first(
    pytester: pytest.Pytester,
) -> None:
    """The session keeps one app and one live server per distinct config, so a folder's
    override is not lost to the default that an earlier test built its mock from."""
    pytester.makepyfile(test_first=_probe("default", "{200, 429}"))
    folder = pytester.mkpydir("no_quota")
    _override_config(folder, "Config(quotas=False, rate_limits=False)")
    (folder / "test_later.py").write_text(_probe("no_quota", "{200}"))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "test_first.py", "no_quota")
    result.assert_outcomes(passed=4)


def test_a_second_live_server_needs_a_free_port(pytester: pytest.Pytester) -> None:
    port = free_port()
    pytester.makepyfile(
        test_a="def test_a(recmock_server):\n    pass\n",
    )
    folder = pytester.mkpydir("other")
    _override_config(folder, "Config(seed=7)")
    (folder / "test_b.py").write_text("def test_b(recmock_server):\n    pass\n")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--recmock-port={port}", "test_a.py", "other"
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*a second recmock_config needs a second live server*"])


def test_a_fixed_port_under_parallel_workers_says_why(pytester: pytest.Pytester) -> None:
    port = free_port()
    pytester.makepyfile(
        test_a="def test_a(recmock_server):\n    pass\n",
        test_b="def test_b(recmock_server):\n    pass\n",
    )
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", f"--recmock-port={port}"
    )
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*the live server's port is fixed (*), but each of the 2 xdist workers starts its own*"]
    )


def test_other_hosts_are_not_intercepted(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests

        def test_elsewhere(recmock):
            with pytest.raises(requests.ConnectionError):
                requests.get("http://127.0.0.1:9/", timeout=2)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_marker_narrows_the_reset(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests

        def _count():
            return len(requests.get("https://api.claap.io/v1/recordings",
                                    headers={"X-Claap-Key": "cla_k"}, timeout=10
                                    ).json()["result"]["recordings"])

        def test_first(recmock):
            requests.post("https://api.claap.io/v1/recordings", json={"authorEmail": "a@b.co"},
                          headers={"X-Claap-Key": "cla_k"}, timeout=10)
            assert _count() == 1

        @pytest.mark.recmock(reset=[])
        def test_second_keeps_claap(recmock):
            assert _count() == 1
            assert len(recmock.journal.entries()) == 1  # the journal was still reset

        @pytest.mark.recmock(reset=["claap"])
        def test_third_resets_claap(recmock):
            assert _count() == 0
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=3)


EVERY_CLIENT = """
import aiohttp
import httpx
import pytest
import requests
import urllib3

URL = "https://api.claap.io/v1/recordings"
KEY = {{"X-Claap-Key": "cla_k{n}"}}
BODY = {{"authorEmail": "a@acme.com"}}


def _listed(recmock):
    return [e["method"] for e in recmock.journal.entries()]


def test_requests_{n}(recmock):
    assert requests.post(URL, json=BODY, headers=KEY, timeout=5).status_code == 200
    assert _listed(recmock) == ["POST"]


def test_urllib3_{n}(recmock):
    assert urllib3.PoolManager().request("POST", URL, json=BODY, headers=KEY).status == 200
    assert _listed(recmock) == ["POST"]


def test_httpx_{n}(recmock):
    with httpx.Client() as client:
        assert client.post(URL, json=BODY, headers=KEY).status_code == 200
    assert _listed(recmock) == ["POST"]


@pytest.mark.asyncio
async def test_httpx_async_{n}(recmock):
    async with httpx.AsyncClient() as client:
        assert (await client.post(URL, json=BODY, headers=KEY)).status_code == 200
    assert _listed(recmock) == ["POST"]


@pytest.mark.anyio
async def test_aiohttp_{n}(recmock):
    async with aiohttp.ClientSession() as session:
        async with session.post(URL, json=BODY, headers=KEY) as answer:
            assert answer.status == 200
    assert _listed(recmock) == ["POST"]
"""


def test_every_client_in_process_under_xdist(pytester: pytest.Pytester) -> None:
    for n in range(2):
        pytester.makepyfile(**{f"test_clients_{n}": EVERY_CLIENT.format(n=n)})
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=10)


def test_a_client_nothing_intercepts_fails_the_test_at_teardown(
    pytester: pytest.Pytester,
) -> None:
    """Even when the code under test swallows the error, the test cannot pass unnoticed."""
    pytester.makepyfile(
        """
        import urllib.request

        def test_swallowed(recmock):
            try:
                urllib.request.urlopen("https://api.claap.io/v1/recordings", timeout=5)
            except OSError:
                pass  # the application's own error handling
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*UninterceptedRequestError: recmock: api.claap.io looked up in DNS by a client*"]
    )


def test_a_busy_port_says_so_once_clearly(pytester: pytest.Pytester) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        pytester.makepyfile("def test_a(recmock_server):\n    pass\n")
        result = pytester.runpytest_subprocess(f"--recmock-port={port}", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"*recmock_server cannot listen on 127.0.0.1:{port}: Address already in use*"]
    )
    result.stdout.no_fnmatch_line("*OSError*")


def test_a_tests_change_of_settings_stays_in_that_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests

        def _statuses():
            return {requests.post("https://api.claap.io/v1/recordings",
                                  json={"authorEmail": "a@acme.com"},
                                  headers={"X-Claap-Key": "cla_k"}, timeout=5).status_code
                    for _ in range(25)}

        def test_first_turns_rate_limits_off(recmock):
            recmock.config.rate_limits = False
            assert _statuses() == {200}

        def test_second_has_them_again(recmock):
            assert recmock.config.rate_limits is True
            assert _statuses() == {200, 429}

        def test_third_turns_them_off_again(recmock):
            recmock.config.rate_limits = False

        @pytest.mark.recmock(reset=["claap"])
        def test_a_narrowed_reset_restores_the_settings_too(recmock):
            assert recmock.config.rate_limits is True
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=4)


def test_a_marker_naming_an_unknown_vendor_says_so(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.recmock(reset=["claap", "zoom"])
        def test_a(recmock):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.recmock(reset=...): unknown vendor 'zoom' (one of claap, *"]
    )
