"""Async tests get the same mock, with pytest-asyncio or anyio (the user's choice), and
what the mock sends out still goes out before the call that caused it returns: a
request's webhooks even to a receiver served by the test's own event loop, and a clock
advance's to one there through `advance_async` (plain `advance` blocks the loop)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import httpx
import pytest
import pytest_asyncio
from aiohttp import web

from recmock import RecMock
from tests.conftest import Receiver

EYESON = "https://api.eyeson.team"
EYESON_KEY = {"Authorization": "eyeson-async-key"}
TELNYX_KEY = {"Authorization": "Bearer KEY_async"}


@pytest_asyncio.fixture
async def loop_receiver() -> AsyncIterator[tuple[str, list[dict]]]:
    """A webhook receiver served by the test's own event loop (aiohttp.web)."""
    received: list[dict] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/hook", received
    await runner.cleanup()


@pytest.mark.asyncio
async def test_pytest_asyncio_with_httpx(recmock: RecMock) -> None:
    recmock.clock.freeze()
    async with httpx.AsyncClient() as client:
        session = recmock.telnyx.simulate_session(api_key="KEY_async")
        created = await client.post(
            "https://api.telnyx.com/v2/room_compositions",
            json={"session_id": session["session"]["id"]},
            headers=TELNYX_KEY,
        )
        assert created.status_code == 202
        recmock.advance("35s")
        done = await client.get(
            f"https://api.telnyx.com/v2/room_compositions/{created.json()['data']['id']}",
            headers=TELNYX_KEY,
        )
    assert done.json()["data"]["status"] == "completed"


@pytest.mark.anyio
async def test_anyio_with_aiohttp(recmock: RecMock) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{EYESON}/rooms", data={"id": "standup", "user[name]": "Jane"}, headers=EYESON_KEY
        ) as created:
            assert created.status == 201
            room = await created.json()
        async with session.get(f"{EYESON}/rooms/{room['access_key']}") as read:
            assert (await read.json())["room"]["id"] == "standup"


@pytest.mark.asyncio
async def test_a_webhook_reaches_a_receiver_on_the_tests_own_loop(
    recmock: RecMock, loop_receiver: tuple[str, list[dict]]
) -> None:
    """eyeson posts `room_update` as a meeting is shut down, before the answer: the app
    answers on the loop's thread, but the delivery waits on a worker thread, so the
    loop is free to serve the receiver."""
    url, received = loop_receiver
    async with httpx.AsyncClient() as client:
        registered = await client.post(
            f"{EYESON}/webhooks", data={"url": url, "types": "room_update"}, headers=EYESON_KEY
        )
        assert registered.status_code == 201
        created = await client.post(
            f"{EYESON}/rooms", data={"id": "standup", "user[name]": "Jane"}, headers=EYESON_KEY
        )
        assert created.status_code == 201
        shut = await client.delete(f"{EYESON}/rooms/standup", headers=EYESON_KEY)
        assert shut.status_code == 204
        assert [event["type"] for event in received] == ["room_update"]
    [attempt] = recmock.outbox.attempts("eyeson")
    assert (attempt["status"], attempt["error"]) == (204, None)
    assert attempt.json() == received[0]


@pytest.mark.asyncio
async def test_due_webhooks_go_out_before_a_clock_advance_returns(
    recmock: RecMock, receiver: Receiver
) -> None:
    recmock.clock.freeze()
    session = recmock.telnyx.simulate_session(api_key="KEY_async")
    async with (
        aiohttp.ClientSession() as client,
        client.post(
            "https://api.telnyx.com/v2/room_compositions",
            json={"session_id": session["session"]["id"], "webhook_event_url": receiver.url},
            headers=TELNYX_KEY,
        ) as created,
    ):
        assert created.status == 202
    recmock.advance("35s")
    assert [hook.json()["data"]["event_type"] for hook in receiver.received] == [
        "video.room.composition.completed"
    ]


@pytest.mark.asyncio
async def test_advance_async_reaches_a_receiver_on_the_tests_own_loop(
    recmock: RecMock, loop_receiver: tuple[str, list[dict]]
) -> None:
    url, received = loop_receiver
    recmock.clock.freeze()
    session = recmock.telnyx.simulate_session(api_key="KEY_async")
    async with httpx.AsyncClient() as client:
        created = await client.post(
            "https://api.telnyx.com/v2/room_compositions",
            json={"session_id": session["session"]["id"], "webhook_event_url": url},
            headers=TELNYX_KEY,
        )
        assert created.status_code == 202
    happened = await recmock.advance_async("35s")
    assert [event["data"]["event_type"] for event in received] == [
        "video.room.composition.completed"
    ]
    assert happened, "what fell due is answered, as advance() answers it"
    [attempt] = recmock.outbox.attempts("telnyx")
    assert attempt["status"] == 204
