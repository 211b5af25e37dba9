"""Scoot's resources as stored: each keeps the JSON Scoot answers with (the
SocialRecording or transcription object), updated as processing goes on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from recmock.store import Record


@dataclass
class SocialRecording(Record):
    kind = "recording"
    shown: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return dict(self.shown)


@dataclass
class Transcription(Record):
    kind = "transcription"
    shown: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return dict(self.shown)
