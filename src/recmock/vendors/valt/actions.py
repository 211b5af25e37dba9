"""Valt's vendor action as a method of the mock: `recmock.valt.public_key()`."""

from __future__ import annotations

from typing import Any

from recmock.vendor_actions import VendorActions


class ValtActions(VendorActions):
    def public_key(self) -> dict[str, Any]:
        """The key that verifies download tokens: `kid`, `alg` (PS512), `public_key`
        (PEM) and `jwk`."""
        return self._call("GET", "/public_key")
