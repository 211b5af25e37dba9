"""What happens at Valt outside its REST API, for a test to make happen: a test reads
the key that verifies download tokens, as a client verifying them would have it from
the server's configuration. Over HTTP as `GET /_recmock/vendors/valt/public_key`
(`get_public_key`, in the control API's shape) and as a method of the mock
(`recmock.valt.public_key()`)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from recmock.vendor_actions import VendorActions
from recmock.vendors.valt.backend import ValtBackend
from recmock.web import VendorRequest, json_response


class ValtActions(VendorActions[ValtBackend]):
    # -- from Python (the mock's methods) ------------------------------------------------

    def public_key(self) -> dict[str, Any]:
        """The key that verifies download tokens: `kid`, `alg` (PS512), `public_key`
        (PEM) and `jwk`."""
        return self.backend.public_key()

    # -- over HTTP (/_recmock/vendors/valt/...) ------------------------------------------

    def get_public_key(self, request: VendorRequest) -> Response:
        """The key that verifies download tokens: PEM, and as a JWK with its `kid`."""
        return json_response(self.backend.public_key())
