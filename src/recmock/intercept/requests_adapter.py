"""`requests` answered in process at its transport adapter.

urllib3's interception serves `requests` too, but below `HTTPAdapter.send`, requests'
adapter interface, each call first goes through urllib3's pool machinery: connection
keys, certificate checks, pools, retries objects, response framing. In process that
machinery is most of the call's time beyond requests' own, so a vendor host is answered
here, one level up: the answer becomes a urllib3 `HTTPResponse` and requests' own
`build_response` makes the `requests.Response` (its cookies, encoding, history and
streaming are requests'). Any other host goes to the adapter as usual, and from there
through urllib3, where a vendor host that reached urllib3 some other way is still
answered.

A vendor host the mock does not serve raises `requests.ConnectionError`; a fault's
delay beyond the read timeout, `requests.ReadTimeout`, as the network would.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPHeaderDict
from urllib3.response import HTTPResponse
from urllib3.util import Timeout

from recmock.intercept.matching import Refusal

if TYPE_CHECKING:
    from recmock.intercept.interception import Interception, Undo


def install(interception: Interception) -> Undo:
    original = HTTPAdapter.send

    def send(
        adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        found = interception.route(url.hostname)
        if found is None:
            return original(adapter, request, *args, **kwargs)
        if isinstance(found, Refusal):
            raise requests.ConnectionError(found.reason, request=request)
        target = url.path or "/"
        if url.query:
            target += "?" + url.query
        headers = [(name, _text(value)) for name, value in request.headers.items()]
        if "Host" not in request.headers:
            headers.append(("Host", url.netloc.rpartition("@")[2]))
        answer = found.answer(
            request.method or "GET",
            url.scheme,
            url.hostname or "",
            url.port,
            target,
            headers,
            _body(request.body),
        )
        if answer.delay:
            read_timeout = _read_timeout(kwargs.get("timeout", args[1] if len(args) > 1 else None))
            if read_timeout is not None and answer.delay > read_timeout:
                time.sleep(read_timeout)
                answer.close()
                raise requests.ReadTimeout(
                    f"recmock: no answer within the read timeout ({read_timeout}s)",
                    request=request,
                )
            time.sleep(answer.delay)
        raw = HTTPResponse(
            body=answer.stream(),
            headers=HTTPHeaderDict(answer.headers),
            status=answer.status,
            version=11,
            version_string="HTTP/1.1",
            reason=answer.reason,
            preload_content=False,
            decode_content=False,
            request_method=request.method,
            request_url=request.url,
        )
        return adapter.build_response(request, raw)

    setattr(HTTPAdapter, "send", send)  # noqa: B010

    def undo() -> None:
        if HTTPAdapter.send is send:
            setattr(HTTPAdapter, "send", original)  # noqa: B010

    return undo


def _body(body: Any) -> Any:
    """A prepared request's body as the in-process server takes it: bytes, a file, or
    an iterable of chunks (a generator: requests sends it chunked)."""
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return body


def _text(value: str | bytes) -> str:
    """A header's value as requests holds it (bytes where the caller gave bytes)."""
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _read_timeout(timeout: Any) -> float | None:
    """requests' timeout: seconds, (connect, read), or a urllib3 Timeout."""
    if isinstance(timeout, tuple):
        timeout = timeout[1]
    if isinstance(timeout, Timeout):
        timeout = timeout.read_timeout
    return timeout if isinstance(timeout, int | float) else None
