"""A Telnyx API client on the test app, speaking as one account (API key), and a
finished room session to compose."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

KEY = "KEY0123456789ABCDEF_account_one"


class TelnyxClient:
    def __init__(self, client: FlaskClient, key: str = KEY) -> None:
        self.client = client
        self.key = key

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def post(self, path: str, body: Any) -> TestResponse:
        return self.client.post(f"/telnyx/v2{path}", json=body, headers=self.headers())

    def get(self, path: str, **query: Any) -> TestResponse:
        return self.client.get(f"/telnyx/v2{path}", query_string=query, headers=self.headers())

    def delete(self, path: str) -> TestResponse:
        return self.client.delete(f"/telnyx/v2{path}", headers=self.headers())

    def session(self, **body: Any) -> dict[str, Any]:
        """A finished room session with recordings (the vendor action)."""
        answer = self.client.post(
            "/_recmock/vendors/telnyx/sessions", json=body, headers=self.headers()
        )
        assert answer.status_code == 201, answer.json
        return answer.json

    def compose(self, session: dict[str, Any], **body: Any) -> dict[str, Any]:
        body.setdefault("session_id", session["session"]["id"])
        answer = self.post("/room_compositions", body)
        assert answer.status_code == 202, answer.json
        return answer.json["data"]

    def composition(self, composition_id: str) -> dict[str, Any]:
        return self.get(f"/room_compositions/{composition_id}").json["data"]


@pytest.fixture
def telnyx(client: FlaskClient) -> TelnyxClient:
    return TelnyxClient(client)


@pytest.fixture
def session(telnyx: TelnyxClient) -> dict[str, Any]:
    """Two participants, 90 seconds, an audio and a video recording each."""
    return telnyx.session(participants=2, duration_secs=90)


def video_ids(session: dict[str, Any]) -> list[str]:
    return [r["id"] for r in session["recordings"] if r["type"] == "video"]
