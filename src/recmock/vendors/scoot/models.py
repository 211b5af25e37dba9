"""Scoot's resources as stored: each keeps the JSON Scoot answers with (the
SocialRecording or transcription object), updated as processing goes on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from recmock.store import Record
from recmock.vendors.scoot.schemas import canonical_uuid


@dataclass
class ScootRecord(Record):
    """A resource whose id is a UUID, stored in lower case as Scoot answers it."""

    id_field: ClassVar[str]
    shown: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return dict(self.shown)

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Self:
        """A dump's record with its id in lower case, as the mock stores ids it reads,
        so that a read finds it in either case; one whose id is no UUID is refused,
        since no read could reach it."""
        record = super().from_state(data)
        canonical = canonical_uuid(record.id)
        if canonical is None:
            raise ValueError(f"{cls.kind}.id: {record.id!r} is not a UUID")
        record.id = canonical
        if cls.id_field in record.shown:
            record.shown[cls.id_field] = canonical
        return record


@dataclass
class SocialRecording(ScootRecord):
    kind = "recording"
    id_field = "socialRecordingId"


@dataclass
class Transcription(ScootRecord):
    kind = "transcription"
    id_field = "socialTranscriptionId"
