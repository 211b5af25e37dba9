"""Claap fetching a recording's `downloadUrl` itself, as it documents: the payload's
bytes, or why it failed."""

from __future__ import annotations

import time


def download(url: str, limit: int, deadline_s: float) -> bytes | str:
    """GET a downloadUrl as Claap does: the bytes, or why it failed (an error status,
    unreachable, more than `limit` bytes, longer than `deadline_s`)."""
    import requests  # here, not at start-up: it is slow to import

    from recmock.outbound import OutboundSession

    started = time.monotonic()
    chunks: list[bytes] = []
    size = 0
    try:
        with (
            OutboundSession() as session,
            session.get(url, stream=True, timeout=(10, 30)) as answer,
        ):
            if answer.status_code >= 400:
                return f"downloadUrl answered {answer.status_code}"
            for chunk in answer.iter_content(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    return "downloadUrl gave more than the 2 GiB limit"
                if time.monotonic() - started > deadline_s:
                    return "downloadUrl took over 5 minutes"
                chunks.append(chunk)
    except requests.RequestException as exc:
        return f"downloadUrl unreachable: {type(exc).__name__}"
    return b"".join(chunks)
