"""Claap's vendor actions as methods of the mock: `recmock.claap.set_webhook(url)`.

Claap's support sets a workspace's webhook up by hand, and people edit recordings in
Claap's app; neither is a REST call. `key` names the workspace (its `X-Claap-Key`);
without it, a webhook serves every workspace and an edit finds the recording in any.
"""

from __future__ import annotations

from typing import Any

from recmock.vendor_actions import VendorActions


class ClaapActions(VendorActions):
    def set_webhook(
        self, url: str, secret: str | None = None, *, key: str | None = None
    ) -> dict[str, str]:
        """Where Claap posts `recording_added` and `recording_updated`; answers the
        webhook (`id`, `url`, `secret`, `workspace`). A workspace has one webhook."""
        body: dict[str, Any] = {"url": url}
        if secret is not None:
            body["secret"] = secret
        return self._call("PUT", "/webhook", body, _workspace(key))["webhook"]

    def webhooks(self) -> list[dict[str, str]]:
        """Every workspace's webhook."""
        return self._call("GET", "/webhook")["webhooks"]

    def remove_webhook(self, *, key: str | None = None) -> None:
        self._call("DELETE", "/webhook", headers=_workspace(key))

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
        body: dict[str, Any] = {}
        if title is not None:
            body["title"] = title
        if labels is not None:
            body["labels"] = labels
        answer = self._call("PATCH", f"/recordings/{recording_id}", body, _workspace(key))
        return answer["result"]["recording"]


def _workspace(key: str | None) -> dict[str, str]:
    return {"X-Claap-Key": key} if key is not None else {}
