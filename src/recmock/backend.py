"""What every vendor's backend builds on: the vendor's rules and state, with no HTTP.

A backend holds a vendor's resources (its tables in the store), carries out its rules
(quotas, lifecycles, retention, link and token lifetimes, named in the vendor's
`rules.py`) and answers in records and the vendor's errors. The vendor's handlers turn
a request into a backend call and the result into the vendor's JSON; its actions call
the backend too. So every rule can run, and be tested, without a request.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recmock.mock import RecMock
    from recmock.scripts import Step


class Backend:
    def __init__(self, mock: RecMock, vendor: str, script_states: dict[str, list[str]]) -> None:
        self.mock = mock
        self.name = vendor
        # resource kind -> the states a state script may give it; the first kind is the
        # one a script means when it names none
        self.script_states = script_states

    def enter_state(self, resource_id: str, state: str, at: datetime) -> str | None:
        """A lifecycle step is due: give the resource `state` (and do what comes with
        it, webhooks included). Answers what happened, for `fired`, or None when the
        resource is gone."""
        raise NotImplementedError

    def after_load(self) -> None:
        """A state dump was loaded: restart what a dump cannot hold (running lifecycles)."""

    def start_lifecycle(self, resource_id: str, steps: list[Step], kind: str | None = None) -> None:
        """Run `steps` for a resource of a scripted kind (by default the first of
        `script_states`), replacing any lifecycle it had."""
        self.mock.lifecycles.start(
            self.name,
            self.lifecycle_key(resource_id, kind),
            steps,
            lambda state, at: self.enter_state(resource_id, state, at),
        )

    def lifecycle_key(self, resource_id: str, kind: str | None = None) -> str:
        return f"{self.name}/{kind or next(iter(self.script_states))}/{resource_id}"

    def signed_url(self, base: str, path: str, lifetime: timedelta) -> str:
        """A download link that needs no credential and stops working `lifetime` after
        now on the mock's clock (Claap 24 h, Telnyx 10 min, eyeson 1 h)."""
        expires_at = self.mock.now() + lifetime
        return f"{base}{path}?{self.mock.signer.query(path, expires_at)}"

    def link_verdict(self, path: str, expires: str, signature: str) -> str:
        """ "valid", "expired" or "invalid": a signed link's `expires` and `signature`."""
        return self.mock.signer.check(path, expires, signature, self.mock.now())
