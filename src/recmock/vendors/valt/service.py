"""The Valt API's operations for uploading and downloading records, one handler each."""

from __future__ import annotations

import io
import secrets
import threading
import uuid
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote_plus

from marshmallow import EXCLUDE, Schema, fields, validate
from marshmallow import ValidationError as SchemaError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType
from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from recmock.media import Blob, mp4_seconds
from recmock.mock import RecMock
from recmock.openapi import RouteDoc
from recmock.store import Table
from recmock.validation import shared_schema
from recmock.vendor import Vendor
from recmock.vendors.valt import errors
from recmock.vendors.valt.actions import ValtActions
from recmock.vendors.valt.models import ApiToken, SigningKey, ValtRecord
from recmock.vendors.valt.routes import ACTIONS, API
from recmock.web import VendorRequest, json_body, json_response

DEFAULT_HOST = "valt.example.com"
DOWNLOAD_TOKEN_LIFETIME = timedelta(seconds=1800)
_TOKENS_KEPT = 100_000
_SERVER = "valt-server"  # the tenant the server's own signing key is stored under


# How the OpenAPI document shows Valt's dates: MM-DD-YYYY, not ISO.
_VALT_DATE = {"format": "MM-DD-YYYY", "pattern": "^[0-9]{2}-[0-9]{2}-[0-9]{4}$",
              "example": "03-02-2026"}  # fmt: skip


class ShareParams(Schema):
    class Meta:
        unknown = EXCLUDE

    users = fields.List(fields.Integer(strict=True), load_default=list)
    groups = fields.List(fields.Integer(strict=True), load_default=list)


