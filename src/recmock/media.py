"""Stored bytes (uploaded or fetched media) and signed, expiring links to them, so a
vendor can hand out download URLs that stop working after a day (Claap) or an hour
(eyeson) of the mock's time, and serve the real bytes behind them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any


def mp4_seconds(data: bytes) -> int | None:
    """An MP4's length in whole seconds, from its movie header (`moov` > `mvhd`: a time
    scale and a duration in its units, ISO/IEC 14496-12 8.2.2); None for bytes that
    are no MP4 with a movie header, or whose header says the length is unknown."""
    movie = _box_payload(memoryview(data), b"moov")
    header = _box_payload(movie, b"mvhd") if movie is not None else None
    if header is None or len(header) < 20:
        return None
    if header[0] == 1:  # version 1: 64-bit times and duration
        if len(header) < 32:
            return None
        time_scale, duration = struct.unpack(">IQ", header[20:32])
        unknown = 2**64 - 1
    else:
        time_scale, duration = struct.unpack(">II", header[12:20])
        unknown = 2**32 - 1
    if not time_scale or duration == unknown:
        return None
    return round(duration / time_scale)


# The boxes looked at before giving up: `moov` comes among the first few in any file a
# camera or encoder writes, and a file of tiny boxes would otherwise take seconds.
_MAX_BOXES = 1000


def _box_payload(data: memoryview, kind: bytes) -> memoryview | None:
    """The payload of the first box of `kind` among the boxes `data` is made of."""
    offset = 0
    for _ in range(_MAX_BOXES):
        if offset + 8 > len(data):
            return None
        size, name = struct.unpack(">I4s", data[offset : offset + 8])
        start = offset + 8
        if size == 1 and offset + 16 <= len(data):  # a 64-bit size follows the name
            size = struct.unpack(">Q", data[start : start + 8])[0]
            start += 8
        elif size == 0:  # the box runs to the end
            size = len(data) - offset
        if size < start - offset:
            return None
        if name == kind:
            return data[start : offset + size]
        offset += size
    return None


@dataclass(frozen=True)
class Blob:
    data: bytes
    content_type: str
    filename: str | None = None


class UrlSigner:
    """Signs the paths of download links with an expiry, like a CDN's signed URLs: the
    link carries `expires` (epoch seconds) and an HMAC over path and expiry, so it
    can be checked without storing it, and stops working when the mock's clock
    passes the expiry."""

    def __init__(self) -> None:
        self.key = secrets.token_bytes(32)  # dumped with the state: links survive restarts

    def query(self, path: str, expires_at: datetime) -> str:
        expires = int(expires_at.timestamp())
        return f"expires={expires}&signature={self._signature(path, expires)}"

    def check(self, path: str, expires: str, signature: str, now: datetime) -> str:
        """ "valid", "expired" or "invalid" (forged, or not a link of this mock)."""
        if not (
            expires.isascii() and expires.isdigit() and len(expires) <= 12
        ) or not hmac.compare_digest(
            self._signature(path, int(expires)).encode(), signature.encode("utf-8", "replace")
        ):
            return "invalid"
        return "valid" if now.timestamp() < int(expires) else "expired"

    def _signature(self, path: str, expires: int) -> str:
        message = f"{path}\n{expires}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:32]


class Media:
    def __init__(self) -> None:
        self._blobs: dict[str, Blob] = {}
        self._lock = threading.Lock()

    def put(self, key: str, blob: Blob) -> None:
        with self._lock:
            self._blobs[key] = blob

    def get(self, key: str) -> Blob | None:
        return self._blobs.get(key)

    def delete(self, key: str) -> None:
        with self._lock:
            self._blobs.pop(key, None)

    def clear(self, prefix: str = "") -> None:
        with self._lock:
            self._blobs = {k: b for k, b in self._blobs.items() if not k.startswith(prefix)}

    def dump(self, prefix: str) -> dict[str, Any]:
        with self._lock:
            return {
                key: {
                    "content_type": blob.content_type,
                    "filename": blob.filename,
                    "data": base64.b64encode(blob.data).decode(),
                }
                for key, blob in self._blobs.items()
                if key.startswith(prefix)
            }

    def load(self, data: dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise ValueError("media must be an object of keys")
        for key, item in data.items():
            try:
                blob = Blob(
                    base64.b64decode(item["data"], validate=True),
                    str(item["content_type"]),
                    item.get("filename"),
                )
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"media {key!r}: needs base64 `data` and `content_type`") from None
            self.put(key, blob)
