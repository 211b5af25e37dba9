"""Scoot's rules and state: SocialRecordings and their processing (PROCESSING ->
COMPLETE | FAILED), and transcriptions. No HTTP here: the handlers (`handlers.py`)
call it with the bodies they loaded and the ids they read, and it answers Scoot's JSON
or raises Scoot's errors. The people a body leaves out are made up in `fake.py`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from recmock.backend import Backend
from recmock.scripts import Step
from recmock.store import Table
from recmock.timeutil import parse_instant
from recmock.vendors.scoot import fake
from recmock.vendors.scoot.errors import ScootError
from recmock.vendors.scoot.formats import as_json, iso
from recmock.vendors.scoot.models import ScootRecord, SocialRecording, Transcription
from recmock.vendors.scoot.rules import PROCESSING_TIME, SAVED_TRANSCRIPTION_STATUS, STATUSES

if TYPE_CHECKING:
    from recmock.mock import RecMock

R = TypeVar("R", bound=ScootRecord)


class ScootBackend(Backend):
    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock, "scoot", {"recording": STATUSES})
        self.recordings = mock.store.table(self.name, SocialRecording)
        self.transcriptions = mock.store.table(self.name, Transcription)

    def error(self, status: int, message: str, **details: Any) -> ScootError:
        """Scoot's error, stamped with the mock's time."""
        return ScootError(status, message, at=self.mock.now(), **details)

    def authenticate(self, key: str) -> str:
        """The account of an API key (the tenant is the key); 401 for none, or one the
        mock does not accept."""
        if not key or not key.isprintable() or not self.mock.credentials.accepts(self.name, key):
            raise self.error(401, "A valid X-API-Key header is required")
        return key

    # -- recordings ------------------------------------------------------------------

    def process_recording(self, tenant: str, data: dict[str, Any]) -> dict[str, Any]:
        """Starts processing: the SocialRecording as sent, `PROCESSING`, with
        `processingStartDateTime` now, and the people it leaves out made up. Posting
        an id again restarts its processing; another account's id is a 409."""
        now = self.mock.now()
        data["socialRecordingId"] = data.get("socialRecordingId") or self.mock.ids.uuid()
        data["status"] = "PROCESSING"
        data["processingStartDateTime"] = now
        data.pop("processingEndDateTime", None)
        fake.fill_people(data, self.mock.ids, self.mock.fake)
        shown = as_json(data)
        with self.mock.store.atomic():
            found = self.recordings.find(shown["socialRecordingId"])
            if found is not None and found.tenant != tenant:
                raise ScootError(409, "socialRecordingId belongs to another account", at=now)
            self.recordings.put(tenant, SocialRecording(id=shown["socialRecordingId"], shown=shown))
            scripted = self.mock.scripts.timeline_for(self.name, "recording", shown)
            default = [Step("COMPLETE", after=PROCESSING_TIME)]
            self.start_lifecycle(shown["socialRecordingId"], scripted or default)
        return shown

    def read_recording(self, tenant: str, recording_id: str) -> dict[str, Any]:
        """The recording as the read leaves it: the read counts toward an `after_reads`
        step first, which may move it on."""
        recording = self._stored(self.recordings, tenant, recording_id)
        self.mock.lifecycles.note_read(self.lifecycle_key(recording.id))
        return recording.to_json()

    # -- transcriptions --------------------------------------------------------------

    def save_transcription(self, tenant: str, data: dict[str, Any]) -> dict[str, Any]:
        """The transcription as sent (PROCESSING without a `status`); saving an id again
        replaces it; another account's id is a 409."""
        data["socialTranscriptionId"] = data.get("socialTranscriptionId") or self.mock.ids.uuid()
        data.setdefault("status", SAVED_TRANSCRIPTION_STATUS)
        shown = as_json(data)
        with self.mock.store.atomic():
            found = self.transcriptions.find(shown["socialTranscriptionId"])
            if found is not None and found.tenant != tenant:
                raise self.error(409, "socialTranscriptionId belongs to another account")
            self.transcriptions.put(
                tenant, Transcription(id=shown["socialTranscriptionId"], shown=shown)
            )
        return shown

    def read_transcription(self, tenant: str, transcription_id: str) -> dict[str, Any]:
        return self._stored(self.transcriptions, tenant, transcription_id).to_json()

    def _stored(self, table: Table[R], tenant: str, record_id: str) -> R:
        """The account's record of that (lower-case) id; 404 for none."""
        found = table.get(tenant, record_id)
        if found is None:
            kind, id_field = table.record_type.kind, table.record_type.id_field
            raise self.error(404, f"No {kind} with {id_field} {record_id}")
        return found

    # -- lifecycle: PROCESSING -> COMPLETE | FAILED ------------------------------------

    def enter_state(self, resource_id: str, state: str, at: datetime) -> str | None:
        with self.mock.store.atomic():
            found = self.recordings.find(resource_id)
            if found is None:
                return None
            shown = found.record.shown
            shown["status"] = state
            if state == "PROCESSING":
                shown.pop("processingEndDateTime", None)
            else:
                shown["processingEndDateTime"] = iso(at)
        return f"scoot recording {resource_id} is {state}"

    def after_load(self) -> None:
        """Recordings caught processing complete when they would have: the processing
        time counts from `processingStartDateTime`, not from the load."""
        with self.mock.store.atomic():
            now = self.mock.now()
            for tenant in self.recordings.tenants():
                for recording in self.recordings.all(tenant):
                    shown = recording.shown
                    if shown.get("status") != "PROCESSING":
                        continue
                    started = parse_instant(shown.get("processingStartDateTime") or now.isoformat())
                    remaining = max(started + PROCESSING_TIME - now, timedelta(0))
                    self.start_lifecycle(recording.id, [Step("COMPLETE", after=remaining)])
