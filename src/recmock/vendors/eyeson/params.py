"""A request's parameters as eyeson takes them. eyeson's clients send them three ways
(`shared/vendors/eyeson.md` 5.5): JSON (eyeson-node), a form with bracket keys
(`user[name]=Ann`: eyeson-go, eyeson-ruby) and the query string (a Python client); the
mock reads all three into one dict, checks it with a schema (`schemas.py`) and names a
bad parameter the bracket way."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from recmock.timeutil import parse_instant
from recmock.validation import first_problem, shared_schema
from recmock.vendors.eyeson import errors
from recmock.vendors.eyeson.rules import WEBHOOK_TYPES
from recmock.web import VendorRequest, json_body, read_stream

_DEEPEST_KEY = 3  # options[a][b] at most
_BRACKETS = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")


def read_params(request: VendorRequest) -> dict[str, Any]:
    """The request's parameters however the client sent them: query string, a form with
    bracket keys (`user[name]`), or JSON; eyeson's clients send all three."""
    merged: dict[str, Any] = {}
    for key, value in [*request.args.items(), *_form_items(request)]:
        _put(merged, key, value)
    if request.is_json:
        body = json_body(request, optional=True)
        if not isinstance(body, dict):
            raise errors.BadRequest("Parameters must be a JSON object")
        _merge(merged, body)
    return merged


def load(schema: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    """`data` checked and converted by `schema`; a `BadRequest` naming the first bad
    parameter (`user[name]: ...`) otherwise."""
    try:
        loaded: dict[str, Any] = shared_schema(schema).load(data)
    except SchemaError as exc:
        path, message = first_problem(exc.messages)
        name = path[0] + "".join(f"[{p}]" for p in path[1:]) if path else "parameters"
        raise errors.BadRequest(f"{name}: {message}") from None
    return loaded


def page_number(value: str | None) -> int:
    """`page`, counting from 1 (1 when absent)."""
    if value is None:
        return 1
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise errors.BadRequest("page: must be a whole number")
    return max(1, int(value))


def instant(request: VendorRequest, name: str) -> datetime | None:
    """An ISO 8601 query parameter (`started_at`, `since`, `until`), or None."""
    value = request.args.get(name)
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError:
        raise errors.BadRequest(f"{name}: not an ISO 8601 timestamp") from None


def webhook_types(value: object) -> list[str]:
    """`types` as eyeson takes it: comma-separated, or a list."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise errors.BadRequest(f"types: one or more of {', '.join(WEBHOOK_TYPES)}")
    types = [str(item).strip() for item in items]
    unknown = [t for t in types if t not in WEBHOOK_TYPES]
    if unknown:
        raise errors.BadRequest(f"types: unknown {unknown}; one or more of {list(WEBHOOK_TYPES)}")
    return types


def _form_items(request: VendorRequest) -> list[tuple[str, str]]:
    """The form's fields. The body is read before werkzeug parses the form from it, so
    the journal still has it. A chunked form has no length to refuse up front: it is
    read up to the body limit (`read_stream`, which keeps it for the journal too) and
    refused whole (werkzeug would cut it short silently)."""
    if request.mimetype != "application/x-www-form-urlencoded":
        return list(request.form.items())
    if request.content_length is not None:
        request.get_data(cache=True)
        return list(request.form.items())
    raw = read_stream(request, request.max_content_length or 0)
    if raw is None:
        raise errors.PayloadTooLarge()
    return parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)


def _put(into: dict[str, Any], key: str, value: str) -> None:
    """`user[name]=Ann` into {"user": {"name": "Ann"}}; keys nested deeper than eyeson's
    own (two levels) are refused."""
    matched = _BRACKETS.fullmatch(key)
    if not matched:
        return
    path = [matched[1], *re.findall(r"\[([^\[\]]*)\]", matched[2])]
    if len(path) > _DEEPEST_KEY:
        raise errors.BadRequest(f"{key[:60]}: nested deeper than eyeson's parameters")
    node = into
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[path[-1]] = value


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    """A JSON body's parameters over the query's and form's, object into object."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
