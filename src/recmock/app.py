"""`create_app(config)`: the Flask app that serves every vendor and the control API.

Requests reach a vendor by path prefix (`/claap/v1/...`) or by the vendor's real host
name in the `Host` header (`api.claap.io` + `/v1/...`). Before a vendor request is
served, due events are carried out and state-script faults are applied; after it, it is
written to the journal and any webhooks it caused are delivered. Every error on a
vendor path — unknown route, wrong method, malformed JSON, wrong content type, oversize
body, a crash — is answered in that vendor's error shape, never as HTML.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Request, Response, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadHost, HTTPException, Unauthorized
from werkzeug.routing import Rule
from werkzeug.utils import cached_property
from werkzeug.wsgi import get_host

from recmock.config import Config
from recmock.control import control_blueprint, installed_version
from recmock.control.dashboard import dashboard_blueprint
from recmock.errors import VendorError
from recmock.intercept.server import (
    DUE_EVENTS_BY_CALLER,
    FAULT_DELAY,
    IN_PROCESS,
    TRUSTED_CALLER,
    InProcessServer,
)
from recmock.mock import RecMock
from recmock.vendor import Vendor
from recmock.vendors import VENDOR_TYPES
from recmock.web import BODY_LIMIT_KEY, RAW_BODY_KEY, json_response

access_log = logging.getLogger("recmock.access")
error_log = logging.getLogger("recmock")

_BODY_IN_JOURNAL = 64 * 1024


class HostRouter:
    """WSGI middleware: a request for a vendor's real host is served under its prefix."""

    def __init__(self, app: Any, mounts: dict[str, str]) -> None:
        self.app = app
        self.mounts = mounts

    def __call__(self, environ: dict, start_response: Any) -> Any:
        host = environ.get("HTTP_HOST", "").rsplit(":", 1)[0].lower()
        mount = self.mounts.get(host)
        if mount and not environ.get("PATH_INFO", "").startswith("/_recmock"):
            environ["PATH_INFO"] = mount + environ.get("PATH_INFO", "")
            environ["recmock.host_routed"] = True
        return self.app(environ, start_response)


