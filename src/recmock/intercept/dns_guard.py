"""No vendor host is looked up in DNS while a mock answers in process.

The interceptions answer a vendor host without a socket, so none of them ever resolves
one. A lookup means a client that nothing intercepts (`urllib.request`, `http.client`,
pycurl through Python's resolver, ...) is about to reach the real vendor. The lookup
fails (`socket.gaierror`, which every client reports as its own connection error) with
a message that says why, and the host is noted so that the pytest fixture can fail the
test at teardown even when the code under test swallowed the error.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

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

    def undo() -> None:
        if socket.getaddrinfo is getaddrinfo:
            socket.getaddrinfo = original

    return undo
