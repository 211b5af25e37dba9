"""What Claap makes up or looks up, made up realistically (seeded with `--seed`): the
people, channels, meetings and deals a recording names, transcripts with word timings,
insights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from recmock.timeutil import iso_millis
from recmock.vendors.claap.models import Workspace

if TYPE_CHECKING:
    from recmock.mock import Ids


def recorder(workspace: Workspace, email: str, ids: Ids, fake: Any) -> dict[str, Any]:
    """The recording's author: the workspace's user of that address (made at its first
    recording, with a name read from the address)."""
    user = workspace.users.get(email.lower())
    if user is None:
        user = {"id": ids.alnum(21), "name": name_from_email(email, fake)}
        workspace.users[email.lower()] = user
    return {"attended": True, "email": email, "id": user["id"], "name": user["name"]}


def channel(workspace: Workspace, channel_id: str | None, fake: Any) -> dict[str, str] | None:
    if channel_id is None:
        return None
    if channel_id not in workspace.channels:
        workspace.channels[channel_id] = fake.catch_phrase()
    return {"id": channel_id, "name": workspace.channels[channel_id]}


def meeting(
    given: dict[str, Any] | None, author: str, ids: Ids, fake: Any
) -> dict[str, Any] | None:
    """The meeting as Claap answers it: startingAt/endingAt, participants with ids,
    and `type` external when someone outside the author's domain took part."""
    if given is None:
        return None
    domain = author.rsplit("@", 1)[-1].lower()
    participants = [
        {
            "attended": True,
            "email": p.get("email"),
            "id": ids.alnum(21),
            "name": p.get("name") or name_from_email(p.get("email") or "", fake),
        }
        for p in given.get("participants", [])
    ]
    external = any(
        p["email"] and p["email"].rsplit("@", 1)[-1].lower() != domain for p in participants
    )
    shown: dict[str, Any] = {"type": "external" if external else "internal"}
    if "startedAt" in given:
        shown["startingAt"] = iso_millis(given["startedAt"])
    if "endedAt" in given:
        shown["endingAt"] = iso_millis(given["endedAt"])
    shown["participants"] = participants
    return shown


def deal(given: dict[str, str] | None, fake: Any) -> dict[str, str] | None:
    if given is None:
        return None
    return {"id": given["id"], "name": f"{fake.company()} deal"}


def name_from_email(email: str, fake: Any) -> str:
    """`jane.doe@acme.com` is Jane Doe; an address without a readable name gets one."""
    local = email.split("@", 1)[0]
    parts = [p for p in local.replace("_", ".").replace("-", ".").split(".") if p.isalpha()]
    return " ".join(p.capitalize() for p in parts) if len(parts) >= 2 else fake.name()


def transcript(fake: Any, speakers: list[str], duration: int) -> list[dict[str, Any]]:
    """Segments as Claap's transcript endpoint gives them, with word timings."""
    segments = []
    count = max(2, min(12, duration // 20))
    span = duration / count
    for index in range(count):
        started = index * span
        words = fake.sentence(nb_words=10).split()
        step = span / len(words)
        segments.append(
            {
                "endedAt": round(started + span, 2),
                "languageCode": "en",
                "speaker": speakers[index % len(speakers)],
                "startedAt": round(started, 2),
                "text": " ".join(words),
                "words": [
                    {
                        "endedAt": round(started + (n + 1) * step, 2),
                        "startedAt": round(started + n * step, 2),
                        "word": word,
                    }
                    for n, word in enumerate(words)
                ],
            }
        )
    return segments


def as_text(segments: list[dict[str, Any]]) -> str:
    """`02:17 Ann Lee: text`, one line per segment."""
    lines = []
    for segment in segments:
        minutes, seconds = divmod(int(segment["startedAt"]), 60)
        lines.append(f"{minutes:02d}:{seconds:02d} {segment['speaker']}: {segment['text']}\n")
    return "".join(lines)


def insights(fake: Any, company_ids: list[str], external_domains: list[str]) -> dict[str, Any]:
    """Action items, the companies met (one per external domain), key takeaways and
    outlines, as Claap's analysis answers them."""
    return {
        "actionItems": [
            {
                "items": [
                    {"isChecked": False, "description": fake.sentence(nb_words=8)} for _ in range(3)
                ],
                "langIso2": "en",
            }
        ],
        "companies": [
            {"id": company_id, "name": domain.split(".")[0].capitalize()}
            for company_id, domain in zip(company_ids, external_domains, strict=True)
        ],
        "keyTakeaways": [{"langIso2": "en", "text": fake.paragraph(nb_sentences=3)}],
        "outlines": [{"langIso2": "en", "text": fake.paragraph(nb_sentences=4)}],
    }
