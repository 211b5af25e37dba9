"""What every vendor package provides, and what the core does with it.

A vendor declares its routes as data (`routes`: method, path, handler name), one
handler method per vendor operation named like it, the resource kinds it stores
(`record_types`), the states a state script may give each kind (`script_states`), and how to
turn a generic HTTP problem (unknown route, malformed JSON, oversize body, a crash)
into its own error (`http_error`). The core mounts it under its path prefix and its
real host names (`recmock.pipeline`); a vendor knows nothing about another. A handler
takes the request explicitly (`VendorRequest`) and answers a werkzeug `Response`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from recmock.errors import VendorError
from recmock.openapi import RouteDoc
from recmock.routing import Route, Routes
from recmock.store import Record, Table
from recmock.web import VendorRequest

if TYPE_CHECKING:
    from recmock.backend import Backend
    from recmock.mock import RecMock
    from recmock.vendor_actions import VendorActions


class Vendor:
    name: ClassVar[str]
    mount: ClassVar[str]  # path prefix on the mock, e.g. "/claap"
    hosts: ClassVar[tuple[str, ...]]  # real host names served without the prefix
    # The vendor's own domains: in process, a host under one of them that is not in
    # `hosts` is refused rather than let out to the real vendor (Valt is self-hosted:
    # it has no domain of its own).
    domains: ClassVar[tuple[str, ...]] = ()
    api_base: ClassVar[str] = ""  # the API's own base path, e.g. "/v1" for Claap
    routes: ClassVar[list[Route]]
    action_routes: ClassVar[list[Route]] = []  # under /_recmock/vendors/<name>
    # The same actions as Python methods of the mock (`recmock.<name>.<method>`).
    actions_type: ClassVar[type[VendorActions] | None] = None
    # handler -> what its route takes (body, query schemas), for the OpenAPI document
    route_docs: ClassVar[dict[str, RouteDoc]] = {}
    record_types: ClassVar[tuple[type[Record], ...]] = ()
    # resource kind -> the states a state script may give it; the first kind is the
    # one a script means when it names none
    script_states: ClassVar[dict[str, list[str]]] = {}

    # The vendor's rules and state (`recmock.backend.Backend`): each vendor sets it.
    backend: Backend

    def __init__(self, mock: RecMock) -> None:
        self.mock = mock
        self.tables: dict[type[Record], Table[Any]] = {
            record_type: mock.store.table(self.name, record_type)
            for record_type in self.record_types
        }
        self._actions: VendorActions | None = None

    @property
    def actions(self) -> VendorActions | None:
        """The vendor's actions (`actions_type`), made on first use: after the vendor,
        whose backend they call."""
        if self._actions is None and self.actions_type is not None:
            self._actions = self.actions_type(self.mock, self)
        return self._actions

    # -- what each vendor implements -------------------------------------------------

    def http_error(self, status: int, message: str) -> VendorError:
        """This vendor's error for a generic HTTP status (404 route, 400 bad JSON, ...)."""
        raise NotImplementedError

    def credential_parts(self, body: dict) -> tuple[str, ...]:
        """The credential to register from a `POST /_recmock/keys` body: `{"key"}` by
        default; a vendor with logins (Valt) takes a username and password instead."""
        key = body.get("key")
        if not isinstance(key, str) or not key:
            raise ValueError("key: a non-empty string is required")
        return (key,)

    def describe_credential(self, parts: tuple[str, ...]) -> dict:
        return {"key": parts[0]}

    def after_load(self) -> None:
        """A state dump was loaded: restart what a dump cannot hold (running lifecycles)."""
        self.backend.after_load()

    # -- provided --------------------------------------------------------------------

    def routing(self, prefix: str, routes: list[Route]) -> Routes:
        """`routes` under `prefix`, to find a request's handler by."""
        return Routes((method, prefix + path, handler) for method, path, handler in routes)

    def link_verdict(self, request: VendorRequest, path: str) -> str:
        """ "valid", "expired" or "invalid": the signed link `request` came by."""
        return self.backend.link_verdict(
            path, request.args.get("expires", ""), request.args.get("signature", "")
        )

    def base_url(self, request: VendorRequest) -> str:
        """This vendor's base on the mock as `request` reached it: through the path
        prefix (`http://127.0.0.1:8000/claap`) or through the vendor's host name
        (`https://api.claap.io`), or under RECMOCK_PUBLIC_URL when that is set.

        Resources keep the base they were created through, so the URLs they hand out
        later (in webhooks, outside any request) still point back at the mock."""
        public = self.mock.config.public_url
        if public:
            return public.rstrip("/") + self.mount
        mount = "" if request.host_routed else self.mount
        # The host as the client sent it (werkzeug's `host_url` would also turn an
        # IDNA host into Unicode, at a tenth of a request's time, for every link).
        return f"{request.scheme}://{request.host}{mount}"

    def default_base_url(self) -> str:
        """The base of the links of what a test's own Python call makes (there is no
        request to take it from): under RECMOCK_PUBLIC_URL when that is set, as over
        HTTP; at the live server that serves the mock, if one does; else at the
        vendor's own host, which the mock answers in process."""
        base = self.mock.config.public_url or self.mock.served_at
        if base:
            return base.rstrip("/") + self.mount
        return f"https://{self.mock.config.hosts.get(self.name, self.hosts)[0]}"
