"""eyeson's errors: `{"error": "<message>"}` on every status (eyeson-ruby raises on a
JSON body with an `error` string; the Go and Node SDKs map the status alone)."""

from __future__ import annotations

from typing import Any

from recmock.errors import AnyStatus, VendorError


class EyesonError(VendorError):
    default_message = "Internal server error"

    def __init__(self, message: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message or self.default_message, headers)

    def body(self) -> Any:
        return {"error": self.message}


class BadRequest(EyesonError):
    status = 400
    default_message = "Bad request"


class Unauthorized(EyesonError):
    status = 401
    default_message = "Authorization failed"


class Forbidden(EyesonError):
    status = 403
    default_message = "Forbidden"


class NotFound(EyesonError):
    status = 404
    default_message = "Not found"


class RecordingDisabled(EyesonError):
    """The room's options turn recording off (`recording_available: false`)."""

    status = 405
    default_message = "Recording is not available in this room"


class NotAcceptable(EyesonError):
    status = 406
    default_message = "Not acceptable"


class Gone(EyesonError):
    """The meeting behind an access key or guest token was shut down."""

    status = 410
    default_message = "The meeting is over"


class PayloadTooLarge(EyesonError):
    status = 413
    default_message = "Request body is too large"


class Locked(EyesonError):
    status = 423
    default_message = "Locked"


class ServerError(AnyStatus, EyesonError):
    """Any other status (an injected 500, 502, 503...)."""


def for_status(status: int, message: str) -> EyesonError:
    known: dict[int, type[EyesonError]] = {
        400: BadRequest,
        401: Unauthorized,
        403: Forbidden,
        404: NotFound,
        405: NotFound,  # an unknown method is an unknown route
        406: NotAcceptable,
        410: Gone,
        413: PayloadTooLarge,
        415: BadRequest,
        423: Locked,
    }
    if status in known:
        return known[status](message)
    return ServerError(status, message)
