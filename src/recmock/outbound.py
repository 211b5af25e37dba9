"""What the mock itself sends out (webhook deliveries, Claap's downloadUrl fetches) goes
to the test's own machine more often than not.

`requests` sends through the environment's HTTP_PROXY or HTTPS_PROXY to every host
that NO_PROXY does not list, 127.0.0.1 included. Docker gives every container
HTTP_PROXY when its daemon has a proxy, and then a receiver on the test's loopback was
"unreachable". Go's net/http never proxies loopback; recmock does the same, and keeps
the environment's proxy for every other host.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# None for a scheme stops requests from filling it in from the environment.
_DIRECT = {"http": None, "https": None, "all": None}


def proxies_for(url: str) -> dict[str, None] | None:
    """`proxies=` for a request to `url`: none for a loopback host, the environment's
    (requests' default) for any other."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return _DIRECT
    try:
        return _DIRECT if ipaddress.ip_address(host).is_loopback else None
    except ValueError:
        return None
