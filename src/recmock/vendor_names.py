"""Vendor names and paths as a test writes them, checked: a misspelt vendor is refused
rather than matching nothing, and a path written with the mock's prefix
(`/claap/v1/recordings`) means the vendor's own path (`/v1/recordings`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class VendorNames:
    def __init__(self, mounts: Mapping[str, str]) -> None:
        self.mounts = dict(mounts)  # vendor -> its path prefix on the mock

    def __iter__(self) -> Iterator[str]:
        return iter(self.mounts)

    def check(self, name: object) -> str:
        """`name` if it is a vendor's; ValueError saying which ones are, otherwise."""
        if isinstance(name, str) and name in self.mounts:
            return name
        raise ValueError(self.refusal(name))

    def refusal(self, name: object) -> str:
        return f"unknown vendor {name!r} (one of {', '.join(self.mounts)})"

    def own_path(self, vendor: str, path: str) -> str:
        """The vendor's own path: `path` without the mock's prefix for `vendor`, if it
        carries it (no vendor's own paths begin with its mount)."""
        mount = self.mounts[vendor]
        if path == mount or path.startswith(mount + "/"):
            return path[len(mount) :] or "/"
        return path

    def split(self, path: str) -> tuple[str | None, str]:
        """(vendor, its own path) for a path under a vendor's prefix, else (None, path)."""
        for vendor in self.mounts:
            own = self.own_path(vendor, path)
            if own != path:
                return vendor, own
        return None, path
