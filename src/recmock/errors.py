"""The base of every vendor's errors.

Each vendor subclasses `VendorError` once with its own envelope (`body`), then declares
one short class per documented error, carrying the vendor's status, code and message.
"""

from __future__ import annotations

from typing import Any, ClassVar

from werkzeug.wrappers import Request, Response

from recmock.web import json_response


class VendorError(Exception):
    status: ClassVar[int] = 500

    def __init__(self, message: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> Any:
        raise NotImplementedError

    def response(self, request: Request | None = None) -> Response:
        """The answer; `request` is the one it answers, for a vendor whose error body
        names it (Scoot's Spring body carries the path)."""
        return json_response(self.body(), self.status_code, self.headers)

    @property
    def status_code(self) -> int:
        return self.status


class AnyStatus:
    """Mixin for a vendor's catch-all error, whose status is chosen when it is raised
    (an injected 500, 502, 503...): `class ServerError(AnyStatus, ClaapError)`."""

    def __init__(self, status: int, message: str | None = None) -> None:
        super().__init__(message)  # type: ignore[call-arg]
        self._status = status

    @property
    def status_code(self) -> int:
        return self._status
