"""Request schemas of eyeson's API, over the parameters however they came (`params.py`:
query string, bracket-keyed form or JSON). A problem is reported in eyeson's bracket
style: `user[name]: Missing data for required field.`"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate


class UserParams(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String()
    name = fields.String(required=True, validate=validate.Length(min=1))
    avatar = fields.String(allow_none=True)


class RoomParams(Schema):
    """POST /rooms: `user[name]` is required (docs rest/references/room)."""

    class Meta:
        unknown = EXCLUDE

    id = fields.String(validate=validate.Length(min=1, max=128))
    name = fields.String()
    user = fields.Nested(UserParams, required=True)
    options = fields.Dict(keys=fields.String(), load_default=dict)


class GuestParams(UserParams):
    """POST /guests/{guest_token}: the guest's own `name`, `id`, `avatar`."""


class WebhookParams(Schema):
    class Meta:
        unknown = EXCLUDE

    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False)
    types = fields.Raw(required=True)
