"""`create_app(config)`: the app that serves every vendor and the control API.

A Flask app whose WSGI callable is the request pipeline (`recmock.pipeline`): requests
to a vendor, by path prefix (`/claap/v1/...`) or by the vendor's real host name in the
`Host` header (`api.claap.io` + `/v1/...`), and the vendors' actions are answered there;
Flask serves the control API (`/_recmock/`), the dashboard and any other path. Every
error is JSON: on a vendor path in that vendor's shape, elsewhere `{"error": ...}`.
"""

from __future__ import annotations

import time

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from recmock.config import Config
from recmock.control import control_blueprint, installed_version
from recmock.control.dashboard import dashboard_blueprint
from recmock.intercept.server import InProcessServer
from recmock.mock import RecMock
from recmock.pipeline import (
    STARTED,
    RequestPipeline,
    after_answer,
    carry_out_due_events,
    control_error,
    crash_answer,
    journal,
    journaled_body,
    require_admin_token,
)
from recmock.vendors import VENDOR_TYPES


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    mock = RecMock(config, VENDOR_TYPES)
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.url_map.merge_slashes = False  # `/_recmock//x` is a 404, not an HTML redirect
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["recmock"] = mock
    app.register_blueprint(control_blueprint(mock), url_prefix="/_recmock")
    app.register_blueprint(dashboard_blueprint(mock, installed_version), url_prefix="/_recmock")

    @app.before_request
    def prepare() -> None:
        environ = request.environ
        environ[STARTED] = time.perf_counter()
        token = config.admin_token
        if token and request.path.startswith("/_recmock"):
            require_admin_token(request, token)
        carry_out_due_events(mock, environ)

    @app.after_request
    def finish(response: Response) -> Response:
        path = request.path
        if not path.startswith("/_recmock"):  # a path no vendor has: kept, as it may be
            body = journaled_body(request)  # a client's wrong base URL
            journal(mock, None, request.environ, request.method, path, response.status_code, body)
        after_answer(mock, request.environ, request.full_path.rstrip("?"), response.status_code)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        routing = request.routing_exception is error
        return control_error(error, request.path, mock, routing=routing)  # type: ignore[return-value]

    @app.errorhandler(Exception)
    def crash(error: Exception) -> Response:
        return crash_answer(None, request)  # type: ignore[return-value]

    app.wsgi_app = RequestPipeline(mock, app.wsgi_app)  # type: ignore[method-assign]
    mock.server = InProcessServer(app.wsgi_app, mock.scheduler)
    return app
