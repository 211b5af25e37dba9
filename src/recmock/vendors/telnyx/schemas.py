"""Request bodies and list queries of Telnyx's video API (the OpenAPI schemas
CreateRoomCompositionRequest, VideoRegion, the deepObject `filter[...]` and `page[...]`
query parameters), as marshmallow schemas. Each rule the documents state is here (the
limits named in `rules.py`); the rules that need the store (a session that exists,
recordings of that session) are in the backend."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from recmock.vendors.telnyx.rules import (
    FIRST_PAGE,
    MAX_AREA,
    MAX_PAGE_SIZE,
    MAX_SIDE,
    MAX_WEBHOOK_TIMEOUT_S,
    MIN_SIDE,
    PAGE_SIZE,
)

REQUIRED = "This field is required."
INTEGER = "Must be an integer."
_RESOLUTION = re.compile(r"([1-9][0-9]{0,4})x([1-9][0-9]{0,4})")  # ASCII digits only
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def one_of(choices: list[str]) -> validate.OneOf:
    return validate.OneOf(choices, error="Must be one of: {choices}.")


def is_enum_problem(message: str) -> bool:
    return message.startswith("Must be one of:")


def _resolution(value: str) -> None:
    """Both sides 16..1280 and at most 1280 * 720 pixels in all (the request schema)."""
    matched = _RESOLUTION.fullmatch(value)
    if not matched:
        raise ValidationError("Must be WIDTHxHEIGHT in pixels, as in 1280x720.")
    width, height = int(matched[1]), int(matched[2])
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ValidationError("Width and height must each be between 16 and 1280.")
    if width * height > MAX_AREA:
        raise ValidationError("Width * height must not exceed 1280 * 720.")


def _uuid(value: str) -> None:
    if not _UUID.fullmatch(value):
        raise ValidationError("Must be a valid UUID.")


def _url_or_empty(value: str) -> None:
    """An http(s) URL with a host ("Must include a scheme, such as 'https'"); the
    failover URL's default is the empty string."""
    if value and not _is_web_url(value):
        raise ValidationError("Must be a URL including a scheme, such as 'https'.")


def _is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        port = parts.port  # raises for a port out of range
    except ValueError:
        return False
    whitespace = any(c.isspace() for c in value)
    return (
        parts.scheme in ("http", "https") and bool(parts.hostname) and port != 0 and not whitespace
    )


def _integer(**kwargs: Any) -> fields.Integer:
    """An integer in a JSON body: no 2.0, no "2"."""
    return fields.Integer(strict=True, error_messages={"invalid": INTEGER}, **kwargs)


class QueryInteger(fields.Integer):
    """An integer in a query string: ASCII digits only (`int()` would also take "+3",
    " 1" and other scripts' digits)."""

    default_error_messages = {"invalid": INTEGER}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        text = value if isinstance(value, str) else ""
        digits = text[1:] if text.startswith("-") else text
        if not (digits.isascii() and digits.isdigit()):
            raise self.make_error("invalid")
        return int(text)


