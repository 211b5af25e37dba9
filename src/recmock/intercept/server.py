"""The app as a server inside the test's process: one request in, one answer out,
through the same WSGI call a real server makes, with no socket in between.

Each client interception (`urllib3_connections`, `httpx_transports`,
`aiohttp_connector`) turns its library's request into `InProcessServer.answer`'s
arguments and the `Answer` into its library's response. The environ is built here by
hand, as a server builds it: werkzeug's `EnvironBuilder` would do the same in about
eight times the time, and this runs on every intercepted call.
"""

from __future__ import annotations

import http.client
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from http.client import HTTPMessage
from typing import TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import unquote_to_bytes

if TYPE_CHECKING:
    from recmock.scheduler import Scheduler

RequestBody = bytes | BinaryIO | Iterable[bytes] | None

# What an in-process caller tells the app, and the app tells it back, in environ keys
# that no HTTP request can set (a header's key starts with HTTP_).
#
# A fault's delay is not slept in the app but handed back (seconds): the interception
# waits it out as its client would, honouring the client's read timeout, and without
# blocking an event loop.
FAULT_DELAY = "recmock.fault_delay"
IN_PROCESS = "recmock.in_process"
# The caller carries out due events (lifecycle steps, webhook deliveries) itself,
# before and after the request: an async client's, on a worker thread, because a
# webhook's receiver may be served by the very event loop that made the request.
DUE_EVENTS_BY_CALLER = "recmock.due_events_by_caller"

# Header names as CGI/WSGI spells them (`X-Claap-Key` -> `HTTP_X_CLAAP_KEY`); a client
# sends few distinct names, so each is worked out once.
_ENVIRON_KEYS: dict[str, str] = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _environ_key(name: str) -> str:
    key = _ENVIRON_KEYS.get(name)
    if key is None:
        lowered = name.lower()
        key = _ENVIRON_KEYS.get(lowered) or "HTTP_" + lowered.upper().replace("-", "_")
        if len(_ENVIRON_KEYS) < 1024:
            _ENVIRON_KEYS[name] = key
    return key


class ChunkReader(io.RawIOBase):
    """A readable stream over an iterator of byte chunks: a streamed request body as
    the app's `wsgi.input`, or an answer's body as a client library's raw stream. It
    pulls a chunk only when the reader wants more, so neither side is read ahead."""

    def __init__(self, chunks: Iterable[bytes | str], close: Callable[[], Any] | None = None):
        self._chunks = iter(chunks)
        self._pending = memoryview(b"")
        self._on_close = close

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk.encode() if isinstance(chunk, str) else chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        if not self.closed and self._on_close is not None:
            self._on_close()
        super().close()


class Answer:
    """What the app answered: status, reason, headers as sent (repeated names kept, in
    order) and the body, which is read from the app as the client reads it."""

    __slots__ = ("_body", "_close", "delay", "headers", "reason", "status")

    def __init__(
        self,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: Iterable[bytes],
        close: Callable[[], Any] | None,
        delay: float = 0.0,
    ) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self._body = body
        self._close = close
        # Seconds a fault script holds the answer back (`FAULT_DELAY`).
        self.delay = delay

    def chunks(self) -> Iterator[bytes]:
        """The body's chunks; the app's iterator is closed once they are all read."""
        try:
            for chunk in self._body:
                if chunk:
                    yield chunk
        finally:
            self.close()

    def read(self) -> bytes:
        body = self._body
        if isinstance(body, list) and len(body) == 1:  # a JSON answer: one piece
            self.close()
            return body[0]
        return b"".join(self.chunks())

    def stream(self) -> io.BufferedIOBase:
        """The body as a file a client library reads from (urllib3's `HTTPResponse`)."""
        body = self._body
        if isinstance(body, list) and len(body) <= 1:
            self.close()
            return io.BytesIO(body[0] if body else b"")
        return io.BufferedReader(ChunkReader(self.chunks(), self.close))

    def close(self) -> None:
        close, self._close = self._close, None
        if close is not None:
            close()


