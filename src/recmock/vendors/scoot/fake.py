"""What Scoot fills in where a body leaves it out, made up realistically (Faker,
seeded with `--seed`, so the same seed gives the same people): the owner, each
participant's user, and the participants themselves."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from recmock.vendors.scoot.formats import iso
from recmock.vendors.scoot.rules import GENERATED_PARTICIPANT_TYPE, GENERATED_PARTICIPANTS

if TYPE_CHECKING:
    from faker import Faker

    from recmock.mock import Ids

# When made-up users registered: between fixed dates, not relative to now, so the same
# seed gives the same users on any day.
REGISTERED_FROM = datetime(2021, 1, 1, tzinfo=UTC)
REGISTERED_UNTIL = datetime(2025, 12, 31, tzinfo=UTC)


def fill_people(data: dict[str, Any], ids: Ids, fake: Faker) -> None:
    """Realistic users where the body leaves them out: the owner, each participant's
    user, and two participants when none are given."""
    if "user" not in data:
        data["user"] = user(data.get("userId"), ids, fake)
    data.setdefault("userId", data["user"].get("userId") or ids.uuid())
    if "participants" not in data:
        start = data.get("startDateTime")
        data["participants"] = [
            {"userId": ids.uuid(), "type": GENERATED_PARTICIPANT_TYPE, "startDateTime": start}
            for _ in range(GENERATED_PARTICIPANTS)
        ]
    for participant in data["participants"]:
        if "user" not in participant:
            participant["user"] = user(participant.get("userId"), ids, fake)
        participant.setdefault("userId", participant["user"].get("userId"))


def user(user_id: str | None, ids: Ids, fake: Faker) -> dict[str, Any]:
    """A Scoot user, every field the docs show filled in."""
    first, last = fake.first_name(), fake.last_name()
    return {
        "userId": user_id or ids.uuid(),
        "name": f"{first} {last}",
        "firstName": first,
        "middleName": "",
        "lastName": last,
        "emailAddress": f"{first}.{last}@{fake.free_email_domain()}".lower(),
        "emailVerified": True,
        "preload": False,
        "mobilePhone": fake.numerify("+1 ### ### ####"),
        "mobilePhoneVerified": False,
        "mobilePhoneVerifiedWeb": False,
        "profileId": ids.alnum(12),
        "profileImageURI": f"https://cdn.scoot.app/profile/{ids.uuid()}.png",
        "profileImageId": ids.uuid(),
        "profileImageBackground": fake.safe_hex_color(),
        "timeZone": fake.timezone(),
        "registeredDateTime": iso(
            fake.date_time_between(REGISTERED_FROM, REGISTERED_UNTIL, tzinfo=UTC)
        ),
        "active": True,
        "actedAs": False,
    }
