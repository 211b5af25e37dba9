"""The eyeson API's operations a recording client uses over HTTP, one handler each: each
reads what the request carries (`params.py`), calls the backend, and answers eyeson's
JSON or status."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from recmock.openapi import RouteDoc
from recmock.vendor import Vendor
from recmock.vendors.eyeson import errors
from recmock.vendors.eyeson.backend import EyesonBackend
from recmock.vendors.eyeson.models import Participant, Recording, Room, WebhookTarget
from recmock.vendors.eyeson.params import (
    instant,
    load,
    page_number,
    read_params,
    webhook_types,
)
from recmock.vendors.eyeson.routes import API
from recmock.vendors.eyeson.rules import SCRIPT_STATES
from recmock.vendors.eyeson.schemas import GuestParams, RoomParams, WebhookParams
from recmock.web import VendorRequest, json_response, no_content

if TYPE_CHECKING:
    from recmock.mock import RecMock


class EyesonVendor(Vendor):
    name = "eyeson"
    mount = "/eyeson"
    hosts = ("api.eyeson.team",)
    domains = ("eyeson.team", "eyeson.com")
    routes = API
    record_types = (Room, Participant, Recording, WebhookTarget)
    script_states = SCRIPT_STATES
    route_docs = {
        "create_room": RouteDoc(body=RoomParams, status=201),
        "shutdown_room": RouteDoc(status=204),
        "join_as_guest": RouteDoc(body=GuestParams, status=201),
        "start_recording": RouteDoc(status=201),
        "register_webhook": RouteDoc(body=WebhookParams, status=201),
        "delete_webhook": RouteDoc(status=204),
    }

    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock)
        self.backend: EyesonBackend = EyesonBackend(mock)

    def http_error(self, status: int, message: str) -> errors.EyesonError:
        return errors.for_status(status, message)

    # -- rooms -----------------------------------------------------------------------

    def create_room(self, request: VendorRequest) -> Response:
        """Create a meeting, or join the running one with the same custom `id`."""
        tenant = self._authenticate(request)
        raw = read_params(request)
        raw.setdefault("user", {})  # so a missing user is reported as user[name]
        params = load(RoomParams, raw)
        shown = self.backend.create_room(tenant, params, self.base_url(request))
        return json_response(shown, 201)

    def list_rooms(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        return json_response(self.backend.running_rooms(tenant))

    def get_room(self, request: VendorRequest, access_key: str) -> Response:
        return json_response(self.backend.read_meeting(access_key, self.base_url(request)))

    def shutdown_room(self, request: VendorRequest, room_id: str) -> Response:
        """Force-stop a meeting: a running recording stops, `room_update` says
        `shutdown: true`, and the meeting's access keys answer 410."""
        tenant = self._authenticate(request)
        self.backend.shutdown_room(tenant, room_id)
        return no_content()

    def join_as_guest(self, request: VendorRequest, guest_token: str) -> Response:
        user = load(GuestParams, read_params(request))
        shown = self.backend.join_as_guest(guest_token, user, self.base_url(request))
        return json_response(shown, 201)

    # -- recordings ------------------------------------------------------------------

    def start_recording(self, request: VendorRequest, access_key: str) -> Response:
        """201 and no body; 405 when the room's options turn recording off, 406 while
        the meeting is not ready or a recording already runs."""
        self.backend.start_recording(access_key, self.base_url(request))
        return no_content(201)

    def stop_recording(self, request: VendorRequest, access_key: str) -> Response:
        self.backend.stop_recording(access_key)
        return no_content(200)

    def get_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request)
        return json_response(self.backend.read_recording(tenant, recording_id))

    def delete_recording(self, request: VendorRequest, recording_id: str) -> Response:
        tenant = self._authenticate(request)
        self.backend.delete_recording(tenant, recording_id)
        return no_content(200)

    def list_room_recordings(self, request: VendorRequest, room_id: str) -> Response:
        """A bare array, newest first, 25 a page (`page` from 1); `started_at` picks the
        meeting instance running then, `since`/`until` bound the creation time."""
        tenant = self._authenticate(request)
        page = page_number(request.args.get("page"))
        started_at = instant(request, "started_at")
        since = instant(request, "since")
        until = instant(request, "until")
        shown = self.backend.room_recordings(tenant, room_id, page, started_at, since, until)
        return json_response(shown)

    def download_recording(
        self, request: VendorRequest, instance_id: str, file_name: str
    ) -> Response:
        """The download link: no API key, and it stops working an hour after it was
        handed out (docs: "Direct URLs to downloads expire after one hour")."""
        verdict = self.link_verdict(request, f"/files/meetings/{instance_id}/{file_name}")
        data = self.backend.recording_file(file_name, verdict)
        # conditional: send_file answers the Range requests video players send.
        return send_file(io.BytesIO(data), request.environ, mimetype="video/webm", conditional=True)

    # -- webhooks --------------------------------------------------------------------

    def register_webhook(self, request: VendorRequest) -> Response:
        """One webhook per API key: registering again replaces it."""
        tenant = self._authenticate(request)
        params = load(WebhookParams, read_params(request))
        types = webhook_types(params["types"])
        target = self.backend.register_webhook(tenant, params["url"], types)
        return json_response(target.to_json(None, None), 201)

    def get_webhook(self, request: VendorRequest) -> Response:
        tenant = self._authenticate(request)
        return json_response(self.backend.webhook(tenant))

    def delete_webhook(self, request: VendorRequest, webhook_id: str) -> Response:
        tenant = self._authenticate(request)
        self.backend.delete_webhook(tenant, webhook_id)
        return no_content()

    # -- helpers ---------------------------------------------------------------------

    def _authenticate(self, request: VendorRequest) -> str:
        """The tenant: the API key the request's `Authorization` carries, bare."""
        return self.backend.authenticate(request.headers.get("Authorization", ""))
