"""Stored bytes (uploaded or fetched media) and the links that serve them.

A link is an unguessable token that resolves to a stored blob until it expires, so a
vendor can hand out download URLs that stop working after an hour (eyeson) or never
(Claap's video URLs) and serve the real bytes behind them.
"""

from __future__ import annotations

import base64
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Blob:
    data: bytes
    content_type: str
    filename: str | None = None


class LinkExpired(Exception):
    """The token was issued but its time is up."""


@dataclass(frozen=True)
class _Link:
    key: str
    expires_at: datetime | None


class Media:
    def __init__(self) -> None:
        self._blobs: dict[str, Blob] = {}
        self._links: dict[str, _Link] = {}
        self._lock = threading.Lock()

    def put(self, key: str, blob: Blob) -> None:
        with self._lock:
            self._blobs[key] = blob

    def get(self, key: str) -> Blob | None:
        return self._blobs.get(key)

    def delete(self, key: str) -> None:
        with self._lock:
            self._blobs.pop(key, None)
            self._links = {t: link for t, link in self._links.items() if link.key != key}

    def link(self, key: str, expires_at: datetime | None = None) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._links[token] = _Link(key, expires_at)
        return token

    def resolve(self, token: str, now: datetime) -> Blob | None:
        """The blob behind a link; None if unknown or its blob is gone; LinkExpired if late."""
        link = self._links.get(token)
        if link is None:
            return None
        if link.expires_at is not None and now >= link.expires_at:
            raise LinkExpired(token)
        return self._blobs.get(link.key)

    def clear(self, prefix: str = "") -> None:
        with self._lock:
            self._blobs = {k: b for k, b in self._blobs.items() if not k.startswith(prefix)}
            self._links = {t: lk for t, lk in self._links.items() if not lk.key.startswith(prefix)}

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
        for key, item in data.items():
            self.put(
                key,
                Blob(base64.b64decode(item["data"]), item["content_type"], item.get("filename")),
            )
