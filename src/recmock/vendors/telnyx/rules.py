"""Telnyx's rules, in one place, each from Telnyx's documents (the OpenAPI document
`shared/vendors/telnyx-room-compositions.openapi.json` and `shared/vendors/telnyx.md`) or,
where they are silent, the assumption the package docstring states. The request
schemas' field-by-field ranges (a region's `z_pos`, a room's `max_participants`...) are
in `schemas.py`, as the OpenAPI schemas state them."""

from __future__ import annotations

from datetime import timedelta

# A composition's lifecycle: enqueued -> processing -> completed (telnyx.md 4.6). The
# status enum has no `failed`: a composition a state script fails shows `processing`,
# and the `video.room.composition.failed` webhook says what happened (assumed).
STATES = ["enqueued", "processing", "completed", "failed"]
# Enqueued to processing, and processing to completed (assumed: Telnyx gives no
# figures; long enough to see each status on a frozen clock, short enough for a test).
QUEUED_FOR = timedelta(seconds=5)
PROCESSING_TIME = timedelta(seconds=30)

# `download_url` is a pre-signed link, fresh in every answer, valid for 10 minutes of
# the mock's time (telnyx.md 4.6: assumed, the documents give no expiry).
DOWNLOAD_URL_LIFETIME = timedelta(minutes=10)

# Webhooks go to `webhook_event_url`, then to `webhook_event_failover_url` when the
# primary fails (telnyx.md 4.5), each attempt abandoned after the resource's
# `webhook_timeout_secs`, 0..30 and null by default (telnyx.md 4.2); 10 s when it is
# unset, and no later retries (assumed).
WEBHOOK_TIMEOUT_S = 10.0
MAX_WEBHOOK_TIMEOUT_S = 30
WEBHOOK_RETRIES: list[timedelta] = []

# Lists: `page[number]` from 1, `page[size]` 1..250 and 20 by default (telnyx.md 4.1,
# the OpenAPI `video_PageConsolidated`). Newest first; `total_pages` is at least 1, as
# the SDK's paginator expects (assumed, telnyx.md 4.1).
FIRST_PAGE = 1
PAGE_SIZE = 20
MAX_PAGE_SIZE = 250

# A composition's `video_layout`: at most 2 regions ("Limited to 2 regions"); its
# `resolution`: width and height each 16..1280, and width * height at most 1280 * 720
# (telnyx.md 4.2, CreateRoomCompositionRequest). A region is at least 16 pixels a side.
MAX_REGIONS = 2
MIN_SIDE = 16
MAX_SIDE = 1280
MAX_AREA = 1280 * 720
