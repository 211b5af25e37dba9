"""An OpenAPI 3 document per vendor, made from what the mock already has: the routes
(data), the marshmallow schemas the handlers load bodies and queries with, and each
handler's docstring. Served at `GET /_recmock/openapi/<vendor>.json`, so a client team
can see (and a fuzzer can try) exactly what the mock checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marshmallow import Schema

if TYPE_CHECKING:
    from recmock.vendor import Vendor

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _inline(schema: type[Schema]) -> str:
    """apispec's resolver: no name, so the schema is inlined where it is used (apispec
    documents None for that; its annotation says str)."""
    return None  # type: ignore[return-value]


@dataclass(frozen=True)
class RouteDoc:
    """What a route takes beyond its path: a body and a query (marshmallow schemas),
    and its success status."""

    body: type[Schema] | None = None
    query: type[Schema] | None = None
    status: int = 200
    media_type: str = "application/json"


def vendor_document(vendor: Vendor, version: str) -> dict[str, Any]:
    from apispec import APISpec  # on first use: start-up time counts
    from apispec.ext.marshmallow import MarshmallowPlugin

    spec = APISpec(
        title=f"recmock: {vendor.name}",
        version=version,
        openapi_version="3.0.3",
        # Inline every schema: several are made at run time with the same class name.
        plugins=[MarshmallowPlugin(schema_name_resolver=_inline)],
        servers=[{"url": vendor.mount, "description": "this mock, by path prefix"}],
    )
    for method, rule, handler in vendor.routes:
        doc = vendor.route_docs.get(handler, RouteDoc())
        operation: dict[str, Any] = {
            "operationId": handler,
            "summary": _summary(getattr(vendor, handler)),
            "parameters": _path_parameters(rule),
            "responses": {
                str(doc.status): {"description": "Success"},
                "default": {
                    "description": f"An error, in {vendor.name}'s own error body",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
            },
        }
        if doc.query is not None:
            operation["parameters"].append({"in": "query", "schema": doc.query})
        if doc.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {doc.media_type: {"schema": doc.body}},
            }
        spec.path(path=_CONVERTER.sub(r"{\2}", rule), operations={method.lower(): operation})
    return spec.to_dict()


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    return [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": {"type": "integer" if converter == "int" else "string"},
        }
        for converter, name in _CONVERTER.findall(rule)
    ]


def _summary(handler: Any) -> str:
    text = (handler.__doc__ or handler.__name__.replace("_", " ")).strip()
    return " ".join(text.split("\n\n")[0].split())
