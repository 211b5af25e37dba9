"""The request pipeline: one path for every request to a vendor, in one place.

    host routing -> due events -> route -> fault -> handler -> the vendor's error shape
    -> finishing touches -> journal -> access log -> due events

Every vendor route goes through all of it alike; there is no other way in. It is built
on werkzeug, the toolkit Flask is built on: werkzeug's request and response, its router's
answers (`recmock.routing`: hosts, wrong methods, websocket upgrades), and the handler
called directly. Flask's own request handling (contexts, hooks, signals, sessions)
costs more per request than the rest of a vendor call put together, in process and
over HTTP alike (benchmarks/README.md), and a vendor call needs none of it. Flask
serves what is left (`create_app`): the control API, the dashboard and unknown paths.

Vendor actions (`/_recmock/vendors/<vendor>/...`) go through the same router and
handlers, with the control API's rules: the admin token, plain `{"error"}` bodies, no
journal entry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import BadHost, HTTPException, NotFound, Unauthorized
from werkzeug.wrappers import Response

from recmock.errors import VendorError
from recmock.intercept.server import DUE_EVENTS_BY_CALLER, FAULT_DELAY, IN_PROCESS
from recmock.mock import RecMock
from recmock.routing import Routes
from recmock.vendor import Vendor
from recmock.web import (
    BODY_LIMIT_KEY,
    HOST_ROUTED_KEY,
    RAW_BODY_KEY,
    VendorRequest,
    json_response,
)

access_log = logging.getLogger("recmock.access")
error_log = logging.getLogger("recmock")

WSGIApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]

ACTIONS_PREFIX = "/_recmock/vendors/"
_BODY_IN_JOURNAL = 64 * 1024
_DEFAULT_FAULT_MESSAGE = "Injected fault"
# When the request's handling began (perf_counter), for the journal and the log line.
STARTED = "recmock.started"


class RequestPipeline:
    """WSGI: vendor requests (by path prefix or real host name) and vendor actions are
    answered here; everything else goes to `control_app` (Flask)."""

    def __init__(self, mock: RecMock, control_app: WSGIApp) -> None:
        self.mock = mock
        self.control_app = control_app
        self._host_mounts = mock.host_mounts()
        self._routes: dict[str, Routes] = {}
        self._actions: dict[str, tuple[Vendor, Routes]] = {}
        for vendor in mock.vendors.values():
            self._routes[vendor.name] = vendor.routing(vendor.mount, vendor.routes)
            if vendor.action_routes:
                prefix = f"{ACTIONS_PREFIX}{vendor.name}"
                routes = vendor.routing(prefix, vendor.action_routes)
                self._actions[prefix] = (vendor, routes)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("//"):  # as werkzeug reads a path: `//telnyx/v2` is `/telnyx/v2`
            path = "/" + path.lstrip("/")
        if not path.startswith("/_recmock"):
            host = environ.get("HTTP_HOST", "").rsplit(":", 1)[0].lower().rstrip(".")
            mount = self._host_mounts.get(host)
            if mount:
                path = environ["PATH_INFO"] = mount + path
                environ[HOST_ROUTED_KEY] = True
            vendor = self.mock.vendor_for_path(path)
            if vendor is not None:
                return self._serve(vendor, environ, start_response)
        elif path.startswith(ACTIONS_PREFIX):
            end = path.find("/", len(ACTIONS_PREFIX))
            found = self._actions.get(path if end < 0 else path[:end])
            if found is not None:
                return self._serve_action(*found, environ, start_response)
        return self.control_app(environ, start_response)

    # -- a vendor's API ----------------------------------------------------------------

    def _serve(self, vendor: Vendor, environ: dict[str, Any], start_response: Any) -> Any:
        mock = self.mock
        environ[STARTED] = time.perf_counter()
        request = VendorRequest(environ, mock.config.max_body_bytes)
        try:
            carry_out_due_events(mock, environ)
            response = self._answer(vendor, request)
        except Exception:
            response = crash_answer(vendor, request)
        body = journaled_body(request)
        journal(mock, vendor, environ, request.method, request.path, response.status_code, body)
        after_answer(mock, environ, request.full_path.rstrip("?"), response.status_code)
        request.close()
        return response(environ, start_response)

    def _answer(self, vendor: Vendor, request: VendorRequest) -> Response:
        """The handler's answer, or the vendor's error; then the finishing touches."""
        try:
            routed = self._route(self._routes[vendor.name], request)
            self._apply_fault(vendor, request)
            if isinstance(routed, HTTPException):
                raise routed
            endpoint, arguments = routed
            response: Response = getattr(vendor, endpoint)(request, **arguments)
        except VendorError as error:
            response = error.response(request)
        except HTTPException as error:
            response = _vendor_http_error(vendor, request, error, routed)
        for finish in request.finishing:
            finish(response)
        return response

    @staticmethod
    def _route(
        routes: Routes, request: VendorRequest
    ) -> tuple[str, dict[str, Any]] | HTTPException:
        """The handler's name and its path arguments, or why there is none (no route,
        a wrong method, a host werkzeug refuses): answered after any fault, as a fault
        may stand in for a route that is not there."""
        try:
            return routes.match(request.environ, request.path, request.method)
        except HTTPException as error:
            return error

    def _apply_fault(self, vendor: Vendor, request: VendorRequest) -> None:
        """A state script's fault for this request, if one matches: it delays the answer
        (real time) and/or answers the vendor's error with the fault's status."""
        fault = self.mock.scripts.take_fault(
            vendor.name, request.method, vendor_path(vendor, request.path)
        )
        if fault is None:
            return
        if fault.delay and IN_PROCESS in request.environ:
            request.environ[FAULT_DELAY] = fault.delay.total_seconds()  # the client waits
        elif fault.delay:
            time.sleep(fault.delay.total_seconds())
        if fault.status:
            error = vendor.http_error(fault.status, fault.message or _DEFAULT_FAULT_MESSAGE)
            error.headers.update(fault.headers)
            raise error

    # -- a vendor's actions ------------------------------------------------------------

    def _serve_action(
        self, vendor: Vendor, routes: Routes, environ: dict[str, Any], start_response: Any
    ) -> Any:
        mock = self.mock
        environ[STARTED] = time.perf_counter()
        request = VendorRequest(environ, mock.config.max_body_bytes)
        try:
            if mock.config.admin_token:
                require_admin_token(request, mock.config.admin_token)
            carry_out_due_events(mock, environ)
            routed = self._route(routes, request)
            if isinstance(routed, HTTPException):
                response = control_error(routed, request.path, mock, routing=True)
            else:
                endpoint, arguments = routed
                response = getattr(vendor.actions, endpoint)(request, **arguments)
        except HTTPException as error:
            response = control_error(error, request.path, mock)
        except Exception:
            response = crash_answer(None, request)
        after_answer(mock, environ, request.full_path.rstrip("?"), response.status_code)
        request.close()
        return response(environ, start_response)


# -- the steps, shared with the control API's Flask hooks (`create_app`) ---------------


def require_admin_token(request: Any, token: str) -> None:
    """With RECMOCK_ADMIN_TOKEN set, the control API wants it; health stays open for
    container health checks."""
    if request.path == "/_recmock/health":
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or given.strip() != token:
        raise Unauthorized("The control API needs Authorization: Bearer <RECMOCK_ADMIN_TOKEN>")


def carry_out_due_events(mock: RecMock, environ: dict[str, Any]) -> None:
    if DUE_EVENTS_BY_CALLER not in environ and mock.scheduler.has_due():
        mock.scheduler.run_due(wait=False)


def after_answer(mock: RecMock, environ: dict[str, Any], full_path: str, status: int) -> None:
    """What follows every answer once it is in the journal: the access log line, then
    the due events the request caused, so that its webhooks go out before it answers."""
    if mock.config.access_log:
        _log_access(environ, full_path, status)
    carry_out_due_events(mock, environ)


def crash_answer(vendor: Vendor | None, request: Any) -> Response:
    """A bug in the mock: logged with its traceback, answered in the vendor's shape."""
    error_log.exception("unexpected error serving %s %s", request.method, request.path)
    if vendor is None:
        return json_response({"error": "Internal server error"}, 500)
    return vendor.http_error(500, "Internal server error").response(request)


