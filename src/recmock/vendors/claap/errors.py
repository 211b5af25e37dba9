"""Claap's errors: `{"error": {"type", "message"[, "path"]}}` (docs.claap.io
api-reference/errors). One class per documented error; the types for 401, 429, the
quota and the generic statuses are assumptions (see the package docstring)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar

from recmock.errors import AnyStatus, VendorError


class ClaapError(VendorError):
    type: ClassVar[str] = "internal_server_error"
    default_message: ClassVar[str] = "Internal server error"

    def __init__(
        self,
        message: str | None = None,
        *,
        path: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.default_message, headers)
        self.path = path

    def body(self) -> Any:
        error = {"type": self.type, "message": self.message}
        if self.path:
            error["path"] = self.path
        return {"error": error}


class ValidationError(ClaapError):
    status = 400
    type = "validation_error"


class BadRequest(ClaapError):
    status = 400
    type = "bad_request"
    default_message = "Bad request"


class QuotaExceeded(ClaapError):
    status = 403
    type = "quota_exceeded"
    default_message = "Recording quota exceeded"


class LinkInvalid(ClaapError):
    status = 403
    type = "forbidden"
    default_message = "The URL signature is not valid"


class LinkExpired(ClaapError):
    status = 403
    type = "forbidden"
    default_message = "The URL has expired"


class Unauthorized(ClaapError):
    status = 401
    type = "unauthorized"
    default_message = "API key was not supplied or is not valid"


class RecordingNotFound(ClaapError):
    status = 404
    type = "not_found"
    default_message = "Recording was not found"


class TranscriptNotFound(ClaapError):
    status = 404
    type = "not_found"
    default_message = "Transcript was not found"


class NotFound(ClaapError):
    status = 404
    type = "not_found"
    default_message = "Not found"


class PayloadTooLarge(ClaapError):
    status = 413
    type = "payload_too_large"
    default_message = "Request body is too large"


class RateLimited(ClaapError):
    status = 429
    type = "rate_limited"
    default_message = "Too many requests"


class ServerError(AnyStatus, ClaapError):
    """Any other status (an injected 500, 502, 503...), typed after its HTTP name."""

    def body(self) -> Any:
        try:
            kind = HTTPStatus(self._status).phrase.lower().replace(" ", "_").replace("-", "_")
        except ValueError:
            kind = "error"
        return {"error": {"type": kind, "message": self.message}}


def for_status(status: int, message: str) -> ClaapError:
    """Claap's error for a generic HTTP problem or an injected fault."""
    known: dict[int, type[ClaapError]] = {
        400: BadRequest,
        401: Unauthorized,
        404: NotFound,
        405: NotFound,  # Claap documents no 405: an unknown method is an unknown route
        413: PayloadTooLarge,
        415: BadRequest,
        429: RateLimited,
    }
    if status in known:
        return known[status](message)
    return ServerError(status, message)
