"""urllib3 answered in process at the connection.

urllib3's pools make their connections from the class in `ConnectionCls`, a class
attribute meant for this. While a mock answers, the pools' classes are subclasses whose
`connect`, `request` and `getresponse` go to the in-process server for a vendor host
and to the socket for every other. Everything above the connection is urllib3's own:
pools, retries, redirects, proxies and `preload_content=False` streaming. It would
serve `requests` too (its adapters send through urllib3's pools); `requests_adapter`
answers requests one level up, where it costs less, and a vendor host that reaches
urllib3 some other way (a custom adapter, botocore) is still answered here.

A connection a pool made while a mock answered stays in that pool after it stops; it
then behaves exactly as urllib3's own class does.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import urllib3
from urllib3 import HTTPConnectionPool, HTTPHeaderDict, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import NewConnectionError
from urllib3.response import HTTPResponse
from urllib3.util import SKIP_HEADER
from urllib3.util.request import body_to_chunks

from recmock.intercept.matching import Refusal
from recmock.intercept.server import Answer, InProcessServer, RequestBody, cookie_carrier

if TYPE_CHECKING:
    from recmock.intercept.interception import Interception, Undo

_interception: Interception | None = None
_USER_AGENT = f"python-urllib3/{urllib3.__version__}"  # what urllib3 itself sends


class InProcessHTTPConnection(HTTPConnection):
    """urllib3's HTTPConnection, answered in process for a vendor host."""

    _recmock_pending: tuple[InProcessServer, dict[str, Any]] | None = None
    _recmock_scheme = "http"

    def _recmock_route(self, url: str | None = None) -> InProcessServer | Refusal | None:
        if _interception is None:
            return None
        host: str | None = self._tunnel_host or self.host
        if url is not None and "://" in url[:8]:  # a forwarding proxy's absolute form
            host = urlsplit(url).hostname
        return _interception.route(host)

    def _recmock_refuse(self, refusal: Refusal) -> NoReturn:
        raise NewConnectionError(self, refusal.reason)

    @property
    def is_closed(self) -> bool:
        """Open while a request waits for its answer, so that urllib3 gives the
        connection its read timeout (it does so only for an open connection)."""
        return self._recmock_pending is None and super().is_closed

    def connect(self) -> None:
        route = self._recmock_route()
        if route is None:
            super().connect()
        elif isinstance(route, Refusal):
            self._recmock_refuse(route)
        else:
            self.is_verified = True  # no certificate to check: the mock is in process

    # urllib3's own signatures, which differ from http.client's (urllib3 says so too).
    def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        body: Any = None,
        headers: Any = None,
        *,
        chunked: bool = False,
        preload_content: bool = True,
        decode_content: bool = True,
        enforce_content_length: bool = True,
    ) -> None:
        route = self._recmock_route(url)
        if route is None:
            super().request(
                method,
                url,
                body,
                headers,
                chunked=chunked,
                preload_content=preload_content,
                decode_content=decode_content,
                enforce_content_length=enforce_content_length,
            )
            return
        if isinstance(route, Refusal):
            self._recmock_refuse(route)
        self._recmock_pending = (
            route,
            {
                "method": method,
                "url": url,
                "body": body,
                "headers": headers or {},
                "chunked": chunked,
                "preload_content": preload_content,
                "decode_content": decode_content,
                "enforce_content_length": enforce_content_length,
            },
        )

    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        pending, self._recmock_pending = self._recmock_pending, None
        if pending is None:
            return super().getresponse()
        server, sent = pending
        answer = self._recmock_answer(server, sent)
        if answer.delay:
            self._recmock_hold(answer)
        return urllib3_response(
            answer,
            sent["method"],
            sent["url"],
            preload_content=sent["preload_content"],
            decode_content=sent["decode_content"],
            enforce_content_length=sent["enforce_content_length"],
        )

    def _recmock_hold(self, answer: Answer) -> None:
        """A fault's delay, as a slow server's: past the read timeout urllib3 sees the
        socket's timeout (and raises ReadTimeoutError; requests, ReadTimeout)."""
        timeout = self.timeout
        if isinstance(timeout, int | float) and answer.delay > timeout:
            time.sleep(timeout)
            answer.close()
            raise TimeoutError("timed out")
        time.sleep(answer.delay)

    def _recmock_answer(self, server: InProcessServer, sent: dict[str, Any]) -> Answer:
        """The request as urllib3 would have put it on the wire: its framing headers,
        Host, Accept-Encoding and User-Agent, then the caller's."""
        method, url, headers = sent["method"], sent["url"], sent["headers"]
        names = {name.lower() for name in headers}
        wire: list[tuple[str, str]] = []
        port: int | None = self.port
        host = self._tunnel_host or self.host
        if self._tunnel_host:
            port = self._tunnel_port
        if "://" in url[:8]:
            split = urlsplit(url)
            host, port = split.hostname or host, split.port
            url = split.path + (f"?{split.query}" if split.query else "")
        scheme = self._recmock_scheme
        default_port = 443 if scheme == "https" else 80
        if "host" not in names:
            wire.append(("Host", host if port in (None, default_port) else f"{host}:{port}"))
        if "accept-encoding" not in names:
            wire.append(("Accept-Encoding", "identity"))
        framed = body_to_chunks(sent["body"], method=method, blocksize=16384)
        chunks, length = framed.chunks, framed.content_length
        if sent["chunked"] or "transfer-encoding" in names:
            if "transfer-encoding" not in names:
                wire.append(("Transfer-Encoding", "chunked"))
        elif "content-length" not in names:
            if length is None and chunks is not None:
                wire.append(("Transfer-Encoding", "chunked"))
            elif length is not None:
                wire.append(("Content-Length", str(length)))
        if "user-agent" not in names:
            wire.append(("User-Agent", _USER_AGENT))
        # urllib3's SKIP_HEADER value means "do not send this header" (User-Agent, say).
        wire.extend((name, value) for name, value in headers.items() if value != SKIP_HEADER)
        body: RequestBody = chunks
        if isinstance(chunks, tuple | list) and len(chunks) == 1:
            only = chunks[0]
            body = only.encode() if isinstance(only, str) else only
        return server.answer(method, scheme, host, port, url or "/", wire, body)


