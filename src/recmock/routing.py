"""Finding a vendor's handler for a request: its routes as data, matched by path
segment, with werkzeug's own answers for what does not match.

A vendor's routes are static segments and `<name>` placeholders (werkzeug's default
converter: one non-empty segment). For those, werkzeug's router gives the same answer
as matching segment by segment, static segments first, and this does it without
werkzeug's general machinery (a tenth of a request's time). What it answers is
werkzeug's, and `tests/core/test_routing.py` holds it to werkzeug's `Map` over every
vendor's routes:

- the handler's name and its arguments;
- `MethodNotAllowed` (with the methods that would do, HEAD wherever GET is) when the
  path is a route's but the method is not;
- `WebsocketMismatch` for a websocket upgrade to an HTTP route;
- `NotFound` otherwise (a trailing slash, an empty segment, a missing one);
- `BadHost` for a host werkzeug refuses: werkzeug's own `Map.bind_to_environ` checks
  each host once, and the verdict is kept for it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.routing.exceptions import WebsocketMismatch

Route = tuple[str, str, str]  # (method, path, handler name)

_HOSTS_KEPT = 256


class Routes:
    def __init__(self, routes: Iterable[Route]) -> None:
        routes = list(routes)
        # segment count -> [(segments, None for a placeholder), handler, methods, names]
        self._by_length: dict[
            int, list[tuple[tuple[str | None, ...], str, frozenset[str], tuple[str, ...]]]
        ] = {}
        for method, path, handler in routes:
            parts = path.split("/")
            segments = tuple(None if p.startswith("<") else p for p in parts)
            names = tuple(p[1:-1] for p in parts if p.startswith("<"))
            methods = frozenset({method, "HEAD"} if method == "GET" else {method})
            self._by_length.setdefault(len(parts), []).append((segments, handler, methods, names))
        for candidates in self._by_length.values():
            # Static before placeholder, segment by segment: werkzeug's order.
            candidates.sort(key=lambda c: tuple(s is None for s in c[0]))
        self._map = Map(
            [Rule(path, endpoint=handler, methods=[method]) for method, path, handler in routes],
            merge_slashes=False,
        )
        self._hosts: OrderedDict[tuple, HTTPException | None] = OrderedDict()
        self._lock = threading.Lock()

    def match(self, environ: dict[str, Any], path: str, method: str) -> tuple[str, dict[str, str]]:
        """(handler, arguments) for the request, or werkzeug's HTTPException."""
        refused = self._host_verdict(environ)
        if refused is not None:
            raise refused
        parts = path.split("/")
        allowed: set[str] = set()
        websocket_mismatch = False
        websocket = _is_websocket(environ)
        for segments, handler, methods, names in self._by_length.get(len(parts), ()):
            values = []
            for segment, part in zip(segments, parts, strict=True):
                if segment is None:
                    if not part:
                        break
                    values.append(part)
                elif segment != part:
                    break
            else:
                if method not in methods:
                    allowed |= methods
                elif websocket:
                    websocket_mismatch = True
                else:
                    return handler, dict(zip(names, values, strict=True))
        if allowed:
            raise MethodNotAllowed(valid_methods=sorted(allowed))
        if websocket_mismatch:
            raise WebsocketMismatch()
        raise NotFound()

    def _host_verdict(self, environ: dict[str, Any]) -> HTTPException | None:
        key = (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
        )
        try:
            return self._hosts[key]
        except KeyError:
            pass
        verdict: HTTPException | None = None
        try:
            self._map.bind_to_environ(environ)
        except HTTPException as refused:  # werkzeug's BadHost
            verdict = refused
        with self._lock:
            self._hosts[key] = verdict
            while len(self._hosts) > _HOSTS_KEPT:
                self._hosts.popitem(last=False)
        return verdict


def _is_websocket(environ: dict[str, Any]) -> bool:
    """A websocket upgrade, as werkzeug tells one."""
    if environ.get("HTTP_UPGRADE", "").lower() != "websocket":
        return False
    return any(
        v.strip(" \t") == "upgrade" for v in environ.get("HTTP_CONNECTION", "").lower().split(",")
    )
