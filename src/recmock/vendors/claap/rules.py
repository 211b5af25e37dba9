"""Claap's rules, in one place, each from Claap's documentation (docs.claap.io,
`shared/vendors/claap.md`) or, where it is silent, the assumption the package
docstring states."""

from __future__ import annotations

from datetime import timedelta

# A recording's lifecycle: Empty -> (payload) -> Uploaded -> Ready | Failed.
STATES = ["Empty", "Uploaded", "Ready", "Failed"]
# Uploaded to Ready (assumed: Claap gives no figure; long enough to see Uploaded on a
# frozen clock, short enough for a test).
PROCESSING_TIME = timedelta(seconds=10)

# At most 50 recordings created per rolling 30 days, per workspace (api-reference).
QUOTA = 50
QUOTA_WINDOW = timedelta(days=30)

# 3 calls a second per endpoint, in bursts up to 20 (the documented example shows
# X-RateLimit-Remaining: 20), and 3000 calls a rolling day, per workspace
# (api-reference/rate_limiting).
RATE_PER_SECOND = 3
RATE_BURST = 20
DAILY_CALLS = 3000
DAILY_WINDOW = timedelta(days=1)

# video.url, thumbnailUrl and the transcript URLs expire 24 hours after they were
# handed out.
SIGNED_URL_LIFETIME = timedelta(hours=24)

# A downloadUrl payload: under 2 GiB (Config.max_media_bytes), within 5 minutes.
DOWNLOAD_DEADLINE_S = 300.0

# Webhooks: the receiver answers 200 within 5 s; retried immediately, after 1 minute
# and after 5 minutes (api-reference/webhooks).
WEBHOOK_TIMEOUT_S = 5.0
WEBHOOK_RETRIES = [timedelta(0), timedelta(minutes=1), timedelta(minutes=5)]

# The tenant of a webhook target set up for every workspace.
ALL_TENANTS = "*"
