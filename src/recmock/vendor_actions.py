"""A vendor's actions: what happens at the vendor outside its REST API, for a test to
make happen. Each vendor's `actions.py` has one class for both ways in: methods named
for the HTTP call (`put_webhook`), which `/_recmock/vendors/<vendor>/...` routes to, and
the methods a test calls on the mock (`recmock.claap.set_webhook(url)`). Both call the
vendor's backend; a mistake is a 400 over HTTP and a `ValueError` from Python, with the
same message.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recmock.mock import RecMock
    from recmock.vendor import Vendor


class VendorActions:
    def __init__(self, mock: RecMock, vendor: Vendor) -> None:
        self._mock = mock
        self._vendor = vendor.name
        self.backend: Any = getattr(vendor, "backend", None)

    def _carry_out_due_events(self) -> None:
        """What the request pipeline does after every answer: what an action set off
        (a webhook) goes out before the method returns, as over HTTP."""
        if self._mock.scheduler.has_due():
            self._mock.scheduler.run_due()

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