def control_error(
    error: HTTPException, path: str, mock: RecMock, *, routing: bool = False
) -> Response:
    """The control API's error: `{"error": ...}` with the HTTP status; a path that
    leads nowhere (`routing`) says where things are."""
    if routing and isinstance(error, NotFound):
        mounts = ", ".join(f"{v.mount}/" for v in mock.vendors.values())
        message = f"Nothing at {path}: vendors are under {mounts}; control under /_recmock/"
        return json_response({"error": message}, 404)
    return json_response({"error": error.description}, error.code or 500)


def vendor_path(vendor: Vendor, path: str) -> str:
    """The vendor's own path: without the mock's prefix."""
    return path[len(vendor.mount) :] or "/"


def journal(
    mock: RecMock,
    vendor: Vendor | None,
    environ: dict[str, Any],
    method: str,
    path: str,
    status: int,
    body: str | None,
) -> None:
    headers = {k: v for k, v in environ.items() if k.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key] = environ[key]
    mock.journal.record(
        vendor=vendor.name if vendor else None,
        method=method,
        path=vendor_path(vendor, path) if vendor else path,
        query_string=environ.get("QUERY_STRING", ""),
        status=status,
        at=mock.now(),
        duration_ms=(time.perf_counter() - environ.get(STARTED, 0)) * 1000,
        environ_headers=headers,
        body=body,
    )


