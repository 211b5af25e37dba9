"""Request schemas of Claap's API. Messages follow Claap's documented style
("Value is not a valid integer", with the field's `path`)."""

from __future__ import annotations

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from recmock.timeutil import parse_instant

SOURCES = [
    "Api", "Aircall", "GoogleMeet", "Zoom", "MsTeams", "Ringover", "Hubspot", "Upload",
    "Chrome", "Desktop", "Mobile", "Webex", "Slack",
]  # fmt: skip
DEAL_TYPES = ["attio", "hubspot", "pipedrive", "salesforce"]
SORTS = ["created_asc", "created_desc", "duration_asc", "duration_desc", "title_asc", "title_desc"]

REQUIRED = {"required": "Value is required", "null": "Value is required"}


def _string(**kwargs) -> fields.String:
    return fields.String(
        error_messages={**REQUIRED, "invalid": "Value is not a valid string"}, **kwargs
    )


class ClaapDateTime(fields.Field):
    """Claap accepts `2025-02-25T13:00:44.602Z`, `...44Z`, `...13:00Z`,
    `2025-02-25T13:00` and `2025-02-25`."""

    default_error_messages = {"invalid": "Value is not a valid date"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return parse_instant(value)
        except ValueError:
            raise self.make_error("invalid") from None


class Base(Schema):
    error_messages = {"type": "Value is not a valid object"}

    class Meta:
        unknown = EXCLUDE


class ParticipantSchema(Base):
    name = _string()
    email = fields.Email(error_messages={"invalid": "Value is not a valid email address"})
    isOrganizer = fields.Boolean(
        truthy={True}, falsy={False}, error_messages={"invalid": "Value is not a valid boolean"}
    )


class MeetingSchema(Base):
    startedAt = ClaapDateTime()
    endedAt = ClaapDateTime()
    participants = fields.List(
        fields.Nested(ParticipantSchema), error_messages={"invalid": "Value is not a valid array"}
    )

    @validates_schema
    def _ordered(self, data, **kwargs):
        if "startedAt" in data and "endedAt" in data and data["endedAt"] < data["startedAt"]:
            raise ValidationError("Value must be after startedAt", "endedAt")


class DealSchema(Base):
    id = _string(required=True, validate=validate.Length(min=1, error="Value is required"))
    type = _string(
        required=True,
        validate=validate.OneOf(DEAL_TYPES, error="Value must be one of: " + ", ".join(DEAL_TYPES)),
    )


class TranscriptOptionSchema(Base):
    type = _string(
        required=True, validate=validate.OneOf(["upload"], error="Value must be: upload")
    )


class CreateRecordingSchema(Base):
    authorEmail = fields.Email(
        required=True,
        error_messages={**REQUIRED, "invalid": "Value is not a valid email address"},
    )
    channelId = _string(
        allow_none=True, validate=validate.Length(min=1, error="Value must not be empty")
    )
    downloadUrl = fields.Url(
        allow_none=True,
        schemes={"http", "https"},
        require_tld=False,
        error_messages={"invalid": "Value is not a valid URL"},
    )
    title = _string(
        allow_none=True, validate=validate.Length(max=500, error="Value is too long (max 500)")
    )
    source = _string(
        allow_none=True,
        validate=validate.OneOf(SOURCES, error="Value must be one of: " + ", ".join(SOURCES)),
    )
    deal = fields.Nested(DealSchema, allow_none=True)
    meeting = fields.Nested(MeetingSchema, allow_none=True)
    transcript = fields.Nested(TranscriptOptionSchema, allow_none=True)


class ListRecordingsQuerySchema(Base):
    channelId = _string()
    createdAfter = ClaapDateTime()
    createdBefore = ClaapDateTime()
    labels = _string()  # a comma-separated list
    limit = fields.Integer(
        load_default=20,
        strict=False,
        validate=validate.Range(min=1, max=100, error="Value must be between 1 and 100"),
        error_messages={"invalid": "Value is not a valid integer"},
    )
    recorderEmail = _string()
    recorderId = _string()
    sort = _string(
        load_default="created_desc",
        validate=validate.OneOf(SORTS, error="Value must be one of: " + ", ".join(SORTS)),
    )
    cursor = _string()

    @pre_load
    def _plain_digits(self, data, **kwargs):
        """int() also reads full-width digits and spaces around; Claap's validation does not."""
        limit = data.get("limit")
        if isinstance(limit, str) and not (limit.isascii() and limit.lstrip("-").isdigit()):
            raise ValidationError("Value is not a valid integer", "limit")
        return data


class TranscriptQuerySchema(Base):
    format = _string(
        load_default="json",
        validate=validate.OneOf(["json", "text"], error="Value must be one of: json, text"),
    )
    lang = _string(
        validate=validate.Regexp(r"^[a-z]{2}$", error="Value must be a 2-letter language code")
    )
