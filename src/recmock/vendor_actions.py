"""A vendor's actions (`/_recmock/vendors/<vendor>/...`) as Python methods of the mock:
`recmock.telnyx.simulate_session(participants=3)`, `recmock.claap.set_webhook(url)`.

Each method sends the action's request to the app in process and answers its JSON, so
the fixture and the HTTP API do exactly the same thing, and a mistake is refused the
same way: here as a `ValueError` carrying the control API's message.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recmock.mock import RecMock


class VendorActions:
    def __init__(self, mock: RecMock, vendor: str) -> None:
        self._mock = mock
        self._vendor = vendor

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        server = self._mock.server
        if server is None:
            raise RuntimeError("this mock has no app (build it with recmock.create_app)")
        data = json.dumps(body).encode() if body is not None else b""
        sent = [(name, value) for name, value in (headers or {}).items()]
        if body is not None:
            sent.append(("Content-Type", "application/json"))
        target = f"/_recmock/vendors/{self._vendor}{path}"
        answer = server.answer(
            method, "http", "recmock.invalid", 80, target, sent, data, trusted=True
        )
        content = answer.read()
        value = json.loads(content) if content else None
        if answer.status >= 400:
            message = value.get("error") if isinstance(value, dict) else content.decode()
            raise ValueError(f"{method} {target}: {message}")
        return value
