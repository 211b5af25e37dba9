"""What eyeson's answers carry that the mock does not serve, made up in eyeson's shape
(docs rest/references/room, `shared/vendors/eyeson.md` 5.1): the team's name, a room's
and a user's SIP account, the links to eyeson's web app and realtime socket, and the
signaling details a video client would connect with."""

from __future__ import annotations

import hashlib
from typing import Any

SIP_DOMAIN = "sip.eyeson.team"


def team_name(tenant: str) -> str:
    """The API key's team: the same name for the same key, every time."""
    return f"Team {hashlib.sha256(tenant.encode()).hexdigest()[:6]}"


def sip_account(user: str, password: str, display_name: str) -> dict[str, Any]:
    return {
        "uri": f"{user}@{SIP_DOMAIN}",
        "domain": SIP_DOMAIN,
        "authorizationUser": user,
        "password": password,
        "wsServers": f"wss://{SIP_DOMAIN}",
        "displayName": display_name,
        "enabled": True,
    }


def app_links(access_key: str, guest_token: str) -> dict[str, str]:
    """A meeting's `links` besides `self`: eyeson's web app, for the user and for
    guests, and its realtime socket."""
    return {
        "gui": f"https://app.eyeson.team/?{access_key}",
        "guest_join": f"https://app.eyeson.team/?guest={guest_token}",
        "websocket": f"wss://api.eyeson.team/rt?access_key={access_key}",
    }


def signaling(client_id: str, conf_id: str) -> dict[str, Any]:
    return {
        "type": "sepp",
        "options": {
            "client_id": client_id,
            "conf_id": conf_id,
            "endpoint": "wss://sig.eyeson.com/call",
            "stun_servers": ["stun:stun.eyeson.com:3478"],
            "turn_servers": [],
        },
    }
