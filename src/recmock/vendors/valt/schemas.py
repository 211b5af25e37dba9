"""Valt's request bodies (IVS wiki: API Upload Recording, API List Recordings), as the
handlers load them and the OpenAPI document shows them."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from recmock.vendors.valt.rules import DATE_FORMAT, DEFAULT_PAGE_SIZE, NAME_MAX_LENGTH

# How the OpenAPI document shows Valt's dates: MM-DD-YYYY, not ISO.
_VALT_DATE = {"format": "MM-DD-YYYY", "pattern": "^[0-9]{2}-[0-9]{2}-[0-9]{4}$",
              "example": "03-02-2026"}  # fmt: skip


class ShareParams(Schema):
    class Meta:
        unknown = EXCLUDE

    users = fields.List(fields.Integer(strict=True), load_default=list)
    groups = fields.List(fields.Integer(strict=True), load_default=list)


class CreateUploadParams(Schema):
    """`name` is required; `template` maps field ids to values (wiki, API Upload
    Recording)."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Length(min=1, max=NAME_MAX_LENGTH))
    template = fields.Dict(keys=fields.String(), load_default=dict)
    share = fields.Nested(ShareParams, load_default=dict)


class SearchParams(Schema):
    """`start_date`/`end_date` as MM-DD-YYYY (wiki, API List Recordings)."""

    class Meta:
        unknown = EXCLUDE

    search = fields.String()
    start_date = fields.Date(format=DATE_FORMAT, metadata=_VALT_DATE)
    end_date = fields.Date(format=DATE_FORMAT, metadata=_VALT_DATE)
    filter = fields.String()
    offset = fields.Integer(strict=True, validate=validate.Range(min=0), load_default=0)
    limit = fields.Integer(
        strict=True, validate=validate.Range(min=1), load_default=DEFAULT_PAGE_SIZE
    )