class VideoSources(fields.Field):
    """Recording ids, or `"*"` for every video recording of the session (also
    accepted inside the list, as `["*"]`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value == "*":
            return "*"
        if not isinstance(value, list):
            raise ValidationError('Must be a list of recording ids, or "*".')
        problems = {}
        for index, item in enumerate(value):
            if item == "*":
                continue
            if not isinstance(item, str) or not _UUID.fullmatch(item):
                problems[index] = ["Must be a recording id (a UUID)."]
        if problems:
            raise ValidationError(problems)
        return ["*"] if "*" in value else list(value)


class VideoRegionSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    x_pos = _integer(allow_none=True)
    y_pos = _integer(allow_none=True)
    z_pos = _integer(allow_none=True, validate=validate.Range(-99, 99))
    height = _integer(allow_none=True, validate=validate.Range(min=MIN_SIDE))
    width = _integer(allow_none=True, validate=validate.Range(min=MIN_SIDE))
    max_columns = _integer(allow_none=True, validate=validate.Range(1, 1000))
    max_rows = _integer(allow_none=True, validate=validate.Range(1, 1000))
    video_sources = VideoSources()


class WebhookFields(Schema):
    webhook_event_url = fields.String(allow_none=True, validate=_url_or_empty)
    webhook_event_failover_url = fields.String(
        allow_none=True, load_default="", validate=_url_or_empty
    )
    webhook_timeout_secs = _integer(
        allow_none=True, validate=validate.Range(0, MAX_WEBHOOK_TIMEOUT_S)
    )


class CreateRoomCompositionSchema(WebhookFields):
    class Meta:
        unknown = EXCLUDE

    session_id = fields.String(required=True, validate=_uuid, error_messages={"required": REQUIRED})
    format = fields.String(load_default="mp4", validate=one_of(["mp4"]))
    resolution = fields.String(load_default="1280x720", validate=_resolution)
    # At most MAX_REGIONS regions: the handler counts them, as marshmallow checks a
    # map's length only when every region is valid.
    video_layout = fields.Dict(
        keys=fields.String(), values=fields.Nested(VideoRegionSchema), load_default=dict
    )


class CreateRoomSchema(WebhookFields):
    class Meta:
        unknown = EXCLUDE

    unique_name = fields.String(allow_none=True)
    max_participants = _integer(load_default=10, validate=validate.Range(2, 50))
    enable_recording = fields.Boolean(load_default=False)


class SimulatedSessionSchema(Schema):
    """The body of `POST /_recmock/vendors/telnyx/sessions`."""

    class Meta:
        unknown = EXCLUDE

    room_id = fields.String(validate=_uuid)
    participants = _integer(load_default=2, validate=validate.Range(1, 50))
    duration_secs = _integer(load_default=60, validate=validate.Range(1, 86400))
    recordings = fields.Boolean(load_default=True)


# -- list queries -------------------------------------------------------------------


def _page_fields() -> dict[str, fields.Field]:
    return {
        "page_number": QueryInteger(
            data_key="page[number]",
            load_default=FIRST_PAGE,
            validate=validate.Range(min=FIRST_PAGE),
        ),
        "page_size": QueryInteger(
            data_key="page[size]",
            load_default=PAGE_SIZE,
            validate=validate.Range(1, MAX_PAGE_SIZE),
        ),
    }


def _dates(name: str) -> dict[str, fields.Field]:
    """`filter[<name>][eq|gte|lte]=YYYY-MM-DD`."""
    return {
        f"{name}_{op}": fields.Date(data_key=f"filter[{name}][{op}]") for op in ("eq", "gte", "lte")
    }


def _list_query(filters: dict[str, fields.Field], *ranges: str) -> type[Schema]:
    declared: dict[str, fields.Field] = {**_page_fields(), **filters}
    for name in ranges:
        declared.update(_dates(name))
    schema = Schema.from_dict(declared)

    class Query(schema):  # type: ignore[valid-type,misc]
        class Meta:
            unknown = EXCLUDE  # Telnyx ignores query parameters it does not know

    return Query


def _filter(name: str, **kwargs: Any) -> fields.String:
    return fields.String(data_key=f"filter[{name}]", **kwargs)


ListRoomCompositionsQuery = _list_query(
    {
        "status": _filter("status", validate=one_of(["completed", "processing", "enqueued"])),
        "session_id": _filter("session_id", validate=_uuid),
    },
    "date_created_at",
)

ListRoomsQuery = _list_query(
    {
        "unique_name": _filter("unique_name"),
        "include_sessions": fields.Boolean(load_default=False),
    },
    "date_created_at",
    "date_updated_at",
)

ListRoomSessionsQuery = _list_query(
    {
        "room_id": _filter("room_id", validate=_uuid),
        "active": fields.Boolean(data_key="filter[active]"),
        "include_participants": fields.Boolean(load_default=False),
    },
    "date_created_at",
    "date_updated_at",
    "date_ended_at",
)

ListRoomRecordingsQuery = _list_query(
    {
        "room_id": _filter("room_id", validate=_uuid),
        "session_id": _filter("session_id", validate=_uuid),
        "participant_id": _filter("participant_id", validate=_uuid),
        "status": _filter("status", validate=one_of(["completed", "processing"])),
        "type": _filter("type", validate=one_of(["audio", "video"])),
        **{
            f"duration_secs_{op}": QueryInteger(data_key=f"filter[duration_secs][{op}]")
            for op in ("eq", "gte", "lte")
        },
    },
    "date_started_at",
    "date_ended_at",
)
