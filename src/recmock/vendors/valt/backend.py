"""Valt's rules and state: logins and their tokens, records and their uploads, room
recordings, and the download links with their PS512 tokens and the key that signs
them. No HTTP here: the handlers (`handlers.py`) and the vendor action (`actions.py`)
call it with what a request carried, and it answers records or raises Valt's errors.

The tenant is the username: each user sees its own records (an assumption, the
package docstring's)."""

from __future__ import annotations

import secrets
import threading
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from recmock.backend import Backend
from recmock.media import Blob, mp4_seconds
from recmock.vendors.valt import errors, fake
from recmock.vendors.valt.models import ApiToken, SigningKey, ValtRecord
from recmock.vendors.valt.rules import (
    ACCESS_TOKEN_HEX_DIGITS,
    DEFAULT_HOST,
    DISTRIBUTION_FILE,
    DOWNLOAD_TOKEN_ALGORITHM,
    DOWNLOAD_TOKEN_HOST_CLAIMS,
    DOWNLOAD_TOKEN_LIFETIME,
    SIGNING_KEY_BITS,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

    from recmock.mock import RecMock

# The download tokens remembered at most: far more than can be valid at once (each
# lives 30 minutes), so dropping the older half then forgets only expired ones.
TOKENS_KEPT = 100_000
# The tenant the server's own signing key is stored under.
SERVER = "valt-server"


class ValtBackend(Backend):
    def __init__(self, mock: RecMock) -> None:
        super().__init__(mock, "valt", {})
        self.records = mock.store.table(self.name, ValtRecord)
        self.tokens = mock.store.table(self.name, ApiToken)
        self.signing_keys = mock.store.table(self.name, SigningKey)
        self._signing_lock = threading.Lock()
        self._loaded: tuple[RSAPrivateKey, str] | None = None  # the stored key, parsed once
        # The record each download token was made for: the JWT itself names only the
        # host, but a user's link must not open another user's record.
        self._token_records: dict[str, str] = {}

    def host(self) -> str:
        """The Valt server's host: the first of RECMOCK_VALT_HOST's, or the default."""
        return self.mock.config.hosts.get(self.name, (DEFAULT_HOST,))[0]

    # -- logins ----------------------------------------------------------------------

    def login(self, username: object, password: object) -> ApiToken:
        """A new access token for a username and password; once users are registered
        through the control API, anyone else gets `LoginFailed`."""
        if not (isinstance(username, str) and username and isinstance(password, str) and password):
            raise errors.LoginFailed()
        if not self.mock.credentials.accepts(self.name, username, password):
            raise errors.LoginFailed()
        token = ApiToken(id=secrets.token_hex(ACCESS_TOKEN_HEX_DIGITS // 2), username=username)
        self.tokens.put(username, token)
        return token

    def authenticate(self, token: str | None) -> str:
        """The username an access token was given to: 401 "No API token provided"
        without one, "Bad credentials." for one Valt did not give."""
        if not token:
            raise errors.no_token()
        found = self.tokens.find(token)
        if found is None:
            raise errors.bad_credentials()
        return found.tenant

    # -- records ---------------------------------------------------------------------

    def create_upload(self, tenant: str, params: dict[str, Any]) -> ValtRecord:
        """Part one of an upload: a record, and the id of the video to come."""
        record = ValtRecord(
            id=self.mock.ids.uuid(),
            name=params["name"],
            template=params["template"],
            share=params["share"],
            created=self.mock.now(),
            author=fake.author(tenant),
            video_id=self.mock.ids.uuid(),
        )
        self.records.put(tenant, record)
        return record

    def video(self, tenant: str, record_id: str, video_id: str) -> ValtRecord:
        """The record of one of the user's videos; `NotFound` for any other."""
        record = self.records.get(tenant, record_id)
        if record is None or record.video_id != video_id:
            raise errors.NotFound()
        return record

    def receive_video(
        self, tenant: str, record_id: str, video_id: str, data: bytes, filename: str | None
    ) -> ValtRecord:
        """Part two: the video's file, whose length becomes the record's `duration`."""
        seconds = mp4_seconds(data) or 0  # outside the store's lock: the file can be large
        with self.mock.store.atomic():  # the record may have gone while the file came
            record = self.video(tenant, record_id, video_id)
            self.mock.media.put(record.media_key, Blob(data, "video/mp4", filename))
            record.uploaded = True
            record.video_seconds = seconds
        return record

    def record_details(self, tenant: str, record_id: str) -> dict[str, Any]:
        record = self.records.get(tenant, record_id)
        if record is None:
            raise errors.NotFound()
        return record.to_json(self.mock.now())

    def search(self, tenant: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The user's records matching `query` (name, creation dates, id), newest
        first, from `offset`, at most `limit`."""
        now = self.mock.now()
        with self.mock.store.atomic():
            matches = [r for r in self.records.all(tenant) if matches_query(r, query)]
            matches.sort(key=lambda r: (r.created, r.id), reverse=True)
            page = matches[query["offset"] : query["offset"] + query["limit"]]
            return [r.to_json(now) for r in page]

    # -- room recordings -------------------------------------------------------------

    def start_room_recording(self, tenant: str, room_id: int) -> ValtRecord:
        """A record of the room's recording, running; `RoomAlreadyRecording` while
        another runs."""
        now = self.mock.now()
        with self.mock.store.atomic():
            if self._room_recording(tenant, room_id) is not None:
                raise errors.RoomAlreadyRecording()
            record = ValtRecord(
                id=self.mock.ids.uuid(),
                name=fake.room_recording_name(room_id, now),
                created=now,
                author=fake.author(tenant),
                video_id=self.mock.ids.uuid(),
                room=fake.room(room_id),
                recording=True,
            )
            self.records.put(tenant, record)
        return record

    def stop_room_recording(self, tenant: str, room_id: int) -> ValtRecord:
        """The room's recording stopped: its camera's file is ready at once;
        `RoomRecordingNotFound` when the room is not recording."""
        video = fake.camera_video()
        with self.mock.store.atomic():
            record = self._room_recording(tenant, room_id)
            if record is None:
                raise errors.RoomRecordingNotFound()
            self.mock.media.put(record.media_key, Blob(video, "video/mp4", "room.mp4"))
            record.recording = False
            record.stopped = self.mock.now()
            record.uploaded = True
        return record

    def _room_recording(self, tenant: str, room_id: int) -> ValtRecord | None:
        for record in self.records.all(tenant):
            if record.recording and record.room and record.room["id"] == room_id:
                return record
        return None

    # -- downloads -------------------------------------------------------------------

    def download_url(self, tenant: str, record_id: str, video_id: str, base_url: str) -> str:
        """The uploaded video's link on the distribution server: the file named after
        the record, `filename=` the record's name, and a PS512 JWT valid for 30
        minutes. `NotFound` before the upload."""
        record = self.video(tenant, record_id, video_id)
        if not record.uploaded:
            raise errors.NotFound()
        token = self._download_token()
        with self._signing_lock:
            if len(self._token_records) >= TOKENS_KEPT:  # long expired by then: drop half
                for old in list(self._token_records)[: TOKENS_KEPT // 2]:
                    del self._token_records[old]
            self._token_records[token] = record.id
        filename = quote_plus(f"{record.name}.mp4")
        path = f"/distribution/{record.id}/{distribution_file(record.id)}"
        return f"{base_url}{path}?filename={filename}&access_token={token}"

    def distributed_file(self, record_id: str, file_name: str, token: str | None) -> Blob:
        """The uploaded bytes, while the link's token is valid: 401 without one, or
        once it expired or for another record's token; `NotFound` for no such file."""
        if not token:
            raise errors.no_token()
        with self._signing_lock:
            made_for = self._token_records.get(token)
        if made_for != record_id or not self._token_valid(token):
            raise errors.bad_credentials()
        found = self.records.find(record_id)
        blob = self.mock.media.get(found.record.media_key) if found else None
        if found is None or blob is None or file_name != distribution_file(record_id):
            raise errors.NotFound()
        return blob

    # -- the signing key -------------------------------------------------------------

    def public_key(self) -> dict[str, Any]:
        """The key that verifies download tokens: `kid`, `alg`, `public_key` (PEM) and
        `jwk` (with its `kid` and `alg`)."""
        from cryptography.hazmat.primitives import serialization
        from jwt.algorithms import RSAPSSAlgorithm

        private, kid = self._key()
        public = private.public_key()
        pem = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        alg = DOWNLOAD_TOKEN_ALGORITHM
        jwk = {**RSAPSSAlgorithm.to_jwk(public, as_dict=True), "kid": kid, "alg": alg}
        return {"kid": kid, "alg": alg, "public_key": pem, "jwk": jwk}

    def _key(self) -> tuple[RSAPrivateKey, str]:
        """The RSA key and its kid, made on first use (it takes a moment: start-up stays
        fast) and kept in the store, so a state dump carries it."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        with self.mock.store.atomic():
            stored = self.signing_keys.all(SERVER)
            if not stored:
                made = rsa.generate_private_key(public_exponent=65537, key_size=SIGNING_KEY_BITS)
                pem = made.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode()
                # The kid is not drawn from the seeded ids: a reset must not shift them.
                stored = [self.signing_keys.put(SERVER, SigningKey(id=str(uuid.uuid4()), pem=pem))]
            key = stored[0]
        if self._loaded is None or self._loaded[1] != key.id:
            private = serialization.load_pem_private_key(key.pem.encode(), password=None)
            if not isinstance(private, rsa.RSAPrivateKey):  # a state dump edited by hand
                raise ValueError(f"signing_key {key.id}: not an RSA key, which PS512 needs")
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
            **dict.fromkeys(DOWNLOAD_TOKEN_HOST_CLAIMS, host),
        }
        return jwt.encode(claims, private, algorithm=DOWNLOAD_TOKEN_ALGORITHM, headers={"kid": kid})

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
                algorithms=[DOWNLOAD_TOKEN_ALGORITHM],
                audience=self.host(),
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
            )
        except jwt.PyJWTError:
            return False
        now = self.mock.now().timestamp()
        return claims.get("nbf", 0) <= now < claims.get("exp", 0)


def distribution_file(record_id: str) -> str:
    return DISTRIBUTION_FILE.format(record_id=record_id)


def matches_query(record: ValtRecord, query: dict[str, Any]) -> bool:
    """A search's filters: `search` in the name (any case), `filter` the id, and the
    day it was created from `start_date` to `end_date`, both included."""
    if "search" in query and query["search"].lower() not in record.name.lower():
        return False
    if "filter" in query and record.id != query["filter"]:
        return False
    if record.created is None:  # only a state dump edited by hand has no creation time
        return False
    created: date = record.created.date()
    if "start_date" in query and created < query["start_date"]:
        return False
    return not ("end_date" in query and created > query["end_date"])