class InProcessServer:
    """Answers requests with a WSGI app, as a server on 127.0.0.1 would."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], scheduler: Scheduler) -> None:
        self._wsgi_app = wsgi_app
        self._scheduler = scheduler

    def has_due_events(self) -> bool:
        return self._scheduler.has_due()

    def carry_out_due_events(self) -> None:
        """What the app does before and after each request; an async caller does it
        on a worker thread (`DUE_EVENTS_BY_CALLER`)."""
        self._scheduler.run_due(wait=False)

    def answer(
        self,
        method: str,
        scheme: str,
        host: str,
        port: int | None,
        target: str,
        headers: Iterable[tuple[str, str]],
        body: RequestBody = None,
        *,
        due_events_by_caller: bool = False,
    ) -> Answer:
        """Serve one request. `target` is the request line's path and query, escaped as
        the client sent them; `headers` are (name, value) pairs, repeats included. For
        `due_events_by_caller`, see the environ keys above."""
        path, _, query = target.partition("?")
        if "%" in path:
            path = unquote_to_bytes(path).decode("latin-1")
        elif not path.isascii():
            path = path.encode().decode("latin-1")
        port = port or _DEFAULT_PORTS.get(scheme, 80)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method.upper(),
            "SCRIPT_NAME": "",
            "PATH_INFO": path or "/",
            "QUERY_STRING": query,
            "SERVER_NAME": host,
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scheme,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            # The stream below ends where the body does, so werkzeug may read a body
            # of unknown length (chunked) to its end, as behind granian.
            "wsgi.input_terminated": True,
            IN_PROCESS: True,
        }
        if due_events_by_caller:
            environ[DUE_EVENTS_BY_CALLER] = True
        for name, value in headers:
            if "_" in name:  # as waitress, nginx and werkzeug's server drop them
                continue
            key = _environ_key(name)
            if key in environ:
                separator = "; " if key == "HTTP_COOKIE" else ","
                environ[key] = f"{environ[key]}{separator}{value}"
            else:
                environ[key] = value
        if "HTTP_HOST" not in environ:
            default = _DEFAULT_PORTS.get(scheme)
            environ["HTTP_HOST"] = host if port == default else f"{host}:{port}"
        environ["wsgi.input"] = _input_stream(body, environ)

        started: list[Any] = []

        def start_response(status: str, headers: list, exc_info: Any = None) -> Any:
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = (status, headers)
            return written.append

        written: list[bytes] = []
        app_iter = self._wsgi_app(environ, start_response)
        close = getattr(app_iter, "close", None)
        body_chunks: Iterable[bytes] = app_iter
        if not started:  # a generator that calls start_response as it begins
            iterator = iter(app_iter)
            first = next(iterator, b"")
            body_chunks = _prepend(first, iterator)
        if written:
            body_chunks = _prepend(b"".join(written), iter(body_chunks))
        status_line, response_headers = started
        code, _, reason = status_line.partition(" ")
        delay = environ.get(FAULT_DELAY, 0.0)
        return Answer(int(code), reason, response_headers, body_chunks, close, delay)


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _input_stream(body: RequestBody, environ: dict[str, Any]) -> BinaryIO:
    """The request body as `wsgi.input`, with its Content-Length when it is whole."""
    if body is None or isinstance(body, bytes | bytearray | memoryview):
        data = bytes(body or b"")
        if data and "CONTENT_LENGTH" not in environ:
            environ["CONTENT_LENGTH"] = str(len(data))
        return io.BytesIO(data)
    if hasattr(body, "read"):
        return body  # type: ignore[return-value]
    return io.BufferedReader(ChunkReader(body))


class _CookieCarrier:
    """What requests reads an answer's cookies from (`_original_response.msg`, where a
    socket's answer has http.client's response): the Set-Cookie headers, and the few
    things urllib3 asks of such an object."""

    def __init__(self, headers: list[tuple[str, str]], method: str) -> None:
        self.msg = HTTPMessage()
        for name, value in headers:
            self.msg[name] = value
        self._method = method

    def close(self) -> None:
        pass

    def isclosed(self) -> bool:
        return True


def cookie_carrier(answer: Answer, method: str) -> http.client.HTTPResponse | None:
    """An answer's cookies for a client library that keeps them (requests), if it set
    any: most answers have none, and pay nothing for it. Typed as the http.client
    response urllib3 expects in its place, whose part requests reads it provides."""
    if not any(name.lower() == "set-cookie" for name, _ in answer.headers):
        return None
    return cast("http.client.HTTPResponse", _CookieCarrier(answer.headers, method))
