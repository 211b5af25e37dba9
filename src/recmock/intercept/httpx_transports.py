"""httpx answered in process at its transport.

A transport is httpx's own extension point: `handle_request(request) -> Response`.
`httpx.HTTPTransport` and `httpx.AsyncHTTPTransport` are what every client uses unless
it was given another transport (and what its proxy mounts use); while a mock answers,
their handle methods answer a vendor host in process and pass every other host to the
original. A transport the user set explicitly (`MockTransport`, `WSGITransport`, one of
their own) is left alone.

Async: the app answers on the event loop's own thread (a thread hop would cost more
than the rest of the call), and what may need the loop runs on a worker thread
(`anyio.to_thread`, so asyncio and trio alike): due events, which may post a webhook to
a receiver served by that very loop. A fault's delay is awaited, not slept.

A fault's delay beyond the request's read timeout raises `httpx.ReadTimeout` once the
timeout has passed, as the network would.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from recmock.intercept.matching import Refusal
from recmock.intercept.server import Answer, InProcessServer, RequestBody

if TYPE_CHECKING:
    import httpx

    from recmock.intercept.interception import Interception, Undo


def install(interception: Interception) -> Undo | None:
    try:
        import anyio
        import anyio.to_thread
        import httpx
    except ImportError:
        return None
    streams = _stream_types()
    sync_original = httpx.HTTPTransport.handle_request
    async_original = httpx.AsyncHTTPTransport.handle_async_request

    def route(request: httpx.Request) -> InProcessServer | None:
        found = interception.route(request.url.host)
        if isinstance(found, Refusal):
            raise httpx.ConnectError(found.reason, request=request)
        return found

    def handle_request(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        server = route(request)
        if server is None:
            return sync_original(transport, request)
        stream = request.stream
        body: RequestBody = (
            request.read() if isinstance(stream, httpx.ByteStream) else stream  # type: ignore[assignment]
        )
        answer = _answer(server, request, body, due_events_by_caller=False)
        if answer.delay:
            wait, timed_out = _hold(answer, request)
            time.sleep(wait)
            if timed_out:
                raise _read_timeout(answer, request)
        return _response(answer, streams.sync(answer))

    async def handle_async_request(
        transport: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        server = route(request)
        if server is None:
            return await async_original(transport, request)
        body = await request.aread()
        if server.has_due_events():
            await anyio.to_thread.run_sync(server.carry_out_due_events)
        answer = _answer(server, request, body, due_events_by_caller=True)
        if server.has_due_events():  # what the request set off: its webhooks
            await anyio.to_thread.run_sync(server.carry_out_due_events)
        if answer.delay:
            wait, timed_out = _hold(answer, request)
            await anyio.sleep(wait)
            if timed_out:
                raise _read_timeout(answer, request)
        return _response(answer, streams.asynchronous(answer))

    setattr(httpx.HTTPTransport, "handle_request", handle_request)  # noqa: B010
    setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async_request)  # noqa: B010

    def undo() -> None:
        if httpx.HTTPTransport.handle_request is handle_request:
            setattr(httpx.HTTPTransport, "handle_request", sync_original)  # noqa: B010
        if httpx.AsyncHTTPTransport.handle_async_request is handle_async_request:
            setattr(httpx.AsyncHTTPTransport, "handle_async_request", async_original)  # noqa: B010

    return undo


class _StreamTypes:
    """httpx's body stream classes for an answer, made once (httpx is imported late)."""

    def __init__(self) -> None:
        import httpx

        class AnswerStream(httpx.SyncByteStream):
            def __init__(self, answer: Answer) -> None:
                self._answer = answer

            def __iter__(self) -> Iterator[bytes]:
                return self._answer.chunks()

            def close(self) -> None:
                self._answer.close()

        class AsyncAnswerStream(httpx.AsyncByteStream):
            def __init__(self, answer: Answer) -> None:
                self._answer = answer

            async def __aiter__(self) -> AsyncIterator[bytes]:
                for chunk in self._answer.chunks():
                    yield chunk

            async def aclose(self) -> None:
                self._answer.close()

        self.sync = AnswerStream
        self.asynchronous = AsyncAnswerStream


@cache
def _stream_types() -> _StreamTypes:
    return _StreamTypes()


def _answer(
    server: InProcessServer, request: httpx.Request, body: RequestBody, due_events_by_caller: bool
) -> Answer:
    url = request.url
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
    return server.answer(
        request.method,
        url.scheme,
        url.host,
        url.port,
        url.raw_path.decode("ascii"),
        headers,
        body,
        due_events_by_caller=due_events_by_caller,
    )


def _hold(answer: Answer, request: httpx.Request) -> tuple[float, bool]:
    """How long the client waits for a delayed answer, and whether its read timeout
    ends the wait first."""
    timeout = request.extensions.get("timeout", {}).get("read")
    if timeout is not None and answer.delay > timeout:
        return timeout, True
    return answer.delay, False


def _read_timeout(answer: Answer, request: httpx.Request) -> Exception:
    import httpx

    answer.close()
    timeout = request.extensions["timeout"]["read"]
    return httpx.ReadTimeout(
        f"recmock: no answer within the read timeout ({timeout}s)", request=request
    )


def _response(answer: Answer, stream: Any) -> httpx.Response:
    import httpx

    return httpx.Response(
        answer.status,
        headers=answer.headers,
        stream=stream,
        extensions={"http_version": b"HTTP/1.1", "reason_phrase": answer.reason.encode("latin-1")},
    )