class FastReads:
    """WSGI middleware: answers a vendor's plain read of one resource (Claap's
    `GET /v1/recordings/{id}`, `Vendor.fast_reads`) without Flask's request handling.

    Why: a read is what a client polls while a recording is processed, and recmock's
    budget is to serve such GETs at 8 clients at least as fast as WireMock
    (benchmarks/README.md). Flask's request and response objects, contexts and hooks
    are about five-sixths of such a GET's time in process (`benchmarks/fast_read.py`),
    and no Flask app on granian reaches a warm WireMock on one core.

    It answers only what it can answer exactly as the Flask route would, and leaves the
    rest to Flask, which has every rule (`_plain_read`; a fault script for the vendor;
    whatever the vendor's handler declines, such as a refused key or an unknown id). So
    it never answers an error of its own but a crash's 500. Up to the handler's answer
    it changes nothing (due events run here as in `prepare`, and a second run finds
    none due), so leaving a request to Flask half-way is safe. Before and after the
    answer it runs what the app's hooks run, through the same functions.
    `tests/claap/test_fast_reads.py` sends each read both ways and compares the answers,
    headers, journal entries and log lines."""

    def __init__(self, app: Any, mock: RecMock) -> None:
        self.app = app
        self.mock = mock
        # the path up to the resource id -> (vendor, its fast handler)
        self.handlers = {
            vendor.mount + collection: (vendor, getattr(vendor, handler))
            for vendor in mock.vendors.values()
            for collection, handler in vendor.fast_reads.items()
        }

    def __call__(self, environ: dict, start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        collection, _, resource_id = path.rpartition("/")
        found = self.handlers.get(collection)
        if found is None or not self._plain_read(environ, path):
            return self.app(environ, start_response)
        vendor, handler = found
        mock = self.mock
        if mock.scripts.has_faults(vendor.name):
            return self.app(environ, start_response)
        environ[_STARTED] = time.perf_counter()
        _carry_out_due_events(mock, environ)
        try:
            body = handler(environ, resource_id)
        except Exception:
            crash = _crash_answer(vendor, "GET", path)
            self._after(environ, vendor, path, crash.status_code)
            return crash(environ, start_response)
        if body is None:
            return self.app(environ, start_response)
        self._after(environ, vendor, path, 200)
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    def _plain_read(self, environ: dict, path: str) -> bool:
        """A GET whose answer nothing but the resource shapes. Flask has a rule for each
        of the others: a query string (`returnAiFields`), a body (the journal keeps it),
        a websocket upgrade (werkzeug matches it only to websocket rules, and recmock has
        none: an unknown route), a path that is not ASCII (werkzeug decodes it as
        UTF-8), a host werkzeug cannot bind to (a 400), rate limits (their headers and
        429s; a Claap key gets 3 calls a second then anyway)."""
        return (
            environ.get("REQUEST_METHOD") == "GET"
            and not environ.get("QUERY_STRING")
            and not _has_body(environ)
            and "HTTP_UPGRADE" not in environ
            and path.isascii()
            and not self.mock.config.rate_limits
            and _werkzeug_binds_host(
                environ.get("wsgi.url_scheme", "http"),
                environ.get("HTTP_HOST"),
                environ.get("SERVER_NAME"),
                environ.get("SERVER_PORT"),
            )
        )

    def _after(self, environ: dict, vendor: Vendor, path: str, status: int) -> None:
        """What `finish` does after the answer: the journal entry (a fast read has no
        body to keep), then the log line and due events."""
        _journal(self.mock, vendor, environ, "GET", path, status, None)
        _after_answer(self.mock, environ, path, status)


@functools.lru_cache(maxsize=256)
def _werkzeug_binds_host(
    scheme: str, host: str | None, server_name: str | None, server_port: str | None
) -> bool:
    """Whether werkzeug's router takes this host, decided as `Map.bind` decides it: the
    name without its port must be an IDNA name, or werkzeug answers 400 Bad Host (for
    `a..b`, a label of 64 characters). A client sends few hosts, so the answer is kept
    per host."""
    environ = {"wsgi.url_scheme": scheme}
    for key, value in (
        ("HTTP_HOST", host),
        ("SERVER_NAME", server_name),
        ("SERVER_PORT", server_port),
    ):
        if value is not None:
            environ[key] = value
    try:
        get_host(environ).lower().partition(":")[0].encode("idna")
    except UnicodeError:
        return False
    return True


class LazyBuilderRule(Rule):
    """A route whose URL builders are compiled when a URL is first built from it.

    werkzeug compiles two builder functions per rule as the rule is added: about 20 of
    the 25 ms that building recmock's app takes, on every `recmock serve` start and
    every fixture's app. Only the dashboard builds URLs (`url_for`), from two of ~80
    rules. Should werkzeug stop calling `_compile_builder`, rules are compiled eagerly
    again: slower to build, the same URLs. Two threads building a URL from a rule for
    the first time may both compile it, to equal builders. A rule default its converter
    refuses would fail at the first `url_for`, not as the rule is added (recmock's
    rules have no defaults)."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_builder = super()._compile_builder
        compiled = None

        def build(*args: Any, **kwargs: Any) -> tuple[str, str]:
            nonlocal compiled
            if compiled is None:
                compiled = compile_builder(append_unknown)
            return compiled(*args, **kwargs)

        return build


class Parameters(ImmutableMultiDict):
    """Query and form parameters whose `get` answers a missing name without raising.

    werkzeug's `get` goes through `__getitem__`, which builds a `BadRequestKeyError`
    (an HTTP exception) for every name that is absent: 1.6 µs, where the dict lookup
    takes 0.1, on every GET that asks for an optional parameter it was not given."""

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:
        if key not in self:
            return default
        return super().get(key, default, type)


_NO_PARAMETERS = Parameters()


class RecMockRequest(Request):
    parameter_storage_class = Parameters

    @cached_property
    def args(self) -> Parameters:  # type: ignore[override]
        """Most requests have no query string: they share one empty (immutable)
        mapping rather than each parsing an empty string."""
        if not self.query_string:
            return _NO_PARAMETERS
        return super().args  # type: ignore[return-value]


class RecMockFlask(Flask):
    """Flask, minus three costs recmock does not need.

    - For each hook and view Flask asks `inspect` whether the function is a coroutine
      (about 5% of a GET). recmock has no async views or hooks, so every function is
      already the one to call; an `async def` view would need this override gone
      (Flask would be handed a coroutine).
    - URL builders are compiled on first use (`LazyBuilderRule`), not at start-up.
    - An absent query parameter costs a dict lookup, not an exception (`Parameters`)."""

    url_rule_class = LazyBuilderRule
    request_class = RecMockRequest

    def ensure_sync(self, func: Any) -> Any:
        return func


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    mock = RecMock(config, VENDOR_TYPES)
    app = RecMockFlask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    # A vendor answers `//x` and OPTIONS itself (in its error shape), not with
    # werkzeug's HTML redirect or Flask's empty text/html answer.
    app.url_map.merge_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["recmock"] = mock

    app.register_blueprint(control_blueprint(mock), url_prefix="/_recmock")
    app.register_blueprint(dashboard_blueprint(mock, installed_version), url_prefix="/_recmock")
    for vendor in mock.vendors.values():
        app.register_blueprint(vendor.blueprint(), url_prefix=vendor.mount)
        actions = vendor.actions_blueprint()
        if actions is not None:
            app.register_blueprint(actions, url_prefix=f"/_recmock/vendors/{vendor.name}")

    @app.before_request
    def prepare() -> None:
        # The request is looked up once per hook: each `request.x` goes through a proxy.
        current = request._get_current_object()  # type: ignore[attr-defined]
        environ = current.environ
        environ[_STARTED] = time.perf_counter()
        path = current.path
        if config.admin_token and path.startswith("/_recmock") and TRUSTED_CALLER not in environ:
            _require_admin_token(config.admin_token)
        _carry_out_due_events(mock, environ)
        vendor = environ[_VENDOR] = mock.vendor_for_path(path)
        if vendor is None:
            return
        fault = mock.scripts.take_fault(vendor.name, current.method, _vendor_path(vendor, path))
        if fault is None:
            return
        if fault.delay and IN_PROCESS in environ:
            environ[FAULT_DELAY] = fault.delay.total_seconds()  # the client waits
        elif fault.delay:
            time.sleep(fault.delay.total_seconds())
        if fault.status:
            message = fault.message or _DEFAULT_FAULT_MESSAGE
            error = vendor.http_error(fault.status, message)
            error.headers.update(fault.headers)
            raise error

    @app.after_request
    def finish(response: Response) -> Response:
        current = request._get_current_object()  # type: ignore[attr-defined]
        vendor = current.environ.get(_VENDOR)
        if vendor is not None or not current.path.startswith("/_recmock"):
            _record_in_journal(mock, vendor, current, response)
        _after_answer(mock, current.environ, current.full_path.rstrip("?"), response.status_code)
        return response

    @app.errorhandler(VendorError)
    def vendor_error(error: VendorError) -> Response:
        return error.response()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        vendor = request.environ.get(_VENDOR) or mock.vendor_for_path(request.path)
        if vendor is None:
            if request.routing_exception is error and error.code == 404:
                mounts = ", ".join(f"{v.mount}/" for v in mock.vendors.values())
                message = (
                    f"Nothing at {request.path}: vendors are under {mounts};"
                    " control under /_recmock/"
                )
                return json_response({"error": message}, 404)
            return json_response({"error": error.description}, error.code or 500)
        message = error.description or error.name
        if isinstance(error, BadHost):
            message = f"Host header is not a valid host name: {request.environ.get('HTTP_HOST')!r}"
        elif request.routing_exception is error:
            message = f"Unknown route: {request.method} {_vendor_path(vendor, request.path)}"
        elif error.code == 413:
            limit = request.environ.get(BODY_LIMIT_KEY, request.max_content_length)
            message = f"Request body is larger than the {limit} bytes allowed"
        answer = vendor.http_error(error.code or 500, message)
        if error.code == 405:
            answer.headers.setdefault("Allow", ", ".join(sorted(error.valid_methods or [])))
        return answer.response()

    @app.errorhandler(Exception)
    def crash(error: Exception) -> Response:
        vendor = request.environ.get(_VENDOR) or mock.vendor_for_path(request.path)
        return _crash_answer(vendor, request.method, request.path)

    app.wsgi_app = HostRouter(  # type: ignore[method-assign]
        FastReads(app.wsgi_app, mock), mock.host_mounts()
    )
    mock.server = InProcessServer(app.wsgi_app, mock.scheduler)
    return app


_DEFAULT_FAULT_MESSAGE = "Injected fault"
# Per-request values kept in the WSGI environ, which the error handlers see too.
_STARTED = "recmock.started"
_VENDOR = "recmock.vendor"


def _require_admin_token(token: str) -> None:
    """With RECMOCK_ADMIN_TOKEN set, the control API wants it; health stays open for
    container health checks."""
    if request.path == "/_recmock/health":
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or given.strip() != token:
        raise Unauthorized("The control API needs Authorization: Bearer <RECMOCK_ADMIN_TOKEN>")


def _printable(text: str) -> str:
    """A path as it can go in a log line: no forged lines, no control characters."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _vendor_path(vendor: Vendor, path: str) -> str:
    return path[len(vendor.mount) :] or "/"


def _record_in_journal(
    mock: RecMock, vendor: Vendor | None, current: Request, response: Response
) -> None:
    environ = current.environ
    body = _textual_body(current) if _has_body(environ) else None
    _journal(mock, vendor, environ, current.method, current.path, response.status_code, body)


def _has_body(environ: dict) -> bool:
    """Most requests are GETs with no body to look at. A body of unknown length comes
    chunked (granian passes it on so; waitress gathers it and gives its length)."""
    return bool(environ.get("CONTENT_LENGTH")) or "HTTP_TRANSFER_ENCODING" in environ


def _journal(
    mock: RecMock,
    vendor: Vendor | None,
    environ: dict,
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
        path=_vendor_path(vendor, path) if vendor else path,
        query_string=environ.get("QUERY_STRING", ""),
        status=status,
        at=mock.now(),
        duration_ms=(time.perf_counter() - environ.get(_STARTED, 0)) * 1000,
        environ_headers=headers,
        body=body,
    )


def _carry_out_due_events(mock: RecMock, environ: dict) -> None:
    if DUE_EVENTS_BY_CALLER not in environ and mock.scheduler.has_due():
        mock.scheduler.run_due(wait=False)


def _after_answer(mock: RecMock, environ: dict, full_path: str, status: int) -> None:
    """What follows every answer once it is in the journal, whichever way it was made
    (`finish`, `FastReads`): the access log line, then the due events the request
    caused, so that its webhooks go out before it answers."""
    if mock.config.access_log:
        _log_access(environ, full_path, status)
    _carry_out_due_events(mock, environ)


def _crash_answer(vendor: Vendor | None, method: str, path: str) -> Response:
    """A bug in the mock: logged with its traceback, answered in the vendor's shape."""
    error_log.exception("unexpected error serving %s %s", method, path)
    if vendor is None:
        return json_response({"error": "Internal server error"}, 500)
    return vendor.http_error(500, "Internal server error").response()


def _log_access(environ: dict, path_and_query: str, status: int) -> None:
    started = environ.get(_STARTED, time.perf_counter())
    access_log.info(
        '%s "%s %s" %s %.1fms',
        environ.get("REMOTE_ADDR"),
        environ.get("REQUEST_METHOD", "GET").upper(),  # as werkzeug reads it
        _printable(path_and_query),
        status,
        (time.perf_counter() - started) * 1000,
    )


def _textual_body(current: Request) -> str | None:
    """A JSON or form body of at most 64 KiB, as text; None for any other.

    A body the handler read from the stream is in the environ (`web.read_stream`: a
    chunked body, an upload); one it read with werkzeug's get_data is in werkzeug's
    cache. One the handler did not read (the key was wrong, say) is read here; a
    chunked one no further than the journal keeps."""
    if current.mimetype not in ("application/json", "application/x-www-form-urlencoded"):
        return None
    data = current.environ.get(RAW_BODY_KEY)
    if data is None:
        size = current.content_length
        if size is not None and size > _BODY_IN_JOURNAL:
            return None
        try:
            if size is None:  # chunked
                data = current.stream.read(_BODY_IN_JOURNAL + 1)
            else:
                data = current.get_data(cache=True)
        except HTTPException:  # the client went away mid-body, or sent more than allowed
            return None
    if len(data) > _BODY_IN_JOURNAL:
        return None
    return data.decode("utf-8", "replace")
