"""What happens at Claap outside its REST API, for a test to make happen: Claap's
support sets a workspace's webhook up by hand, and people edit recordings in Claap's
app. Over HTTP under `/_recmock/vendors/claap/` (the `put_webhook`... handlers, in the
control API's shape), and as methods of the mock (`recmock.claap.set_webhook(url)`).

A workspace is named by its key (`X-Claap-Key` over HTTP, `key=` from Python); without
one, a webhook serves every workspace and an edit finds the recording in any.
"""

from __future__ import annotations

from typing import Any

from werkzeug import exceptions as http
from werkzeug.wrappers import Response

from recmock.vendor_actions import VendorActions
from recmock.vendors.claap.backend import ClaapBackend
from recmock.vendors.claap.rules import ALL_TENANTS
from recmock.web import VendorRequest, json_object, json_response, no_content


class ClaapActions(VendorActions[ClaapBackend]):
    # -- from Python (the mock's methods) ------------------------------------------------

    def set_webhook(
        self, url: str, secret: str | None = None, *, key: str | None = None
    ) -> dict[str, str]:
        """Where Claap posts `recording_added` and `recording_updated`; answers the
        webhook (`id`, `url`, `secret`, `workspace`). A workspace has one webhook."""
        workspace = self._workspace(key)
        return self.backend.set_webhook(workspace, url, secret).to_json(workspace)

    def webhooks(self) -> list[dict[str, str]]:
        """Every workspace's webhook."""
        return self.backend.webhooks()

    def remove_webhook(self, *, key: str | None = None) -> None:
        self.backend.remove_webhook(self._workspace(key))

    def edit_recording(
        self,
        recording_id: str,
        *,
        title: str | None = None,
        labels: list[str] | None = None,
        key: str | None = None,
    ) -> dict[str, Any]:
        """A person edits the recording in Claap's app: Claap sends `recording_updated`
        for a recording it has announced. Answers the recording as Claap shows it."""
        try:
            shown = self.backend.edit_recording(self._workspace(key), recording_id, title, labels)
        except LookupError as exc:
            raise ValueError(str(exc)) from None
        self._carry_out_due_events()
        return shown

    def _workspace(self, key: str | None) -> str:
        if key is None:
            return ALL_TENANTS
        if not self.backend.accepts_key(key):
            raise ValueError("key: not a Claap key this mock accepts")
        return key

    # -- over HTTP (/_recmock/vendors/claap/...) -----------------------------------------

    def put_webhook(self, request: VendorRequest) -> Response:
        workspace = self._request_workspace(request)
        body = json_object(request)
        try:
            target = self.backend.set_webhook(workspace, body.get("url"), body.get("secret"))
        except ValueError as exc:
            raise http.BadRequest(str(exc)) from None
        return json_response({"webhook": target.to_json(workspace)})

    def get_webhooks(self, request: VendorRequest) -> Response:
        return json_response({"webhooks": self.backend.webhooks()})

    def delete_webhook(self, request: VendorRequest) -> Response:
        self.backend.remove_webhook(self._request_workspace(request))
        return no_content()

    def patch_recording(self, request: VendorRequest, recording_id: str) -> Response:
        workspace = self._request_workspace(request)
        body = json_object(request)
        try:
            shown = self.backend.edit_recording(
                workspace, recording_id, body.get("title"), body.get("labels")
            )
        except ValueError as exc:
            raise http.BadRequest(str(exc)) from None
        except LookupError as exc:
            raise http.NotFound(str(exc)) from None
        return json_response({"result": {"recording": shown}})

    def _request_workspace(self, request: VendorRequest) -> str:
        key = request.headers.get("X-Claap-Key")
        if key is None:
            return ALL_TENANTS
        if not self.backend.accepts_key(key):
            raise http.Unauthorized("X-Claap-Key: not a key this mock accepts")
        return key
