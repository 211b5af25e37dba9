""" "At most 50 recordings can be created in a 30 days window period." (post_recording);
3 calls a second per endpoint with bursts, 3000 calls a day, per workspace
(docs.claap.io api-reference/rate_limiting)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests

from recmock import Config, RecMock
from tests.claap.conftest import ClaapClient
from tests.conftest import LiveServer

QUOTA_ERROR = {"error": {"type": "quota_exceeded", "message": "Recording quota exceeded"}}


@pytest.fixture
def config() -> Config:
    return Config(seed=5, rate_limits=False, public_url=None, admin_token=None)


def test_exactly_50_of_80_concurrent_creates_succeed(live_server: LiveServer) -> None:
    def create(n: int) -> int:
        response = requests.post(
            f"{live_server.url}/claap/v1/recordings",
            json={"authorEmail": "load@acme.com", "title": f"call {n}"},
            headers={"X-Claap-Key": "cla_busy"},
            timeout=30,
        )
        if response.status_code == 403:
            assert response.json() == QUOTA_ERROR
        return response.status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(create, range(80)))

    assert statuses.count(200) == 50
    assert statuses.count(403) == 30
    stored = live_server.mock.vendors["claap"].backend.recordings.all("cla_busy")
    assert len(stored) == 50


def test_the_window_slides_when_the_clock_moves_30_days(claap: ClaapClient, mock: RecMock) -> None:
    for n in range(50):
        claap.created(title=f"early {n}")
        mock.clock.advance(timedelta(minutes=1))
    refused = claap.create(title="one too many")
    assert refused.status_code == 403
    assert refused.json == QUOTA_ERROR

    # 30 days after the first creation, one slot frees up; the second follows a minute later.
    mock.clock.set(mock.now() - timedelta(minutes=50) + timedelta(days=30))
    assert claap.create(title="first freed slot").status_code == 200
    assert claap.create(title="not yet").status_code == 403
    mock.clock.advance(timedelta(minutes=1))
    assert claap.create(title="second freed slot").status_code == 200


def test_deleting_does_not_give_a_creation_back(claap: ClaapClient) -> None:
    made = [claap.created()["id"] for _ in range(50)]
    claap.client.delete(f"/claap/v1/recordings/{made[0]}", headers=claap.headers())
    assert claap.create().status_code == 403


def test_the_quota_is_per_workspace(claap: ClaapClient, client) -> None:
    for _ in range(50):
        claap.created()
    assert ClaapClient(client, "cla_other_workspace").create().status_code == 200


class TestRateLimits:
    @pytest.fixture
    def config(self) -> Config:
        return Config(seed=5, public_url=None, admin_token=None)

    def test_headers_on_every_answer(self, claap: ClaapClient) -> None:
        response = claap.list()
        assert response.headers["X-RateLimit-Limit"] == "3"
        assert response.headers["X-RateLimit-Remaining"] == "19"
        assert response.headers["X-RateLimit-Daily-Remaining"] == "2999"
        assert response.headers["X-Daily-RateLimit-Remaining"] == "2999"

    def test_a_burst_past_the_bucket_is_429_until_time_refills_it(
        self, claap: ClaapClient, mock: RecMock
    ) -> None:
        statuses = [claap.list().status_code for _ in range(21)]
        assert statuses == [200] * 20 + [429]
        refused = claap.list()
        assert refused.json == {"error": {"type": "rate_limited", "message": "Too many requests"}}
        assert refused.headers["X-RateLimit-Remaining"] == "0"

        mock.clock.advance(timedelta(seconds=1))
        assert [claap.list().status_code for _ in range(4)] == [200, 200, 200, 429]

    def test_each_endpoint_has_its_own_bucket(self, claap: ClaapClient) -> None:
        for _ in range(20):
            claap.list()
        assert claap.list().status_code == 429
        assert claap.create().status_code == 200

    def test_3000_calls_a_rolling_day(self, claap: ClaapClient, mock: RecMock) -> None:
        for _ in range(150):
            for _ in range(20):
                assert claap.list().status_code == 200
            mock.clock.advance(timedelta(seconds=7))
        refused = claap.list()
        assert refused.status_code == 429
        assert refused.headers["X-Daily-RateLimit-Remaining"] == "0"
        mock.clock.advance(timedelta(days=1))
        assert claap.list().status_code == 200
