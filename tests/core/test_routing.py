"""`recmock.routing.Routes` answers as werkzeug's router does, for every route of every
vendor (and its actions): the handler and its arguments, or werkzeug's exception with
its status and, for a wrong method, the methods that would do."""

from __future__ import annotations

import itertools

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.test import EnvironBuilder

from recmock.routing import Routes
from recmock.vendors import VENDOR_TYPES

TABLES = [
    pytest.param(routes, id=f"{vendor.name}-{kind}")
    for vendor in VENDOR_TYPES
    for kind, routes in (("api", vendor.routes), ("actions", vendor.action_routes))
    if routes
]
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _paths(routes) -> list[str]:
    """Each route's path filled in, and what a client may get wrong about it."""
    paths = set()
    for _, path, _ in routes:
        filled = "/".join("x1" if p.startswith("<") else p for p in path.split("/"))
        paths |= {
            filled,
            filled + "/",
            filled + "/extra",
            filled.rsplit("/", 1)[0],
            filled.replace("/", "//", 1),
            filled.replace("x1", "create-upload"),
            filled.replace("x1", "é%20"),
        }
    return sorted(paths | {"/", ""})


def _werkzeug(routes, environ) -> object:
    table = Map([Rule(p, endpoint=h, methods=[m]) for m, p, h in routes], merge_slashes=False)
    try:
        return table.bind_to_environ(environ).match()
    except HTTPException as error:
        return type(error), error.code, sorted(getattr(error, "valid_methods", None) or [])


def _ours(routes: Routes, environ, path, method) -> object:
    try:
        return routes.match(environ, path, method)
    except HTTPException as error:
        return type(error), error.code, sorted(getattr(error, "valid_methods", None) or [])


@pytest.mark.parametrize("routes", TABLES)
def test_every_path_and_method_as_werkzeug(routes) -> None:
    ours = Routes(routes)
    for path, method in itertools.product(_paths(routes), METHODS):
        environ = EnvironBuilder(path=path or "/", method=method).get_environ()
        decoded = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace")
        assert _ours(ours, environ, decoded, method) == _werkzeug(routes, environ), (path, method)


@pytest.mark.parametrize("routes", TABLES[:1])
def test_a_websocket_upgrade_and_a_refused_host_as_werkzeug(routes) -> None:
    ours = Routes(routes)
    paths = [path for _, path, _ in routes]
    method, path, _ = next(r for r in routes if paths.count(r[1]) == 1)  # one method only
    filled = path.replace("<", "").replace(">", "")
    upgrade = {"Upgrade": "websocket", "Connection": "keep-alive, Upgrade"}
    for headers in (upgrade, {"Host": "a..b"}, {"Host": "x" * 64 + ".com"}):
        environ = EnvironBuilder(path=filled, method=method, headers=headers).get_environ()
        assert _ours(ours, environ, filled, method) == _werkzeug(routes, environ)
        assert _ours(ours, environ, filled, method)[1] == 400  # type: ignore[index]
