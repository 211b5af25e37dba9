"""No vendor host is looked up in DNS, or asked of a proxy, while a mock answers in
process.

The interceptions answer a vendor host without a socket, so none of them ever resolves
one. A lookup means a client that nothing intercepts (`urllib.request`, `http.client`,
pycurl through Python's resolver, ...) is about to reach the real vendor. The lookup
fails (`socket.gaierror`, which every client reports as its own connection error) with
a message that says why, and the host is noted so that the pytest fixture can fail the
test at teardown even when the code under test swallowed the error.

Through a proxy (HTTPS_PROXY) such a client resolves only the proxy's host: the vendor
host goes in the proxy's CONNECT (`http.client`'s `set_tunnel`) or in an absolute URL
(`putrequest`). Those are refused and noted the same way; urllib3's own in-process
connections, which never reach a proxy for a vendor host, are left to answer.
"""

from __future__ import annotations

import http.client
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from recmock.intercept.urllib3_connections import InProcessHTTPConnection

if TYPE_CHECKING:
    from recmock.intercept.interception import Interception, Undo

_CLIENTS = "requests, urllib3, httpx and aiohttp"


def install(interception: Interception) -> Undo:
    original = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        table = interception.table
        if table is not None and isinstance(host, str | bytes):
            name = host.decode("idna", "replace") if isinstance(host, bytes) else host
            vendor = table.vendor_of(name)
            if vendor is not None:
                table.note_unintercepted(name)
                raise socket.gaierror(
                    socket.EAI_NONAME,
                    f"recmock: a client it does not intercept looked up {name} ({vendor});"
                    f" recmock answers {_CLIENTS} in process, and for any other client"
                    " the recmock_server fixture gives a base URL (url_for)",
                )
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo

    original_set_tunnel = http.client.HTTPConnection.set_tunnel
    original_putrequest = http.client.HTTPConnection.putrequest

    def refuse(host: str | None) -> None:
        table = interception.table
        vendor = table.vendor_of(host) if table is not None and host else None
        if table is None or vendor is None or host is None:
            return
        table.note_unintercepted(host)
        raise OSError(
            f"recmock: a client it does not intercept asked a proxy for {host} ({vendor});"
            f" recmock answers {_CLIENTS} in process, and for any other client the"
            " recmock_server fixture gives a base URL (url_for)"
        )

    def set_tunnel(connection: http.client.HTTPConnection, host: str, *args: Any, **kw: Any) -> Any:
        if not isinstance(connection, InProcessHTTPConnection):
            refuse(_host_of(host))
        return original_set_tunnel(connection, host, *args, **kw)

    def putrequest(
        connection: http.client.HTTPConnection, method: str, url: str, *args: Any, **kw: Any
    ) -> Any:
        if "://" in url[:8] and not isinstance(connection, InProcessHTTPConnection):
            refuse(urlsplit(url).hostname)
        return original_putrequest(connection, method, url, *args, **kw)

    setattr(http.client.HTTPConnection, "set_tunnel", set_tunnel)  # noqa: B010
    setattr(http.client.HTTPConnection, "putrequest", putrequest)  # noqa: B010

    def undo() -> None:
        if socket.getaddrinfo is getaddrinfo:
            socket.getaddrinfo = original
        if http.client.HTTPConnection.set_tunnel is set_tunnel:
            setattr(http.client.HTTPConnection, "set_tunnel", original_set_tunnel)  # noqa: B010
        if http.client.HTTPConnection.putrequest is putrequest:
            setattr(http.client.HTTPConnection, "putrequest", original_putrequest)  # noqa: B010

    return undo


def _host_of(host_and_port: str) -> str:
    """`api.claap.io:443` -> `api.claap.io` (a bracketed IPv6 address keeps its colons)."""
    if host_and_port.startswith("["):
        return host_and_port[1:].partition("]")[0]
    return host_and_port.rpartition(":")[0] if host_and_port.count(":") == 1 else host_and_port
