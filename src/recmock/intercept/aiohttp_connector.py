"""aiohttp answered in process at its connector.

A session asks its connector for a connection (`BaseConnector.connect`, the documented
connector interface) and then speaks HTTP/1.1 over the connection's transport. While a
mock answers, `connect` gives a vendor host a connection whose transport is in memory:
aiohttp writes the request to it as it would to a socket, the app answers it, and the
answer's bytes go to aiohttp's own response parser. So all of
aiohttp's behaviour is its own — redirects, cookies, decompression, streaming, timeouts,
its exceptions — and no private attribute of a response is set by hand. Every other
host goes to the connector as usual.

Each in-process connection carries one request and is closed when the connector takes
it back (nothing to keep alive).
"""

from __future__ import annotations

import asyncio
import errno
from typing import TYPE_CHECKING, Any

from recmock.intercept.matching import Refusal
from recmock.intercept.server import Answer, InProcessServer

if TYPE_CHECKING:
    from aiohttp import BaseConnector, ClientRequest, ClientTimeout
    from aiohttp.client_proto import ResponseHandler
    from aiohttp.connector import Connection

    from recmock.intercept.interception import Interception, Undo


def install(interception: Interception) -> Undo | None:
    try:
        import aiohttp
        from aiohttp.client_proto import ResponseHandler
        from aiohttp.connector import Connection
    except ImportError:
        return None

    original = aiohttp.BaseConnector.connect

    async def connect(
        connector: BaseConnector, req: ClientRequest, traces: Any, timeout: ClientTimeout
    ) -> Connection:
        found = interception.route(req.url.host)
        if found is None:
            return await original(connector, req, traces, timeout)
        if isinstance(found, Refusal):
            refused = OSError(errno.ECONNREFUSED, found.reason)
            raise aiohttp.ClientConnectorError(req.connection_key, refused)
        loop = asyncio.get_running_loop()
        protocol = ResponseHandler(loop)
        scheme = "https" if req.is_ssl() else "http"
        transport = InProcessTransport(protocol, found, scheme, req.url.host or "", req.port, loop)
        protocol.connection_made(transport)
        protocol.force_close()  # released: closed, not pooled
        return Connection(connector, req.connection_key, protocol, loop)

    setattr(aiohttp.BaseConnector, "connect", connect)  # noqa: B010

    def undo() -> None:
        if aiohttp.BaseConnector.connect is connect:
            setattr(aiohttp.BaseConnector, "connect", original)  # noqa: B010

    return undo


