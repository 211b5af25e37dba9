"""`recmock.mock_vendors()` outside pytest's fixtures: a context manager, a decorator of
functions (sync and async) and of classes (unittest's included), as moto's `mock_aws`."""

from __future__ import annotations

import asyncio
import inspect
import unittest

import httpx
import pytest
import requests

from recmock import Config, RecMock, mock_vendors

CLAAP = "https://api.claap.io/v1/recordings"
KEY = {"X-Claap-Key": "cla_outside_pytest"}


def _create() -> requests.Response:
    return requests.post(CLAAP, json={"authorEmail": "ann@acme.com"}, headers=KEY, timeout=5)


def _count() -> int:
    return len(requests.get(CLAAP, headers=KEY, timeout=5).json()["result"]["recordings"])


def test_as_a_context_manager_it_yields_the_mock_the_fixture_gives() -> None:
    with mock_vendors() as mock:
        assert isinstance(mock, RecMock)
        mock.clock.freeze()
        assert _create().status_code == 200
        assert mock.advance("1s") == []
        assert [e["method"] for e in mock.journal.entries()] == ["POST"]


def test_each_entry_starts_from_an_empty_mock() -> None:
    vendors = mock_vendors()
    with vendors:
        _create()
        assert _count() == 1
    with vendors as mock:
        assert _count() == 0
        assert len(mock.journal.entries()) == 1  # the list just made


def test_settings_are_config_fields() -> None:
    with mock_vendors(rate_limits=False) as mock:
        assert mock.config.rate_limits is False
        assert {_create().status_code for _ in range(25)} == {200}  # past Claap's burst
    with mock_vendors(Config.in_process(seed=7)) as mock:
        assert mock.config.seed == 7
    with pytest.raises(TypeError, match="a Config or settings, not both"):
        mock_vendors(Config(), seed=1)


def test_a_decorated_function_gets_the_mock_if_it_asks_for_it() -> None:
    @mock_vendors()
    def sync_up(title: str, recmock: RecMock) -> int:
        _create()
        return len(recmock.journal.entries())

    assert sync_up("weekly") == 1
    assert sync_up("weekly") == 1  # fresh again
    assert "recmock" not in inspect.signature(sync_up).parameters  # pytest asks for no fixture

    @mock_vendors()
    def without_it() -> int:
        return _create().status_code

    assert without_it() == 200


def test_a_decorated_coroutine_function() -> None:
    @mock_vendors()
    async def sync_up(recmock: RecMock) -> int:
        async with httpx.AsyncClient() as client:
            answer = await client.post(CLAAP, json={"authorEmail": "a@acme.com"}, headers=KEY)
        return answer.status_code

    assert asyncio.run(sync_up()) == 200


@mock_vendors()
class ClaapSyncTest(unittest.TestCase):
    """A unittest suite: each test gets a fresh mock, from setUp until after tearDown."""

    def setUp(self) -> None:
        self.created = _create().json()["result"]["recording"]  # setUp runs in the mock

    def test_one(self) -> None:
        assert _count() == 1
        assert self.recmock.journal.entries(method="POST")  # type: ignore[attr-defined]

    def test_two(self) -> None:
        assert _count() == 1

    def tearDown(self) -> None:
        assert requests.delete(f"{CLAAP}/{self.created['id']}", headers=KEY, timeout=5).ok


def test_a_decorated_unittest_case_runs_each_test_in_a_fresh_mock() -> None:
    suite = unittest.TestLoader().loadTestsFromTestCase(ClaapSyncTest)
    result = unittest.TestResult()
    suite.run(result)
    assert (result.testsRun, result.errors, result.failures) == (2, [], [])


def test_a_decorated_plain_class_decorates_its_tests() -> None:
    @mock_vendors()
    class Checks:
        def test_create(self) -> int:
            return _create().status_code

        def helper(self) -> str:
            return "left alone"

    assert Checks().test_create() == 200
    assert Checks().helper() == "left alone"


def test_an_inner_mock_answers_until_it_ends_then_the_outer_one_again() -> None:
    with mock_vendors() as outer:
        _create()
        with mock_vendors() as inner:
            assert _count() == 0
            _create()
        assert _count() == 1
        assert len(inner.journal.entries()) == 2
        assert len(outer.journal.entries()) == 2
