"""Recognising the seven payload formats Claap accepts (aac, avi, mp3, mp4, wav, webm,
wmv) from the bytes themselves, as a transcoder would; anything else ends `Failed`."""

from __future__ import annotations

CONTENT_TYPES = {
    "aac": "audio/aac",
    "avi": "video/x-msvideo",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "wav": "audio/wav",
    "webm": "video/webm",
    "wmv": "video/x-ms-wmv",
}

_ASF_HEADER = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")


def sniff_format(data: bytes) -> str | None:
    """The format of a media payload, or None when it is none of the seven."""
    head = data[:64]
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "webm"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "avi"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(_ASF_HEADER):
        return "wmv"
    if head.startswith(b"ID3") or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE6 == 0xE2):
        return "mp3"  # ID3 tag, or an MPEG-1/2 layer III frame sync
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "aac"  # ADTS frame sync, layer bits 00
    if head.startswith(b"ADIF"):
        return "aac"
    return None
