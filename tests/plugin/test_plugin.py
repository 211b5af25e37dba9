"""The pytest plugin from the outside: a test suite that only has recmock installed
(the entry point registers the fixtures; no conftest code) and uses them."""

from __future__ import annotations

import pytest

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
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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
