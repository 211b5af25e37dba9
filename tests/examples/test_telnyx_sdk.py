"""Example: the official `telnyx` SDK (v4) against the `recmock_server` fixture. The SDK
uses httpx, not requests, so it needs the live server; `base_url` points it there.
`max_retries=0` because the SDK retries 429 and 5xx answers on its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import telnyx
from telnyx import Telnyx

KEY = "KEY_example_account"


@pytest.fixture
def client(recmock_server) -> Iterator[Telnyx]:
    # Strict validation makes the SDK check each answer against its own models.
    with Telnyx(
        api_key=KEY,
        base_url=recmock_server.url_for("telnyx"),
        max_retries=0,
        _strict_response_validation=True,
    ) as sdk:
        yield sdk


def finished_session(recmock_server, participants: int = 2) -> dict:
    """A finished room session with its participants' recordings (a recmock action:
    sessions come from people joining a room, which no REST call does)."""
    answer = requests.post(
        f"{recmock_server.url}/_recmock/vendors/telnyx/sessions",
        json={"participants": participants, "duration_secs": 60},
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()


@pytest.fixture
def session(recmock_server) -> dict:
    return finished_session(recmock_server)


def test_create_retrieve_complete_and_delete(client: Telnyx, session: dict, recmock_server) -> None:
    videos = [r["id"] for r in session["recordings"] if r["type"] == "video"]
    created = client.room_compositions.create(
        session_id=session["session"]["id"],
        resolution="640x360",
        video_layout={"main": {"video_sources": videos, "width": 640, "height": 360}},
    ).data
    assert created.status == "enqueued"
    assert created.video_layout["main"].video_sources == videos

    recmock_server.advance("40s")  # queue and processing time, on the mock's clock
    done = client.room_compositions.retrieve(created.id).data
    assert done.status == "completed"
    assert done.duration_secs == 60
    video = requests.get(done.download_url, timeout=10)
    assert video.headers["Content-Type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"

    client.room_compositions.delete(created.id)
    with pytest.raises(telnyx.NotFoundError) as missing:
        client.room_compositions.retrieve(created.id)
    assert missing.value.status_code == 404
    assert missing.value.body["errors"][0]["code"] == "10005"


def test_list_with_a_filter_across_pages(client: Telnyx, session: dict, recmock_server) -> None:
    ids = {
        client.room_compositions.create(session_id=session["session"]["id"]).data.id
        for _ in range(5)
    }
    elsewhere = finished_session(recmock_server, participants=1)["session"]["id"]
    other = client.room_compositions.create(session_id=elsewhere).data.id

    page = client.room_compositions.list(
        filter={"session_id": session["session"]["id"], "status": "enqueued"}, page_size=2
    )
    listed = [composition.id for composition in page]  # the SDK fetches pages 2 and 3 itself

    assert sorted(listed) == sorted(ids)
    assert other not in listed
    requested = recmock_server.journal.entries(vendor="telnyx", method="GET")
    assert [e["query"]["page[number]"] for e in requested if "page[number]" in e["query"]] == [
        "2",
        "3",
    ]


def test_the_sdk_raises_its_own_errors(client: Telnyx, recmock_server) -> None:
    with pytest.raises(telnyx.UnprocessableEntityError) as invalid:
        client.room_compositions.create(resolution="4000x4000")
    pointers = sorted(e["source"]["pointer"] for e in invalid.value.body["errors"])
    assert pointers == ["/resolution", "/session_id"]

    recmock_server.register_key("telnyx", "KEY_the_only_one")
    with pytest.raises(telnyx.AuthenticationError) as refused:
        client.room_compositions.list()
    assert refused.value.body["errors"][0]["code"] == "10009"


def test_a_webhook_verifies_with_the_sdks_own_code(
    client: Telnyx, session: dict, recmock_server, receiver
) -> None:
    client.room_compositions.create(
        session_id=session["session"]["id"], webhook_event_url=f"{receiver.url}/telnyx"
    )
    recmock_server.advance("40s")

    [hook] = receiver.received
    public_key = requests.get(
        f"{recmock_server.url}/_recmock/vendors/telnyx/public_key", timeout=10
    ).json()["public_key"]
    event = client.webhooks.unwrap(hook.body.decode(), headers=hook.headers, key=public_key)
    assert event.data.event_type == "video.room.composition.completed"
    with pytest.raises(ValueError, match="Signature verification failed"):
        client.webhooks.unwrap(
            hook.body.decode().replace("completed", "failed"), headers=hook.headers, key=public_key
        )


def test_rooms_sessions_and_recordings_through_the_sdk(client: Telnyx, recmock_server) -> None:
    room = client.rooms.create(unique_name="weekly").data
    made = requests.post(
        f"{recmock_server.url}/_recmock/vendors/telnyx/sessions",
        json={"room_id": room.id, "participants": 3},
        timeout=10,
    ).json()

    assert client.rooms.retrieve(room.id).data.unique_name == "weekly"
    sessions = list(client.rooms.sessions.list_1(room.id, include_participants=True))
    assert [s.id for s in sessions] == [made["session"]["id"]]
    assert len(sessions[0].participants) == 3
    videos = list(client.room_recordings.list(filter={"type": "video"}, page_size=1))
    assert sorted(v.id for v in videos) == sorted(
        r["id"] for r in made["recordings"] if r["type"] == "video"
    )
    client.room_recordings.delete(videos[0].id)
    with pytest.raises(telnyx.NotFoundError):
        client.room_recordings.retrieve(videos[0].id)