class InProcessTransport(asyncio.Transport):
    """A connection's transport with the in-process server at the other end. It
    gathers the request aiohttp writes (head, then a body framed by Content-Length or
    chunked), has the app answer it on a worker thread, and hands the answer's bytes
    to the protocol as a socket's would arrive."""

    def __init__(
        self,
        protocol: ResponseHandler,
        server: InProcessServer,
        scheme: str,
        host: str,
        port: int | None,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        super().__init__()
        self._protocol = protocol
        self._server = server
        self._scheme = scheme
        self._host = host
        self._port = port
        self._loop = loop
        self._request = _WireRequest()
        self._continued = False
        self._closing = False
        self._served: asyncio.Task[None] | None = None

    # -- asyncio.Transport -------------------------------------------------------

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._closing or self._served is not None:
            return
        request = self._request
        if request.feed(data):
            self._served = self._loop.create_task(self._serve(request))
        elif request.expects_continue and not self._continued:
            # `expect100=True`: aiohttp sends the body once the server says so.
            self._continued = True
            self._protocol.data_received(b"HTTP/1.1 100 Continue\r\n\r\n")

    def writelines(self, chunks: Any) -> None:
        self.write(b"".join(chunks))

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        if self._served is not None and not self._served.done():
            self._served.cancel()
        self._loop.call_soon(self._protocol.connection_lost, None)

    def abort(self) -> None:
        self.close()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name == "peername":
            return ("127.0.0.1", self._port or (443 if self._scheme == "https" else 80))
        if name == "sockname":
            return ("127.0.0.1", 0)
        return default

    def can_write_eof(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def is_reading(self) -> bool:
        return not self._closing

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    # -- the other end -----------------------------------------------------------

    async def _serve(self, request: _WireRequest) -> None:
        """The app answers on the loop's thread; due events (which may post a webhook
        to a receiver on this very loop) on a worker thread. A fault's delay holds the
        answer back, and aiohttp's own read timeout applies to it. Should answering
        fail here, the connection is lost with the error, as a socket's would be,
        rather than left waiting for the client's timeout."""
        try:
            await self._answer(request)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not self._closing:
                self._closing = True
                self._protocol.connection_lost(exc)

    async def _answer(self, request: _WireRequest) -> None:
        server = self._server
        if server.has_due_events():
            await asyncio.to_thread(server.carry_out_due_events)
        answer = server.answer(
            request.method,
            self._scheme,
            self._host,
            self._port,
            request.target,
            request.headers,
            request.body,
            due_events_by_caller=True,
        )
        wire = _wire_answer(request.method, answer)
        if server.has_due_events():
            await asyncio.to_thread(server.carry_out_due_events)
        if answer.delay:
            await asyncio.sleep(answer.delay)
        if not self._closing:
            self._protocol.data_received(wire)


def _wire_answer(method: str, answer: Answer) -> bytes:
    """The answer as the bytes a server would send."""
    body = answer.read()
    head = [f"HTTP/1.1 {answer.status} {answer.reason}"]
    has_length = False
    for name, value in answer.headers:
        has_length = has_length or name.lower() == "content-length"
        head.append(f"{name}: {value}")
    if not has_length and method != "HEAD":
        head.append(f"Content-Length: {len(body)}")
    # A header is latin-1 on the wire; what is not (a script's header of ✓) is replaced.
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1", "replace") + body


class _WireRequest:
    """One HTTP/1.1 request as aiohttp writes it, gathered as its bytes arrive: the
    head is read once, then the body waits for its Content-Length or its last chunk."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._body_start = -1
        self._length = 0
        self._chunked = False
        self.method = ""
        self.target = ""
        self.headers: list[tuple[str, str]] = []
        self.body = b""
        self.expects_continue = False

    def feed(self, data: bytes | bytearray | memoryview) -> bool:
        """Take more of the request; True once it is all there."""
        self._data += data
        if self._body_start < 0 and not self._read_head():
            return False
        received = self._data[self._body_start :]
        if self._chunked:
            if not received.endswith(b"0\r\n\r\n"):
                return False
            body = _dechunk(bytes(received))
            if body is None:
                return False
            self.body = body
            return True
        if len(received) < self._length:
            return False
        self.body = bytes(received[: self._length])
        return True

    def _read_head(self) -> bool:
        end = self._data.find(b"\r\n\r\n")
        if end < 0:
            return False
        self._body_start = end + 4
        lines = bytes(self._data[:end]).decode("latin-1").split("\r\n")
        self.method, target, _ = lines[0].split(" ", 2)
        if "://" in target[:8]:  # the absolute form, through a proxy
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        self.target = target
        for line in lines[1:]:
            name, _, value = line.partition(":")
            value = value.strip()
            self.headers.append((name, value))
            lowered = name.lower()
            if lowered == "content-length":
                self._length = int(value)
            elif lowered == "transfer-encoding" and "chunked" in value.lower():
                self._chunked = True
            elif lowered == "expect" and value.lower() == "100-continue":
                self.expects_continue = True
        return True


def _dechunk(data: bytes) -> bytes | None:
    """A chunked body's bytes, or None until its last chunk has arrived."""
    body = bytearray()
    at = 0
    while True:
        line_end = data.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(data[at:line_end].split(b";", 1)[0], 16)
        start = line_end + 2
        if size == 0:
            return bytes(body) if data.find(b"\r\n", start) >= 0 else None
        if len(data) < start + size + 2:
            return None
        body += data[start : start + size]
        at = start + size + 2
