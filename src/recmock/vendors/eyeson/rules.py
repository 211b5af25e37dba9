"""eyeson's rules, in one place, each from eyeson's documentation (docs.eyeson.com
rest/references and rest/advanced, `shared/vendors/eyeson.md`) or, where it is silent,
the assumption the package docstring states."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

# The states a state script may give each kind. A recording is started (duration and
# download null), stopped (duration set) or finished (both set) (docs recording page);
# a room is starting until it is `ready`. Recording comes first: it is the kind a
# script means when it names none.
RECORDING_STATES = ["started", "stopped", "finished"]
ROOM_STATES = ["starting", "ready"]
SCRIPT_STATES = {"recording": RECORDING_STATES, "room": ROOM_STATES}

# A new room is ready 2 s after it was created, and a stopped recording finished (its
# file ready) 10 s after the stop, on the mock's clock (the package docstring's
# figures: eyeson gives none; a state script can change both).
READY_AFTER = timedelta(seconds=2)
FINISH_AFTER = timedelta(seconds=10)

# "Direct URLs to downloads expire after one hour": each answer hands out a fresh link
# (docs recording page).
DOWNLOAD_LINK_LIFETIME = timedelta(hours=1)

# Recordings are kept up to 14 days after they were created, then destroyed (docs
# recording page).
RETENTION = timedelta(days=14)

# GET /rooms/{room_id}/recordings: 25 recordings a page (docs recording page), newest
# first and `page` counting from 1 (assumed).
PAGE_SIZE = 25

# A room's options where POST /rooms does not set them, as its answer's `options` shows
# them (docs rest/references/room; `recording_available` is true unless turned off).
DEFAULT_OPTIONS: dict[str, Any] = {
    "show_names": True,
    "show_label": True,
    "exit_url": None,
    "recording_available": True,
    "broadcast_available": True,
    "layout_available": True,
    "reaction_available": True,
    "locked": False,
    "sfu_mode": "ptp",
    "widescreen": False,
}

# Webhooks: one per API key, for one or more of these types (docs register_webhooks;
# `snapshot_update` from eyeson-go's webhook fixture). The receiver has 10 s to answer
# (assumed: the docs give no figure) and a failed delivery is not retried (the package
# docstring's assumption).
WEBHOOK_TYPES = ("room_update", "recording_update", "snapshot_update")
WEBHOOK_TIMEOUT_S = 10.0
# The header carrying the hex HMAC-SHA256 of the body, keyed with the API key (docs
# register_webhooks; verified so in eyeson-go's webhook.go).
SIGNATURE_HEADER = "X-Eyeson-Signature"