def journaled_body(request: Any) -> str | None:
    """What the journal keeps of a request's body (`_textual_body`), if it has one."""
    return _textual_body(request) if _has_body(request.environ) else None


def _vendor_http_error(
    vendor: Vendor,
    request: VendorRequest,
    error: HTTPException,
    routed: tuple[str, dict[str, Any]] | HTTPException,
) -> Response:
    """A generic HTTP problem (no route, a wrong method, malformed or oversize input)
    as the vendor answers it."""
    message = error.description or error.name
    if isinstance(error, BadHost):
        host = request.environ.get("HTTP_HOST")
        message = f"Host header is not a valid host name: {host!r}"
    elif routed is error:
        message = f"Unknown route: {request.method} {vendor_path(vendor, request.path)}"
    elif error.code == 413:
        limit = request.environ.get(BODY_LIMIT_KEY, request.max_content_length)
        message = f"Request body is larger than the {limit} bytes allowed"
    answer = vendor.http_error(error.code or 500, message)
    if error.code == 405:
        allowed = getattr(error, "valid_methods", None) or []
        answer.headers.setdefault("Allow", ", ".join(sorted(allowed)))
    return answer.response(request)


def _has_body(environ: dict[str, Any]) -> bool:
    """Most requests are GETs with no body to look at. A body of unknown length comes
    chunked (granian passes it on so; waitress gathers it and gives its length)."""
    return bool(environ.get("CONTENT_LENGTH")) or "HTTP_TRANSFER_ENCODING" in environ


def _textual_body(request: Any) -> str | None:
    """A JSON or form body of at most 64 KiB, as text; None for any other.

    A body the handler read from the stream is in the environ (`web.read_stream`: a
    chunked body, an upload); one it read with werkzeug's get_data is in werkzeug's
    cache. One the handler did not read (the key was wrong, say) is read here; a
    chunked one no further than the journal keeps."""
    if request.mimetype not in ("application/json", "application/x-www-form-urlencoded"):
        return None
    data = request.environ.get(RAW_BODY_KEY)
    if data is None:
        size = request.content_length
        if size is not None and size > _BODY_IN_JOURNAL:
            return None
        try:
            if size is None:  # chunked
                data = request.stream.read(_BODY_IN_JOURNAL + 1)
            else:
                data = request.get_data(cache=True)
        except HTTPException:  # the client went away mid-body, or sent more than allowed
            return None
    if len(data) > _BODY_IN_JOURNAL:
        return None
    return data.decode("utf-8", "replace")


def _printable(text: str) -> str:
    """A path as it can go in a log line: no forged lines, no control characters."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _log_access(environ: dict[str, Any], path_and_query: str, status: int) -> None:
    started = environ.get(STARTED, time.perf_counter())
    access_log.info(
        '%s "%s %s" %s %.1fms',
        environ.get("REMOTE_ADDR"),
        environ.get("REQUEST_METHOD", "GET").upper(),  # as werkzeug reads it
        _printable(path_and_query),
        status,
        (time.perf_counter() - started) * 1000,
    )
