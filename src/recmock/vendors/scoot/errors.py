"""Scoot's errors. Their body is not documented; the API follows Spring conventions
(page/size/sort=prop,asc), so the mock answers Spring Boot's error body:
`{"timestamp", "status", "error", "message", "path"}`, plus Spring's `errors` list of
field errors for a body that fails validation."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Request, Response

from recmock.errors import VendorError
from recmock.timeutil import iso_millis


class ScootError(VendorError):
    def __init__(
        self,
        status: int,
        message: str = "",
        *,
        field_errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        at: Any = None,
    ) -> None:
        super().__init__(message, headers)
        self._status = status
        self.field_errors = field_errors
        self.at = at
        self._path = ""

    def response(self, request: Request | None = None) -> Response:
        if request is not None:
            self._path = request.path.removeprefix("/scoot")
        return super().response(request)

    @property
    def status_code(self) -> int:
        return self._status

    def body(self) -> Any:
        try:
            phrase = HTTPStatus(self._status).phrase
        except ValueError:
            phrase = "Error"
        body: dict[str, Any] = {
            "timestamp": iso_millis(self.at) if self.at else None,
            "status": self._status,
            "error": phrase,
            "message": self.message or "",
            "path": self._path,
        }
        if self.field_errors is not None:
            body["errors"] = self.field_errors
        return body
