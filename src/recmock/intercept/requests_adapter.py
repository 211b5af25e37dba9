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
delay beyond the read timeout, `requests.ReadTimeout`, as the network would. An adapter
that may retry (`max_retries` with statuses to retry, or one that respects
`Retry-After`, as recmock's 429s send) goes the usual way, through urllib3, where its
retries are urllib3's and the vendor host is answered at the connection. An adapter
subclass's `add_headers` applies, as in `HTTPAdapter.send`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry, Timeout
from urllib3.util.request import body_to_chunks

from recmock.intercept.matching import Refusal
from recmock.intercept.urllib3_connections import urllib3_response

if TYPE_CHECKING:
    from recmock.intercept.interception import Interception, Undo


def install(interception: Interception) -> Undo:
    original = HTTPAdapter.send

    def send(
        adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        found = interception.route(url.hostname)
        if found is None or _may_retry(adapter.max_retries):
            return original(adapter, request, *args, **kwargs)
        if isinstance(found, Refusal):
            raise requests.ConnectionError(found.reason, request=request)
        options = dict(zip(_SEND_OPTIONS, args, strict=False), **kwargs)
        adapter.add_headers(request, **options)
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
            read_timeout = _read_timeout(options.get("timeout"))
            if read_timeout is not None and answer.delay > read_timeout:
                time.sleep(read_timeout)
                answer.close()
                raise requests.ReadTimeout(
                    f"recmock: no answer within the read timeout ({read_timeout}s)",
                    request=request,
                )
            time.sleep(answer.delay)
        raw = urllib3_response(answer, request.method or "GET", request.url)
        return adapter.build_response(request, raw)

    setattr(HTTPAdapter, "send", send)  # noqa: B010

    def undo() -> None:
        if HTTPAdapter.send is send:
            setattr(HTTPAdapter, "send", original)  # noqa: B010

    return undo


# HTTPAdapter.send's parameters after the request, in order.
_SEND_OPTIONS = ("stream", "timeout", "verify", "cert", "proxies")


def _may_retry(retries: Retry) -> bool:
    """Whether urllib3 could retry an answer of this adapter's, as `Retry.is_retry`
    decides (a status to retry, or a Retry-After to honour): then the request takes
    urllib3's way, with its retries. requests' default (`Retry(0, read=False)`)
    retries nothing."""
    return bool(retries.status_forcelist) or bool(
        retries.total and retries.respect_retry_after_header
    )


def _body(body: Any) -> Any:
    """A prepared request's body as the in-process server takes it: bytes, or chunks
    as urllib3 would send them (a generator, or a file, even one opened as text)."""
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    chunks = body_to_chunks(body, method="POST", blocksize=16384).chunks
    return (c.encode("utf-8") if isinstance(c, str) else c for c in chunks or ())


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
