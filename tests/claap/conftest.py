"""A Claap API client on the test app, speaking as one workspace (API key)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

KEY = "cla_workspace_one"

# The smallest payloads that each of the seven accepted formats is recognised by.
PAYLOADS = {
    "mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64,
    "webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 64,
    "avi": b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 64,
    "wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64,
    "wmv": bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + b"\x00" * 64,
    "mp3": b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64,
    "aac": b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 64,
}


class ClaapClient:
    def __init__(self, client: FlaskClient, key: str = KEY) -> None:
        self.client = client
        self.key = key

    def headers(self) -> dict[str, str]:
        return {"X-Claap-Key": self.key}

    def create(self, **body: Any) -> TestResponse:
        body.setdefault("authorEmail", "jane.doe@acme.com")
        return self.client.post("/claap/v1/recordings", json=body, headers=self.headers())

    def created(self, **body: Any) -> dict[str, Any]:
        response = self.create(**body)
        assert response.status_code == 200, response.json
        return response.json["result"]["recording"]

    def get(self, recording_id: str) -> TestResponse:
        return self.client.get(f"/claap/v1/recordings/{recording_id}", headers=self.headers())

    def state(self, recording_id: str) -> str:
        return self.get(recording_id).json["result"]["recording"]["state"]

    def list(self, **query: Any) -> TestResponse:
        return self.client.get("/claap/v1/recordings", query_string=query, headers=self.headers())

    def upload(self, recording: dict[str, Any], data: bytes) -> TestResponse:
        return self.client.put(recording["upload"]["url"], data=data)

    def ready_after_reads(self, mock, reads: int) -> dict[str, Any]:
        """A recording uploaded as MP4 whose script keeps it Uploaded until it has been
        read `reads` times, then makes it Ready."""
        mock.scripts.add(
            {
                "vendor": "claap",
                "timeline": [{"state": "Uploaded"}, {"after_reads": reads, "state": "Ready"}],
            }
        )
        recording = self.created()
        assert self.upload(recording, PAYLOADS["mp4"]).status_code == 200
        return recording

    def ready(self, mock, **body: Any) -> dict[str, Any]:
        """A recording uploaded as MP4 and processed to Ready."""
        recording = self.created(**body)
        assert self.upload(recording, PAYLOADS["mp4"]).status_code == 200
        mock.clock.advance(timedelta(seconds=10))
        return self.get(recording["id"]).json["result"]["recording"]


@pytest.fixture
def claap(client: FlaskClient) -> ClaapClient:
    return ClaapClient(client)
