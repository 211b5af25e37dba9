"""Scoot's rules, in one place, each from Scoot's documentation (docs.scoot.app, as
`shared/vendors/scoot.md` sums it up) or, where it is silent, the assumption the
package docstring states."""

from __future__ import annotations

from datetime import timedelta

# A recording's and a transcription's `status` (scoot.md 1.3).
STATUSES = ["PROCESSING", "COMPLETE", "FAILED"]
# A recording's processing: PROCESSING when posted, COMPLETE 60 s later on the mock's
# clock (assumed: Scoot gives no figure), unless a state script says otherwise.
PROCESSING_TIME = timedelta(seconds=60)
# A transcription saved without a `status` is PROCESSING (assumed, as a recording is).
SAVED_TRANSCRIPTION_STATUS = "PROCESSING"

# A participant's `type`: VIDEO in the docs' example (scoot.md 1.3); AUDIO and SCREEN
# assumed.
PARTICIPANT_TYPES = ["VIDEO", "AUDIO", "SCREEN"]
# A recording posted without participants gets two, of the docs' type (assumed).
GENERATED_PARTICIPANTS = 2
GENERATED_PARTICIPANT_TYPE = "VIDEO"

# The API key, on every /api/v1 route (scoot.md 1.2: the docs' curl shows it on one;
# assumed on all). The account (tenant) is the key.
API_KEY_HEADER = "X-API-Key"
