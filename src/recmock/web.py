"""The request a vendor handler receives, and helpers for reading and answering it.

The helpers raise werkzeug's HTTP exceptions, which the request pipeline turns into the
vendor's own error shape through `Vendor.http_error`, so every vendor answers malformed
input its own way. They take the request explicitly: a handler, and anything it calls,
can run with a request built by hand (`VendorRequest(environ)`), no context needed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import orjson
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.utils import cached_property
from werkzeug.wrappers import Request, Response

BODY_LIMIT_KEY = "recmock.body_limit"
# A body `read_stream` read, kept for the journal: a stream can be read only once.
RAW_BODY_KEY = "recmock.raw_body"
# Set by host routing: the request reached the vendor by its real host name, without
# the mock's path prefix.
HOST_ROUTED_KEY = "recmock.host_routed"


class Parameters(ImmutableMultiDict):
    """Query and form parameters whose `get` answers a missing name without raising.

    werkzeug's `get` goes through `__getitem__`, which builds a `BadRequestKeyError`
    (an HTTP exception) for every name that is absent: 1.6 µs, where the dict lookup
    takes 0.1, on every GET that asks for an optional parameter it was not given."""

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]
        if key not in self:
            return default
        return super().get(key, default, type)


_NO_PARAMETERS: Parameters = Parameters()


class VendorRequest(Request):
    """A request to a vendor's API or to one of its actions: werkzeug's request, with
    the body limit of the mock's settings and the answer's finishing touches
    (`after_answer`, as Claap's rate-limit headers)."""

    parameter_storage_class = Parameters

    def __init__(self, environ: dict[str, Any], max_content_length: int | None = None) -> None:
        super().__init__(environ)
        self.max_content_length = max_content_length
        self.finishing: list[Callable[[Response], None]] = []

    @cached_property
    def args(self) -> Parameters:
        """Most requests have no query string: they share one empty (immutable)
        mapping rather than each parsing an empty string."""
        if not self.query_string:
            return _NO_PARAMETERS
        return super().args  # type: ignore[return-value]

    @property
    def host_routed(self) -> bool:
        return bool(self.environ.get(HOST_ROUTED_KEY))

    def after_answer(self, finish: Callable[[Response], None]) -> None:
        """Have `finish` touch the answer up once the handler has made it (or raised
        the vendor's error): headers every answer of an endpoint carries."""
        self.finishing.append(finish)


def json_body(request: Request, *, optional: bool = False) -> Any:
    """The request's JSON body. 415 for another content type, 400 for malformed JSON
    or (unless `optional`) an empty body; 413 beyond the configured size."""
    limit = request.max_content_length
    if request.content_length is None and limit is not None:
        # A chunked body has no length to refuse up front; werkzeug would cut it at the
        # limit silently, and the cut JSON would pass for malformed.
        raw = read_stream(request, limit)
        if raw is None:
            raise RequestEntityTooLarge()
    else:
        raw = request.get_data(cache=True)
    if not raw:
        if optional:
            return {}
        raise BadRequest("Request body is empty; a JSON object is expected")
    if not request.is_json:
        raise UnsupportedMediaType("Content-Type must be application/json")
    try:
        value = json.loads(raw, parse_constant=_no_constants, parse_float=_finite_float)
        # "\ud800" parses to a lone surrogate, which no answer or file name can encode.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError):
        raise BadRequest("Request body is not valid JSON") from None
    return value


def json_object(request: Request, *, optional: bool = False) -> dict[str, Any]:
    """The request's JSON body, which must be an object (for the control API and vendor
    actions, whose mistakes are plain 400s); `optional` allows an empty body."""
    body = json_body(request, optional=optional)
    if not isinstance(body, dict):
        raise BadRequest("Expected a JSON object")
    return body


def _finite_float(text: str) -> float:
    """1e400 parses as infinity, which no JSON answer (or state dump) could carry."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; JSON does not


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer (`json_bytes`)."""
    return json_bytes_response(json_bytes(body), status, headers)


def json_bytes_response(
    data: bytes, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A JSON answer whose body is already written (`json_bytes`).

    The body is bytes, so it passes to the server as one list item
    (`direct_passthrough`) rather than through werkzeug's encoding generator: a server
    writes a list in one go, and a generator costs it a call into Python per chunk."""
    answer = Response(data, status=status, headers=headers, content_type="application/json")
    answer.direct_passthrough = True
    return answer


def json_bytes(body: Any) -> bytes:
    """A JSON body, ending in a newline like Flask's own (friendlier to curl).

    Compact UTF-8, as the vendors send it. orjson writes it in a tenth of the standard
    library's time, which matters on every answer the mock gives; what orjson refuses (an
    integer wider than 64 bits, which a control-API body can carry) goes through the
    standard library in the same form."""
    try:
        return orjson.dumps(body, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        # The same compact UTF-8 form; a lone surrogate, which UTF-8 cannot carry, is
        # written as its JSON escape (`\\ud800`).
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False) + "\n"
        return text.encode("utf-8", "backslashreplace")


def no_content(status: int = 204) -> Response:
    """No body, and so no Content-Type (Flask would otherwise say text/html): a 204, or
    an answer documented as "only HTTP status"."""
    answer = Response(status=status)
    del answer.headers["Content-Type"]
    return answer


def read_stream(request: Request, limit: int) -> bytes | None:
    """Read the raw body in chunks; None when it exceeds `limit` bytes. What it read is
    left in the environ for the journal."""
    request.max_content_length = limit + 1  # one byte more tells "too big" from "exactly"
    request.environ[BODY_LIMIT_KEY] = limit  # for the 413's message
    stream = request.stream
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(1024 * 1024)
        if not chunk:
            body = request.environ[RAW_BODY_KEY] = b"".join(chunks)
            return body
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