class CreateUploadParams(Schema):
    """`name` is required; `template` maps field ids to values (wiki, API Upload
    Recording)."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    template = fields.Dict(keys=fields.String(), load_default=dict)
    share = fields.Nested(ShareParams, load_default=dict)


class SearchParams(Schema):
    """`start_date`/`end_date` as MM-DD-YYYY (wiki, API List Recordings)."""

    class Meta:
        unknown = EXCLUDE

    search = fields.String()
    start_date = fields.Date(format="%m-%d-%Y", metadata=_VALT_DATE)
    end_date = fields.Date(format="%m-%d-%Y", metadata=_VALT_DATE)
    filter = fields.String()
    offset = fields.Integer(strict=True, validate=validate.Range(min=0), load_default=0)
    limit = fields.Integer(strict=True, validate=validate.Range(min=1), load_default=100)


class ValtVendor(Vendor):
    name = "valt"
    mount = "/valt"
    hosts = (DEFAULT_HOST,)
    api_base = "/api/v3"
    routes = API
    action_routes = ACTIONS
    actions_type = ValtActions
    record_types = (ValtRecord, ApiToken, SigningKey)
    route_docs = {
        "create_upload": RouteDoc(body=CreateUploadParams),
        "upload_video": RouteDoc(media_type="multipart/form-data", status=201),
        "list_records": RouteDoc(body=SearchParams),
    }

    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock)
        self.records: Table = self.tables[ValtRecord]
        self.tokens: Table = self.tables[ApiToken]
        self.signing_keys: Table = self.tables[SigningKey]
        self._signing_lock = threading.Lock()
        self._loaded: tuple[Any, str] | None = None  # the stored key, parsed once
        # The record each download token was made for: the JWT itself names only the
        # host, but a user's link must not open another user's record.
        self._token_records: dict[str, str] = {}

    def http_error(self, status: int, message: str) -> errors.VendorError:
        return errors.for_status(status, message)

    def credential_parts(self, body: dict) -> tuple[str, ...]:
        """Valt users log in with a username and password (local or LDAP)."""
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not username:
            raise ValueError("username: a non-empty string is required")
        if not isinstance(password, str) or not password:
            raise ValueError("password: a non-empty string is required")
        return (username, password)

    def describe_credential(self, parts: tuple[str, ...]) -> dict:
        return {"username": parts[0]}

    # -- the API ---------------------------------------------------------------------

    def login(self, request: VendorRequest) -> Response:
        """`{"data": {"access_token": <32 hex>}}`; once users are registered through the
        control API, anyone else gets 401 `{"data": "Invalid username or password"}`."""
        try:
            body = json_body(request)
        except (BadRequest, UnsupportedMediaType):  # a 413 stays a 413
            raise errors.LoginFailed() from None
        if not isinstance(body, dict):
            raise errors.LoginFailed()
        username, password = body.get("username"), body.get("password")
        if not (isinstance(username, str) and username and isinstance(password, str) and password):
            raise errors.LoginFailed()
        if not self.mock.credentials.accepts(self.name, username, password):
            raise errors.LoginFailed()
        token = ApiToken(id=secrets.token_hex(16), username=username)
        self.tokens.put(username, token)
        return json_response({"data": {"access_token": token.id}})

    def create_upload(self, request: VendorRequest) -> Response:
        """Part one of an upload: the record and its video's id."""
        tenant = self._authenticate(request)
        params = _load(CreateUploadParams, self._payload(request), errors.invalid_payload)
        record = ValtRecord(
            id=self.mock.ids.uuid(),
            name=params["name"],
            template=params["template"],
            share=params["share"],
            created=self.mock.now(),
            author={"id": _user_number(tenant), "name": tenant},
            video_id=self.mock.ids.uuid(),
        )
        self.records.put(tenant, record)
        return json_response({"id": record.id, "videos": [record.video_id]})

    def upload_video(self, request: VendorRequest, record_id: str, video_id: str) -> Response:
        """Part two: the file as multipart/form-data (any one file part; `file` first).
        201; 400 without a file part."""
        tenant = self._authenticate(request)
        record = self._video(tenant, record_id, video_id)
        request.max_content_length = self.mock.config.max_media_bytes
        try:
            files = request.files
        except BadRequest:
            raise errors.invalid_payload(400) from None
        upload = files.get("file") or next(iter(files.values()), None)
        if upload is None:
            raise errors.invalid_payload(400)
        data = upload.read()
        if not data:
            raise errors.invalid_payload(400)
        seconds = mp4_seconds(data) or 0  # outside the store's lock: the file can be large
        with self.mock.store.atomic():  # the record may have gone while the file came
            record = self._video(tenant, record_id, video_id)
            self.mock.media.put(record.media_key, Blob(data, "video/mp4", upload.filename))
            record.uploaded = True
            record.video_seconds = seconds
        return json_response({"id": record.id, "videos": [record.video_id]}, 201)

    def record_details(self, request: VendorRequest, record_id: str) -> Response:
        tenant = self._authenticate(request)
        record = self.records.get(tenant, record_id)
        if record is None:
            raise errors.NotFound()
        return json_response({"data": record.to_json(self.mock.now())})  # type: ignore[attr-defined]

    def list_records(self, request: VendorRequest) -> Response:
        """Search by name, creation dates (MM-DD-YYYY), id; `offset` and `limit`."""
        tenant = self._authenticate(request)
        body = self._payload(request, optional=True, message="JSON Body Formatted Incorrectly")
        query = _load(
            SearchParams, body, lambda: errors.ValtError(500, "JSON Body Formatted Incorrectly")
        )
        now = self.mock.now()
        with self.mock.store.atomic():
            matches = [r for r in self.records.all(tenant) if _found(r, query)]
            matches.sort(key=lambda r: (r.created, r.id), reverse=True)  # type: ignore[attr-defined]
            page = matches[query["offset"] : query["offset"] + query["limit"]]
            shown = [r.to_json(now) for r in page]  # type: ignore[attr-defined]
        return json_response({"data": {"records": shown}})

    def start_room_recording(self, request: VendorRequest, room_id: str) -> Response:
        tenant = self._authenticate(request)
        room = _room_number(room_id)
        now = self.mock.now()
        with self.mock.store.atomic():
            if self._room_recording(tenant, room) is not None:
                raise errors.RoomAlreadyRecording()
            record = ValtRecord(
                id=self.mock.ids.uuid(),
                name=f"Room {room} {now.strftime('%m-%d-%Y %I-%M %p')}",
                created=now,
                author={"id": _user_number(tenant), "name": tenant},
                video_id=self.mock.ids.uuid(),
                room={"id": room, "name": f"Room {room}"},
                recording=True,
            )
            self.records.put(tenant, record)
        return json_response({"data": {"id": record.id, "status": True}})

    def stop_room_recording(self, request: VendorRequest, room_id: str) -> Response:
        """`{"data": {"id", "status": true}}`; 404 `Recording in room not found`. The
        camera's file (a real MP4 here) is ready at once."""
        tenant = self._authenticate(request)
        room = _room_number(room_id)
        sample = _sample_mp4()
        with self.mock.store.atomic():
            record = self._room_recording(tenant, room)
            if record is None:
                raise errors.RoomRecordingNotFound()
            self.mock.media.put(record.media_key, Blob(sample, "video/mp4", "room.mp4"))
            record.recording = False
            record.stopped = self.mock.now()
            record.uploaded = True
        return json_response({"data": {"id": record.id, "status": True}})

    def download_link(self, request: VendorRequest, record_id: str, video_id: str) -> Response:
        """`{"url": ...}` on the distribution server: the file named after the record,
        `filename=` the record's name, and a PS512 JWT valid for 30 minutes."""
        tenant = self._authenticate(request)
        record = self._video(tenant, record_id, video_id)
        if not record.uploaded:
            raise errors.NotFound()
        token = self._download_token()
        with self._signing_lock:
            if len(self._token_records) >= _TOKENS_KEPT:  # long expired by then: drop half
                for old in list(self._token_records)[: _TOKENS_KEPT // 2]:
                    del self._token_records[old]
            self._token_records[token] = record.id
        filename = quote_plus(f"{record.name}.mp4")
        path = f"/distribution/{record.id}/1_{record.id}_1.mp4"
        url = f"{self.base_url(request)}{path}?filename={filename}&access_token={token}"
        return json_response({"url": url})

    def distribute(self, request: VendorRequest, record_id: str, file_name: str) -> Response:
        """Serves the uploaded bytes while the token is valid; 401 after it expires."""
        token = request.args.get("access_token")
        if not token:
            raise errors.no_token()
        with self._signing_lock:
            made_for = self._token_records.get(token)
        if made_for != record_id or not self._token_valid(token):
            raise errors.bad_credentials()
        found = self.records.find(record_id)
        blob = self.mock.media.get(found[1].media_key) if found else None  # type: ignore[attr-defined]
        if found is None or blob is None or file_name != f"1_{record_id}_1.mp4":
            raise errors.NotFound()
        # No control characters in a header: a record named "a\nb" still downloads.
        asked = request.args.get("filename") or file_name
        download_name = "".join(c for c in asked if c.isprintable()) or file_name
        return send_file(
            io.BytesIO(blob.data),
            request.environ,
            mimetype="video/mp4",
            conditional=True,
            download_name=download_name,
        )

    # -- vendor action ---------------------------------------------------------------

    def token_public_key(self, request: VendorRequest) -> Response:
        """The key that verifies download tokens: PEM, and as a JWK with its `kid`."""
        from cryptography.hazmat.primitives import serialization
        from jwt.algorithms import RSAPSSAlgorithm

        private, kid = self._key()
        public = private.public_key()
        pem = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        jwk = {**RSAPSSAlgorithm.to_jwk(public, as_dict=True), "kid": kid, "alg": "PS512"}
        return json_response({"kid": kid, "alg": "PS512", "public_key": pem, "jwk": jwk})

    # -- helpers ---------------------------------------------------------------------

    def host(self) -> str:
        return self.mock.config.hosts.get(self.name, self.hosts)[0]

    def _authenticate(self, request: VendorRequest) -> str:
        """`access_token` as a query parameter only (wiki, API Authentication)."""
        token = request.args.get("access_token")
        if not token:
            raise errors.no_token()
        found = self.tokens.find(token)
        if found is None:
            raise errors.bad_credentials()
        return found[0]

    def _payload(self, request: VendorRequest, optional: bool = False, message: str = "") -> Any:
        """The JSON body; anything malformed is Valt's 500 for that endpoint."""
        try:
            return json_body(request, optional=optional)
        except (BadRequest, UnsupportedMediaType):  # a 413 stays a 413
            failure = errors.ValtError(500, message) if message else errors.invalid_payload()
            raise failure from None

    def _video(self, tenant: str, record_id: str, video_id: str) -> ValtRecord:
        record = self.records.get(tenant, record_id)
        if record is None or record.video_id != video_id:  # type: ignore[attr-defined]
            raise errors.NotFound()
        return record  # type: ignore[return-value]

    def _room_recording(self, tenant: str, room_id: int) -> ValtRecord | None:
        for record in self.records.all(tenant):
            if record.recording and record.room and record.room["id"] == room_id:  # type: ignore[attr-defined]
                return record  # type: ignore[return-value]
        return None

    def _key(self) -> tuple[Any, str]:
        """The RSA key and its kid, made on first use (it takes a moment: start-up stays
        fast) and kept in the store, so a state dump carries it."""
        from cryptography.hazmat.primitives import serialization

        with self.mock.store.atomic():
            stored = self.signing_keys.all(_SERVER)
            if not stored:
                from cryptography.hazmat.primitives.asymmetric import rsa

                private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                pem = private.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode()
                # The kid is not drawn from the seeded ids: a reset must not shift them.
                stored = [self.signing_keys.put(_SERVER, SigningKey(id=str(uuid.uuid4()), pem=pem))]
            key: SigningKey = stored[0]  # type: ignore[assignment]
        if self._loaded is None or self._loaded[1] != key.id:
            private = serialization.load_pem_private_key(key.pem.encode(), password=None)
            self._loaded = (private, key.id)
        return self._loaded

    def _download_token(self) -> str:
        import jwt

        private, kid = self._key()
        issued = int(self.mock.now().timestamp())
        host = self.host()
        claims = {
            "iat": issued,
            "nbf": issued,
            "exp": issued + int(DOWNLOAD_TOKEN_LIFETIME.total_seconds()),
            "iss": host,
            "sub": host,
            "aud": host,
        }
        return jwt.encode(claims, private, algorithm="PS512", headers={"kid": kid})

    def _token_valid(self, token: str) -> bool:
        """Signature, audience and kid checked by PyJWT; time against the mock's clock
        (PyJWT would use the machine's)."""
        import jwt

        private, kid = self._key()
        try:
            if jwt.get_unverified_header(token).get("kid") != kid:
                return False
            claims = jwt.decode(
                token,
                private.public_key(),
                algorithms=["PS512"],
                audience=self.host(),
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
            )
        except jwt.PyJWTError:
            return False
        now = self.mock.now().timestamp()
        return claims.get("nbf", 0) <= now < claims.get("exp", 0)


def _load(schema: type[Schema], data: Any, failure: Any) -> dict[str, Any]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise failure()
    try:
        return shared_schema(schema).load(data)
    except SchemaError:
        raise failure() from None


def _found(record: Any, query: dict[str, Any]) -> bool:
    if "search" in query and query["search"].lower() not in record.name.lower():
        return False
    if "filter" in query and record.id != query["filter"]:
        return False
    created: date = record.created.date()
    if "start_date" in query and created < query["start_date"]:
        return False
    return not ("end_date" in query and created > query["end_date"])


def _room_number(text: str) -> int:
    """Valt's rooms are numbered: ASCII digits of a 32-bit id, else no such room."""
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and int(text) < 2**31):
        raise errors.NotFound()
    return int(text)


def _user_number(username: str) -> int:
    """Valt's users have integer ids; a stable one per username."""
    return sum(username.encode()) % 9000 + 1000


def _sample_mp4() -> bytes:
    from importlib import resources

    return resources.files("recmock.assets").joinpath("sample.mp4").read_bytes()
