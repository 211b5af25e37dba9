"""recmock inside the test's process: the vendors' real hosts answered by a mock for
`requests`, urllib3, httpx (sync and async) and aiohttp, with no socket and no DNS.

The pytest fixture `recmock` does this per test. Outside pytest, `mock_vendors()` does
the same as a context manager or a decorator, like moto's `mock_aws`, for unittest
suites, scripts and notebooks:

    with recmock.mock_vendors() as mock:
        requests.post("https://api.claap.io/v1/recordings", ...)
        mock.advance("10s")

Both give the same object, a `RecMock`, and both make a request that reached no
interception impossible to miss (`UninterceptedRequestError`, see `dns_guard`).
"""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

from recmock.config import Config
from recmock.intercept.interception import INTERCEPTION
from recmock.intercept.matching import HostTable
from recmock.mock import RecMock

Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class UninterceptedRequestError(AssertionError):
    """A vendor host was looked up in DNS while a mock answered in process: a client
    that recmock does not intercept was about to reach the real vendor."""

    def __init__(self, hosts: list[str]) -> None:
        listed = ", ".join(sorted(set(hosts)))
        super().__init__(
            f"recmock: {listed} looked up in DNS by a client recmock does not intercept;"
            " that request would have gone to the real vendor. recmock answers requests,"
            " urllib3, httpx and aiohttp in process; give any other client a base URL"
            " from the recmock_server fixture (url_for)"
        )
        self.hosts = hosts


def host_table(mock: RecMock) -> HostTable:
    """The hosts `mock` answers, made once and kept while its settings name the same
    hosts (the pytest fixture asks before every test)."""
    if mock.server is None:
        raise RuntimeError("this mock has no app (build it with recmock.create_app)")
    kept = mock.in_process_hosts
    if kept is not None and kept[0] == mock.config.hosts:
        return kept[1]
    table = HostTable(mock.server, mock.served_hosts(), mock.vendor_domains())
    mock.in_process_hosts = (dict(mock.config.hosts), table)
    return table


@contextmanager
def answering_in_process(mock: RecMock) -> Iterator[HostTable]:
    """While active, `mock` answers its vendors' hosts for every intercepted client.
    On the way out, raises `UninterceptedRequestError` if a client went around it.

    The host table outlives one `with` (it is cached on the mock), so what an earlier
    block that ended in an exception noted is discarded on the way in: each block
    answers for its own requests only."""
    table = host_table(mock)
    table.take_unintercepted()
    with INTERCEPTION.answering(table):
        yield table
    unintercepted = table.take_unintercepted()
    if unintercepted:
        raise UninterceptedRequestError(unintercepted)


class mock_vendors:
    """A fresh mock answering the vendors' hosts in process, as a context manager, a
    function decorator or a class decorator.

    - `with mock_vendors(rate_limits=False) as mock:` (keyword arguments are `Config`
      fields; or pass a `Config`).
    - `@mock_vendors()` on a function (sync or async): the mock answers while it runs;
      a parameter named `recmock` receives the mock.
    - `@mock_vendors()` on a `unittest.TestCase`: each test gets a fresh mock from
      `setUp` until after `tearDown`, as `self.recmock`. On another class, each
      `test*` method is decorated.

    One object builds its app once and resets it on each entry, so a decorated class
    pays for the app once, not per test.
    """

    def __init__(self, config: Config | None = None, **settings: Any) -> None:
        if config is not None and settings:
            raise TypeError("give a Config or settings, not both")
        self._config = config or Config.in_process(**settings)
        self._mock: RecMock | None = None
        self._active: list[AbstractContextManager[HostTable]] = []

    def _fresh_mock(self) -> RecMock:
        if self._mock is None:
            from recmock.app import create_app

            self._mock = create_app(self._config).extensions["recmock"]
        else:
            self._mock.reset()
        return self._mock

    def __enter__(self) -> RecMock:
        mock = self._fresh_mock()
        active = answering_in_process(mock)
        active.__enter__()
        self._active.append(active)
        return mock

    def __exit__(self, *exc_info: Any) -> None:
        self._active.pop().__exit__(*exc_info)

    def __call__(self, target: Decorated) -> Decorated:
        if isinstance(target, type):
            return self._decorate_class(target)  # type: ignore[return-value]
        return self._decorate_function(target)

    def _decorate_function(self, func: Decorated) -> Decorated:
        signature = inspect.signature(func)
        wants_mock = "recmock" in signature.parameters
        wrapper: Callable[..., Any]
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self as mock:
                    if wants_mock:
                        kwargs["recmock"] = mock
                    return await func(*args, **kwargs)

            wrapper = run_async
        else:

            @functools.wraps(func)
            def run(*args: Any, **kwargs: Any) -> Any:
                with self as mock:
                    if wants_mock:
                        kwargs["recmock"] = mock
                    return func(*args, **kwargs)

            wrapper = run
        if wants_mock:  # so that pytest, say, does not look for a `recmock` fixture
            parameters = [p for p in signature.parameters.values() if p.name != "recmock"]
            setattr(wrapper, "__signature__", signature.replace(parameters=parameters))  # noqa: B010
        return wrapper  # type: ignore[return-value]

    def _decorate_class(self, cls: type) -> type:
        if issubclass(cls, unittest.TestCase):
            set_up = cls.setUp
            vendors = self

            def setUp(test: unittest.TestCase) -> None:
                test.recmock = vendors.__enter__()  # type: ignore[attr-defined]
                test.addCleanup(vendors.__exit__, None, None, None)
                set_up(test)

            setattr(cls, "setUp", setUp)  # noqa: B010  (mypy: a method's own name for self)
            return cls
        for name, attribute in list(vars(cls).items()):
            if name.startswith("test") and callable(attribute):
                setattr(cls, name, self._decorate_function(attribute))
        return cls