class InProcessHTTPSConnection(InProcessHTTPConnection, HTTPSConnection):
    """urllib3's HTTPSConnection, answered in process for a vendor host (no TLS:
    nothing leaves the process)."""

    _recmock_scheme = "https"


def install(interception: Interception) -> Undo:
    global _interception
    _interception = interception
    before = (HTTPConnectionPool.ConnectionCls, HTTPSConnectionPool.ConnectionCls)
    HTTPConnectionPool.ConnectionCls = InProcessHTTPConnection
    HTTPSConnectionPool.ConnectionCls = InProcessHTTPSConnection

    def undo() -> None:
        global _interception
        if HTTPConnectionPool.ConnectionCls is InProcessHTTPConnection:
            HTTPConnectionPool.ConnectionCls = before[0]
        if HTTPSConnectionPool.ConnectionCls is InProcessHTTPSConnection:
            HTTPSConnectionPool.ConnectionCls = before[1]
        _interception = None

    return undo


def urllib3_response(
    answer: Answer,
    method: str,
    url: str | None,
    *,
    preload_content: bool = False,
    decode_content: bool = False,
    enforce_content_length: bool = True,
) -> HTTPResponse:
    """An in-process answer as urllib3's response to a request over HTTP/1.1, its body
    streamed from the app (requests reads one too, at its adapter)."""
    return HTTPResponse(
        body=answer.stream(),
        headers=HTTPHeaderDict(answer.headers),
        status=answer.status,
        version=11,
        version_string="HTTP/1.1",
        reason=answer.reason,
        preload_content=preload_content,
        decode_content=decode_content,
        enforce_content_length=enforce_content_length,
        request_method=method,
        request_url=url,
        original_response=cookie_carrier(answer, method),
    )
