"""An eyeson client on the test app, speaking as one team (API key)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

API_KEY = "eyeson_team_key_0123456789"


class EyesonClient:
    def __init__(self, client: FlaskClient, key: str = API_KEY) -> None:
        self.client = client
        self.key = key

    def team(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        """A team call: the bare API key in Authorization."""
        headers = {"Authorization": self.key, **kwargs.pop("headers", {})}
        return self.client.open(f"/eyeson{path}", method=method, headers=headers, **kwargs)

    def meeting(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        """A meeting call: the access key in the path is the credential."""
        return self.client.open(f"/eyeson{path}", method=method, **kwargs)

    def room(self, **params: Any) -> dict[str, Any]:
        params.setdefault("user", {"name": "Jane Doe"})
        answer = self.team("POST", "/rooms", json=params)
        assert answer.status_code == 201, answer.json
        return answer.json

    def ready_room(self, mock, **params: Any) -> dict[str, Any]:
        room = self.room(**params)
        mock.clock.advance(timedelta(seconds=2))
        return room

    def recording_of(self, room_id: str) -> dict[str, Any]:
        """The room's newest recording (lists are newest first)."""
        return self.team("GET", f"/rooms/{room_id}/recordings").json[0]

    def record(self, mock, room: dict[str, Any], seconds: int = 60) -> dict[str, Any]:
        """Start, run `seconds`, stop and finish: a recording with its download link."""
        key = room["access_key"]
        assert self.meeting("POST", f"/rooms/{key}/recording").status_code == 201
        mock.clock.advance(timedelta(seconds=seconds))
        assert self.meeting("DELETE", f"/rooms/{key}/recording").status_code == 200
        mock.clock.advance(timedelta(seconds=10))
        return self.recording_of(room["room"]["id"])


@pytest.fixture
def eyeson(client: FlaskClient) -> EyesonClient:
    return EyesonClient(client)
