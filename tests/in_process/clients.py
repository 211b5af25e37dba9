"""The HTTP clients recmock answers in process, each behind one small interface, so that
every test of a vendor's calls runs through every client, sync and async alike."""

from __future__ import annotations

import asyncio
import json as jsonlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
import requests
import urllib3

Files = dict[str, tuple[str, bytes, str]]  # field -> (file name, bytes, content type)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return jsonlib.loads(self.body)


@dataclass
class Sent:
    """A request, as a test writes it: at most one of the body's forms."""

    method: str
    url: str
    headers: dict[str, str] | list[tuple[str, str]] | None = None
    json: Any = None
    form: dict[str, str] | None = None  # application/x-www-form-urlencoded
    content: bytes | None = None
    chunks: list[bytes] | None = None  # a streamed body, of no length known up front
    files: Files | None = None  # multipart/form-data
    follow_redirects: bool = False


class Client:
    """One HTTP client library as code under test uses it."""

    name: str
    # What the library raises when a connection cannot be made.
    connection_error: type[BaseException]

    def send(self, method: str, url: str, **options: Any) -> Reply:
        return self._send(Sent(method, url, **options))

    def _send(self, sent: Sent) -> Reply:
        raise NotImplementedError

    def download(self, url: str) -> bytes:
        """The body, read through the library's streaming interface."""
        raise NotImplementedError

    def close(self) -> None:
        pass


class RequestsClient(Client):
    name = "requests"
    connection_error = requests.ConnectionError

    def __init__(self) -> None:
        self.session = requests.Session()

    def _send(self, sent: Sent) -> Reply:
        data: Any = sent.form if sent.form is not None else sent.content
        if sent.chunks is not None:
            data = iter(sent.chunks)
        answer = self.session.request(
            sent.method,
            sent.url,
            headers=dict(_pairs(sent.headers)),
            json=sent.json,
            data=data,
            files=sent.files,
            allow_redirects=sent.follow_redirects,
            timeout=10,
        )
        return Reply(answer.status_code, _lower(answer.headers.items()), answer.content)

    def download(self, url: str) -> bytes:
        with self.session.get(url, stream=True, timeout=10) as answer:
            assert answer.status_code == 200, answer.text
            return b"".join(answer.iter_content(chunk_size=1000))

    def close(self) -> None:
        self.session.close()


class Urllib3Client(Client):
    name = "urllib3"
    connection_error = urllib3.exceptions.MaxRetryError

    def __init__(self) -> None:
        self.pool = urllib3.PoolManager()

    def _send(self, sent: Sent) -> Reply:
        headers = urllib3.HTTPHeaderDict()
        for name, value in _pairs(sent.headers):
            headers.add(name, value)
        body: dict[str, Any] = {}
        if sent.json is not None:
            body["json"] = sent.json
        elif sent.form is not None:
            body.update(fields=sent.form, encode_multipart=False)
        elif sent.files is not None:
            body["fields"] = sent.files
        elif sent.chunks is not None:
            body.update(body=iter(sent.chunks), chunked=True)
        elif sent.content is not None:
            body["body"] = sent.content
        answer = self.pool.request(
            sent.method,
            sent.url,
            headers=headers,
            redirect=sent.follow_redirects,
            timeout=10,
            **body,
        )
        return Reply(answer.status, _lower(answer.headers.items()), answer.data)

    def download(self, url: str) -> bytes:
        answer = self.pool.request("GET", url, preload_content=False, timeout=10)
        try:
            assert answer.status == 200
            return b"".join(answer.stream(1000))
        finally:
            answer.release_conn()

    def close(self) -> None:
        self.pool.clear()


class HttpxClient(Client):
    name = "httpx"
    connection_error = httpx.ConnectError

    def __init__(self) -> None:
        self.client = httpx.Client(timeout=10)

    def _send(self, sent: Sent) -> Reply:
        answer = self.client.request(
            sent.method,
            sent.url,
            headers=sent.headers,
            json=sent.json,
            data=sent.form,
            content=iter(sent.chunks) if sent.chunks is not None else sent.content,
            files=sent.files,
            follow_redirects=sent.follow_redirects,
        )
        return Reply(answer.status_code, _lower(answer.headers.multi_items()), answer.content)

    def download(self, url: str) -> bytes:
        with self.client.stream("GET", url) as answer:
            assert answer.status_code == 200
            return b"".join(answer.iter_bytes(1000))

    def close(self) -> None:
        self.client.close()


class AsyncClient(Client):
    """An async library, driven from a sync test on an event loop of its own."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.loop.close()


async def _stream(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


class AsyncHttpxClient(AsyncClient):
    name = "httpx-async"
    connection_error = httpx.ConnectError

    def __init__(self) -> None:
        super().__init__()
        self.client = httpx.AsyncClient(timeout=10)

    def _send(self, sent: Sent) -> Reply:
        async def send() -> Reply:
            answer = await self.client.request(
                sent.method,
                sent.url,
                headers=sent.headers,
                json=sent.json,
                data=sent.form,
                content=_stream(sent.chunks) if sent.chunks is not None else sent.content,
                files=sent.files,
                follow_redirects=sent.follow_redirects,
            )
            return Reply(answer.status_code, _lower(answer.headers.multi_items()), answer.content)

        return self.run(send())

    def download(self, url: str) -> bytes:
        async def download() -> bytes:
            async with self.client.stream("GET", url) as answer:
                assert answer.status_code == 200
                return b"".join([chunk async for chunk in answer.aiter_bytes(1000)])

        return self.run(download())

    def close(self) -> None:
        self.run(self.client.aclose())
        super().close()


class AiohttpClient(AsyncClient):
    name = "aiohttp"
    connection_error = aiohttp.ClientConnectorError

    def __init__(self) -> None:
        super().__init__()
        self.session = self.run(_session())

    def _send(self, sent: Sent) -> Reply:
        data: Any = sent.form if sent.form is not None else sent.content
        if sent.chunks is not None:
            data = _stream(sent.chunks)
        if sent.files is not None:
            data = aiohttp.FormData()
            for field, (filename, blob, content_type) in sent.files.items():
                data.add_field(field, blob, filename=filename, content_type=content_type)

        async def send() -> Reply:
            async with self.session.request(
                sent.method,
                sent.url,
                headers=_multidict(sent.headers),
                json=sent.json,
                data=data,
                allow_redirects=sent.follow_redirects,
            ) as answer:
                return Reply(answer.status, _lower(answer.headers.items()), await answer.read())

        return self.run(send())

    def download(self, url: str) -> bytes:
        async def download() -> bytes:
            async with self.session.get(url) as answer:
                assert answer.status == 200
                return b"".join([chunk async for chunk in answer.content.iter_chunked(1000)])

        return self.run(download())

    def close(self) -> None:
        self.run(self.session.close())
        super().close()


async def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))


CLIENTS: list[type[Client]] = [
    RequestsClient,
    Urllib3Client,
    HttpxClient,
    AsyncHttpxClient,
    AiohttpClient,
]


def _pairs(headers: dict[str, str] | list[tuple[str, str]] | None) -> Iterator[tuple[str, str]]:
    if headers is None:
        return iter(())
    return iter(headers.items() if isinstance(headers, dict) else headers)


def _multidict(headers: dict[str, str] | list[tuple[str, str]] | None) -> Any:
    from multidict import CIMultiDict

    return CIMultiDict(list(_pairs(headers)))


def _lower(items: Any) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged
