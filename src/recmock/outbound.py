"""What the mock itself sends out (webhook deliveries, Claap's downloadUrl fetches) goes
to the test's own machine more often than not.

`requests` sends through the environment's HTTP_PROXY or HTTPS_PROXY to every host
that NO_PROXY does not list, 127.0.0.1 included. Docker gives every container
HTTP_PROXY when its daemon has a proxy, and then a receiver on the test's loopback was
"unreachable". Go's net/http never proxies loopback; recmock does the same, redirects
included, and keeps the environment's proxy for every other host.

Imported where the first request goes out: `requests` is slow to import, and start-up
counts.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

import requests


class OutboundSession(requests.Session):
    """A requests session that reaches loopback hosts directly and any other host as
    the environment says."""

    def merge_environment_settings(self, url: Any, proxies: Any, *args: Any) -> dict[str, Any]:
        settings = super().merge_environment_settings(url, proxies, *args)
        if is_loopback(url):
            settings["proxies"] = {}
        return settings

    def rebuild_proxies(self, prepared_request: Any, proxies: Any) -> dict[str, str]:
        """On a redirect: requests looks the proxy up again for the new URL."""
        rebuilt = super().rebuild_proxies(prepared_request, proxies)
        if not is_loopback(prepared_request.url):
            return rebuilt
        prepared_request.headers.pop("Proxy-Authorization", None)  # no proxy to tell
        return {}


def is_loopback(url: str | bytes | None) -> bool:
    """127.0.0.0/8, ::1 (also IPv4-mapped), `localhost` and its subdomains."""
    try:
        text = url.decode() if isinstance(url, bytes) else url or ""
        host = (urlsplit(text).hostname or "").rstrip(".")
    except (ValueError, UnicodeError):
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback
