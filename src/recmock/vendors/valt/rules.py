"""Valt's rules, in one place, each from the IVS wiki (as `shared/vendors/valt.md`
sums it up) or, where the wiki is silent, the assumption the package docstring
states."""

from __future__ import annotations

from datetime import timedelta

# Valt is self-hosted: the host the wiki's examples use, unless RECMOCK_VALT_HOST names
# another (valt.md 2).
DEFAULT_HOST = "valt.example.com"

# Logging in (valt.md 2.1, 2.2): a username and a password, local or LDAP, give an
# access token of 32 lowercase hex characters. Tokens never expire (assumed: the wiki
# gives no lifetime), and each username sees only its own records (assumed).
ACCESS_TOKEN_HEX_DIGITS = 32

# The download URL's access token (valt.md 2.3, decoded from the wiki's example): a
# JWT with the header {"typ": "JWT", "alg": "PS512", "kid": <a UUID>}, `nbf` = `iat`,
# `exp` = `iat` + 1800 (so a download link works for 30 minutes) and `iss`, `sub` and
# `aud` all the server's host.
DOWNLOAD_TOKEN_ALGORITHM = "PS512"
DOWNLOAD_TOKEN_LIFETIME = timedelta(seconds=1800)
DOWNLOAD_TOKEN_HOST_CLAIMS = ("iss", "sub", "aud")
# PS512 signs with RSA; the wiki's token does not tell the key's size (assumed).
SIGNING_KEY_BITS = 2048

# The distribution server's file (valt.md 2.3): named after the record, not the video,
# under /distribution/<recordID>/, with `filename=` the record's name, URL-encoded.
DISTRIBUTION_FILE = "1_{record_id}_1.mp4"

# Dates in a search are MM-DD-YYYY (wiki, API List Recordings).
DATE_FORMAT = "%m-%d-%Y"
# A search's page: `offset` and `limit` (wiki, API List Recordings); without a
# `limit`, 100 records (assumed: the wiki gives no default).
DEFAULT_PAGE_SIZE = 100

# A record's name, required (wiki, API Upload Recording); at most 1024 characters
# (assumed: the wiki gives no bound).
NAME_MAX_LENGTH = 1024

# Rooms are numbered (`/rooms/59`, valt.md 2.3); a 32-bit id (assumed), so a path
# segment of thousands of digits is no room rather than a huge number.
ROOM_ID_LIMIT = 2**31
