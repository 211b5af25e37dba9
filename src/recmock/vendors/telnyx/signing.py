"""Telnyx's webhook signatures: ed25519 over `{telnyx-timestamp}|{body}`, sent in
`telnyx-signature-ed25519` (telnyx.md 4.5), and the public key Telnyx's portal shows.

The key is derived from the mock's link-signing key, which a state dump carries: a
restarted mock signs with the key its receivers were given. (cryptography is imported
on first use: start-up time counts.)"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def signed_attempt(
    event: dict[str, Any], url: str, attempt: int, secret: bytes
) -> tuple[dict[str, str], bytes]:
    """Telnyx's envelope for one attempt (`data`, and `meta` with the attempt and the
    URL it goes to) and its signature headers. The timestamp is real time, not the
    mock's: receivers check it against their own clock (5 minutes' tolerance)."""
    body = json.dumps({"data": event, "meta": {"attempt": attempt, "delivered_to": url}})
    timestamp = str(int(time.time()))
    signature = signing_key(secret).sign(f"{timestamp}|{body}".encode())
    headers = {
        "telnyx-signature-ed25519": base64.b64encode(signature).decode(),
        "telnyx-timestamp": timestamp,
    }
    return headers, body.encode()


def public_key(secret: bytes) -> str:
    """The public key a receiver verifies webhooks with, base64 as Telnyx's portal
    shows it."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = signing_key(secret).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def signing_key(secret: bytes) -> Ed25519PrivateKey:
    """The ed25519 key of the mock whose link-signing key is `secret`."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = hashlib.sha256(b"recmock telnyx webhooks" + secret).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)
