"""Telnyx's errors: `{"errors": [{"code", "title", "detail", "source", "meta"}]}` with
string codes (developers.telnyx.com/docs/overview/errors; the OpenAPI `video_Errors`).
One class per documented error. A 422 carries one entry per offending field."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar

from recmock.errors import AnyStatus, VendorError
from recmock.vendors.telnyx.schemas import REQUIRED, is_enum_problem

ERRORS_DOC = "https://developers.telnyx.com/docs/overview/errors/"


def error_entry(
    code: str,
    title: str,
    detail: str | None = None,
    *,
    pointer: str | None = None,
    parameter: str | None = None,
) -> dict[str, Any]:
    """One member of the `errors` list; `pointer` names a body field (`/resolution`),
    `parameter` a query parameter (`page[size]`)."""
    entry: dict[str, Any] = {"code": code, "title": title}
    if detail:
        entry["detail"] = detail
    if pointer is not None:
        entry["source"] = {"pointer": pointer}
    elif parameter is not None:
        entry["source"] = {"parameter": parameter}
    entry["meta"] = {"url": f"{ERRORS_DOC}{code}"}
    return entry


def field_problem(path: tuple[str, ...], message: str) -> dict[str, Any]:
    """One 422 entry for a body field (`("video_layout", "first", "z_pos")`), coded as
    Telnyx codes validation failures: 10004 a missing field, 10032 a value outside an
    enum, 10015 anything else."""
    pointer = "/" + "/".join(path)
    if message == REQUIRED:
        return error_entry("10004", "Missing required parameter", message, pointer=pointer)
    if is_enum_problem(message):
        return error_entry("10032", "Invalid enumerated value", message, pointer=pointer)
    return error_entry("10015", "Bad Request", message, pointer=pointer)


class TelnyxError(VendorError):
    code: ClassVar[str] = "10007"
    title: ClassVar[str] = "Unexpected error"
    default_detail: ClassVar[str | None] = "An unexpected error occurred."

    def __init__(
        self,
        detail: str | None = None,
        *,
        pointer: str | None = None,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.default_detail, headers)
        self.pointer = pointer
        self.parameter = parameter

    def body(self) -> Any:
        entry = error_entry(
            self.code, self.title, self.message, pointer=self.pointer, parameter=self.parameter
        )
        return {"errors": [entry]}


class Invalid(VendorError):
    """422 with every problem of the request body at once."""

    status = 422

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        super().__init__(entries[0].get("detail") if entries else None)
        self.entries = entries

    def body(self) -> Any:
        return {"errors": self.entries}


class BadRequest(TelnyxError):
    status = 400
    code = "10015"
    title = "Bad Request"
    default_detail = "The request could not be understood."


class InvalidPagination(TelnyxError):
    status = 400
    code = "10015"
    title = "Invalid pagination"
    default_detail = None


class Unauthenticated(TelnyxError):
    """The documented `UnauthenticatedResponse`: a key the API does not know."""

    status = 401
    code = "10009"
    title = "Authentication failed"
    default_detail = "Could not understand the provided credentials."


class MissingCredentials(Unauthenticated):
    default_detail = (
        "The required authentication headers were either invalid or not included in the request."
    )


class NotFound(TelnyxError):
    """The list envelope the rest of Telnyx's API uses (the spec's NotFoundResponseApp);
    see the package docstring for why not the single-object schema."""

    status = 404
    code = "10005"
    title = "Resource not found"
    default_detail = "The requested resource or URL could not be found."

    def __init__(self, detail: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail, pointer="/", headers=headers)


class LinkExpired(TelnyxError):
    status = 403
    code = "10010"
    title = "Authorization failed"
    default_detail = "The download URL has expired."


class LinkInvalid(LinkExpired):
    default_detail = "The download URL is not valid."


class PayloadTooLarge(TelnyxError):
    status = 413
    code = "10015"
    title = "Bad Request"
    default_detail = "The request body is too large."


class RateLimited(TelnyxError):
    status = 429
    code = "10011"
    title = "Too many requests"
    default_detail = "You have exceeded the maximum number of allowed requests."


class ServerError(AnyStatus, TelnyxError):
    """Any other status (an injected 500, 502, 503...)."""

    @property
    def title(self) -> str:  # type: ignore[override]
        try:
            return HTTPStatus(self._status).phrase
        except ValueError:
            return "Unexpected error"


RATE_LIMIT_HEADERS = {"x-ratelimit-limit": "20", "x-ratelimit-remaining": "0"}


def for_status(status: int, message: str) -> VendorError:
    """Telnyx's error for a generic HTTP problem or an injected fault."""
    if status == 429:
        # Telnyx sends the window with a 429; a script's fault may override them.
        return RateLimited(message, headers={**RATE_LIMIT_HEADERS, "x-ratelimit-reset": "1"})
    known: dict[int, type[TelnyxError]] = {
        400: BadRequest,
        401: Unauthenticated,
        404: NotFound,
        405: NotFound,  # an unknown method is an unknown route at Telnyx too
        413: PayloadTooLarge,
        415: BadRequest,
    }
    if status in known:
        return known[status](message)
    if status == 422:
        return Invalid([error_entry("10015", "Bad Request", message)])
    return ServerError(status, message)
