"""Example: the official `telnyx` SDK (v4) in process, with its default base URL.

The SDK talks httpx to https://api.telnyx.com/v2; the `recmock` fixture answers that
host without a socket, so the SDK needs no configuration beyond its API key. A
finished room session (people meeting, which no REST call does) comes from
`recmock.telnyx.simulate_session()`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import telnyx
from telnyx import Telnyx

KEY = "KEY_in_process"


@pytest.fixture
def client(recmock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Telnyx]:
    monkeypatch.delenv("TELNYX_BASE_URL", raising=False)  # the SDK's own default, then
    with Telnyx(api_key=KEY, max_retries=0, _strict_response_validation=True) as sdk:
        yield sdk


def test_the_sdk_reaches_the_mock_at_telnyxs_own_url(client: Telnyx, recmock) -> None:
    assert str(client.base_url) == "https://api.telnyx.com/v2/"
    room = client.rooms.create(unique_name="weekly").data
    assert client.rooms.retrieve(room.id).data.unique_name == "weekly"
    [entry] = recmock.journal.entries(vendor="telnyx", method="POST")
    assert entry["path"] == "/v2/rooms"
    assert entry["headers"]["Authorization"] == f"Bearer {KEY}"


def test_compose_a_simulated_session(client: Telnyx, recmock) -> None:
    recmock.clock.freeze()
    made = recmock.telnyx.simulate_session(api_key=KEY, participants=2, duration_secs=60)
    videos = [r["id"] for r in made["recordings"] if r["type"] == "video"]
    created = client.room_compositions.create(
        session_id=made["session"]["id"],
        resolution="640x360",
        video_layout={"main": {"video_sources": videos, "width": 640, "height": 360}},
    ).data
    assert created.status == "enqueued"

    recmock.advance("40s")
    done = client.room_compositions.retrieve(created.id).data
    assert (done.status, done.duration_secs) == ("completed", 60)
    assert done.download_url.startswith("https://api.telnyx.com/")


def test_auto_pagination_fetches_every_page(client: Telnyx, recmock) -> None:
    session = recmock.telnyx.simulate_session(api_key=KEY)["session"]["id"]
    made = {client.room_compositions.create(session_id=session).data.id for _ in range(5)}
    listed = [c.id for c in client.room_compositions.list(page_size=2)]
    assert sorted(listed) == sorted(made)
    pages = [
        e["query"].get("page[number]")
        for e in recmock.journal.entries(vendor="telnyx", method="GET")
    ]
    assert pages == [None, "2", "3"]


def test_the_sdks_own_errors(client: Telnyx, recmock) -> None:
    with pytest.raises(telnyx.NotFoundError) as missing:
        client.room_compositions.retrieve("6a09cdc3-8948-47f0-aa62-74ac943d6c58")
    assert missing.value.body["errors"][0]["code"] == "10005"

    with pytest.raises(telnyx.UnprocessableEntityError) as invalid:
        client.room_compositions.create(resolution="4000x4000")
    assert sorted(e["source"]["pointer"] for e in invalid.value.body["errors"]) == [
        "/resolution",
        "/session_id",
    ]

    recmock.register_key("telnyx", "KEY_the_only_one")
    with pytest.raises(telnyx.AuthenticationError) as refused:
        client.rooms.list()
    assert refused.value.body["errors"][0]["code"] == "10009"
