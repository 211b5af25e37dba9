"""Scoot's SocialRecording and transcription bodies (docs.scoot.app api-reference
recording/processing, transcription/create), validated field by field."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from recmock.vendors.scoot.rules import PARTICIPANT_TYPES, STATUSES

UUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def canonical_uuid(text: str) -> str | None:
    """`text` as Scoot's Java service keeps a `java.util.UUID`: either case is read, lower
    case is stored and answered. None when it is no UUID."""
    return text.lower() if UUID_PATTERN.fullmatch(text) else None


class UUIDString(fields.String):
    """An id field: a UUID in either case, loaded in lower case (`canonical_uuid`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        canonical = canonical_uuid(super()._deserialize(value, attr, data, **kwargs))
        if canonical is None:
            raise ValidationError("must be a UUID")
        return canonical


def uuid_field(**kwargs: Any) -> UUIDString:
    return UUIDString(**kwargs)


class StrictBoolean(fields.Boolean):
    """JSON true or false only: not "yes", "true", 1 or 0 (Jackson refuses them too)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if type(value) is not bool:
            raise self.make_error("invalid")
        return value


class DateTimeWithTime(fields.DateTime):
    """An ISO-8601 date and time (`2023-11-07T05:31:56Z`); a bare date is not one."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str) or "T" not in value.upper():
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:  # no offset: UTC, so that any two compare
            parsed = parsed.replace(tzinfo=UTC)
        try:
            parsed.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:59:59-05:00 is past year 9999 in UTC
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from None
        return parsed


def boolean() -> fields.Boolean:
    return StrictBoolean()


def date_time() -> fields.DateTime:
    return DateTimeWithTime(format="iso")


def _time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a directory
        raise ValidationError("Not a known time zone.") from None


class FullMatch(validate.Regexp):
    """The whole value must match (marshmallow's Regexp matches a prefix). The pattern
    stays plain, so the OpenAPI document carries a valid ECMA-262 `pattern`."""

    def __call__(self, value: Any) -> Any:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def pattern(regex: str) -> validate.Regexp:
    return FullMatch(regex)


def text(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(max=1024), **kwargs)


class _Strict(Schema):
    class Meta:
        unknown = EXCLUDE  # Jackson's default: unknown properties are ignored


class UserSchema(_Strict):
    userId = uuid_field()
    name = text()
    firstName = text()
    middleName = text()
    lastName = text()
    emailAddress = fields.Email()
    emailVerified = boolean()
    preload = boolean()
    mobilePhone = fields.String(validate=pattern(r"\+?[0-9 ()-]{3,32}"))
    mobilePhoneVerified = boolean()
    mobilePhoneVerifiedWeb = boolean()
    profileId = text()
    profileImageURI = fields.Url(require_tld=False)
    profileImageId = uuid_field()
    profileImageBackground = text()
    timeZone = fields.String(validate=_time_zone)
    registeredDateTime = date_time()
    active = boolean()
    actedAs = boolean()


def _in_order(data: dict[str, Any], start: str, end: str) -> None:
    if data.get(start) and data.get(end) and data[end] < data[start]:
        raise ValidationError(f"must not be before {start}", end)


class ParticipantSchema(_Strict):
    userId = uuid_field()
    type = fields.String(validate=validate.OneOf(PARTICIPANT_TYPES))
    startDateTime = date_time()
    endDateTime = date_time()
    user = fields.Nested(UserSchema)

    @validates_schema
    def times_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        _in_order(data, "startDateTime", "endDateTime")


class SocialRecordingSchema(_Strict):
    """`socialId` and `recordingId` are required: processing needs the session and the
    file (an assumption; the docs mark nothing required)."""

    socialRecordingId = uuid_field()
    socialId = uuid_field(required=True)
    userId = uuid_field()
    recordingId = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    status = fields.String(validate=validate.OneOf(STATUSES))
    name = text()
    s3Bucket = fields.String(validate=pattern(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"))
    recordingSize = fields.Integer(strict=True, validate=validate.Range(min=0, max=2**63 - 1))
    startDateTime = date_time()
    endDateTime = date_time()
    processingStartDateTime = date_time()
    processingEndDateTime = date_time()
    participants = fields.List(fields.Nested(ParticipantSchema))
    user = fields.Nested(UserSchema)

    @validates_schema
    def times_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        _in_order(data, "startDateTime", "endDateTime")


class TranscriptionSchema(_Strict):
    socialTranscriptionId = uuid_field()
    socialRoomSetId = uuid_field(required=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    name = text()
    s3Bucket = fields.String(validate=pattern(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"))
    startDateTime = date_time()
    processingStartDateTime = date_time()
    processingEndDateTime = date_time()
    user = fields.Nested(UserSchema)
