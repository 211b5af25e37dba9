"""Scoot's errors. Their body is not documented; the API follows Spring conventions
(page/size/sort=prop,asc), so the mock answers Spring Boot's error body:
`{"timestamp", "status", "error", "message", "path"}`, plus Spring's `errors` list of
field errors for a body that fails validation."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import request

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

    @property
    def status_code(self) -> int:
        return self._status

    def body(self) -> Any:
        try:
            phrase = HTTPStatus(self._status).phrase
        except ValueError:
            phrase = "Error"
        mount = "/scoot"
        path = request.path.removeprefix(mount) if request else ""
        body: dict[str, Any] = {
            "timestamp": iso_millis(self.at) if self.at else None,
            "status": self._status,
            "error": phrase,
            "message": self.message or "",
            "path": path,
        }
        if self.field_errors is not None:
            body["errors"] = self.field_errors
        return body
