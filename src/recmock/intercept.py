"""Routes `requests` traffic for the vendors' real hosts (api.claap.io, ...) into a
recmock app in the same process, without sockets: code under test keeps its production
base URLs, and the test steers the mock as a Python object.

It patches `requests.adapters.HTTPAdapter.send`, the one place every `requests`
session sends through; a request for any other host goes out as usual.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock as patching
from urllib.parse import urlsplit

import requests
from flask import Flask
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import EnvironBuilder, run_wsgi_app


def respond_in_process(app: Flask, prepared: requests.PreparedRequest) -> requests.Response:
    """Serve one prepared request with the app, as a real server would."""
    url = urlsplit(prepared.url or "")
    body = prepared.body
    if hasattr(body, "read"):
        body = body.read()  # type: ignore[union-attr]
    elif body is not None and not isinstance(body, bytes | str):
        body = b"".join(chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in body)
    builder = EnvironBuilder(
        method=prepared.method,
        base_url=f"{url.scheme}://{url.netloc}",
        path=url.path or "/",
        query_string=url.query,
        headers=list(prepared.headers.items()),
        data=body,
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    app_iter, status, headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    try:
        content = b"".join(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close:
            close()
    response = requests.Response()
    response.status_code = int(status.split(" ", 1)[0])
    response.reason = status.split(" ", 1)[1] if " " in status else ""
    response.headers = CaseInsensitiveDict(headers.items())
    response.encoding = get_encoding_from_headers(response.headers)
    response.raw = io.BytesIO(content)
    response._content = content
    response.url = prepared.url or ""
    response.request = prepared
    return response


@contextmanager
def route_requests(app: Flask, hosts: set[str]) -> Iterator[None]:
    """While active, `requests` to any of `hosts` are answered by `app` in-process."""
    original_send = HTTPAdapter.send

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any):
        host = (urlsplit(request.url or "").hostname or "").lower()
        if host in hosts:
            return respond_in_process(app, request)
        return original_send(adapter, request, *args, **kwargs)

    with patching.patch.object(HTTPAdapter, "send", send):
        yield
