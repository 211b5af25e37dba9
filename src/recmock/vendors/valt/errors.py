"""Valt's error bodies, as the IVS wiki documents them: `{"error": {"code", "message"}}`
for API errors, the RFC 2616-style body for a 404, `{"data": ...}` for a failed login
and for room-recording answers."""

from __future__ import annotations

from typing import Any

from recmock.errors import VendorError


class ValtError(VendorError):
    """`{"error": {"code": 401, "message": "Bad credentials."}}` and its kin."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message, headers)
        self._status = status

    @property
    def status_code(self) -> int:
        return self._status

    def body(self) -> Any:
        return {"error": {"code": self._status, "message": self.message}}


class NotFound(VendorError):
    """The RFC 2616-style 404 of Valt's Symfony backend (wiki, API Upload Recording)."""

    status = 404

    def body(self) -> Any:
        return {
            "type": "https://tools.ietf.org/html/rfc2616#section-10",
            "title": "An error occurred",
            "status": 404,
            "detail": "Not Found",
        }


class LoginFailed(VendorError):
    status = 401

    def body(self) -> Any:
        return {"data": "Invalid username or password"}


class RoomRecordingNotFound(VendorError):
    """wiki, API Stop Recording."""

    status = 404

    def body(self) -> Any:
        return {"data": {"message": "Recording in room not found", "status": False}, "code": 404}


class RoomAlreadyRecording(VendorError):
    status = 400

    def body(self) -> Any:
        return {"data": {"message": "Room is already recording", "status": False}, "code": 400}


def no_token() -> ValtError:
    return ValtError(401, "No API token provided")


def bad_credentials() -> ValtError:
    return ValtError(401, "Bad credentials.")


def invalid_payload(status: int = 500) -> ValtError:
    """A malformed create-upload body (500) or a file upload without a file (400)."""
    return ValtError(status, "Invalid request payload")


def malformed_search() -> ValtError:
    """A malformed search body (wiki, API List Recordings)."""
    return ValtError(500, "JSON Body Formatted Incorrectly")


def for_status(status: int, message: str) -> VendorError:
    if status in (404, 405):
        return NotFound(message)
    if status == 401:
        return bad_credentials()
    if status == 500:
        return ValtError(500, "Internal Server Error")
    return ValtError(status, message)
