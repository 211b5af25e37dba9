"""A vendor's actions: what happens at the vendor outside its REST API, for a test to
make happen. Each vendor's `actions.py` has one class for both ways in: methods named
for the HTTP call (`put_webhook`), which `/_recmock/vendors/<vendor>/...` routes to, and
the methods a test calls on the mock (`recmock.claap.set_webhook(url)`). Both call the
vendor's backend; a mistake is a 400 over HTTP and a `ValueError` from Python, with the
same message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from recmock.backend import Backend

if TYPE_CHECKING:
    from recmock.mock import RecMock
    from recmock.vendor import Vendor

B = TypeVar("B", bound=Backend)


class VendorActions(Generic[B]):
    def __init__(self, mock: RecMock, vendor: Vendor) -> None:
        self._mock = mock
        self._vendor_of = vendor
        # The vendor's own backend class, which its actions class names as B.
        self.backend: B = vendor.backend  # type: ignore[assignment]

    def _carry_out_due_events(self) -> None:
        """What the request pipeline does after every answer: what an action set off
        (a webhook) goes out before the method returns, as over HTTP."""
        if self._mock.scheduler.has_due():
            self._mock.scheduler.run_due()
