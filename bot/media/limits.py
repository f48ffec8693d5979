"""Meta's documented limits on a post's media, checked before a container is created.

A file Meta would refuse costs a container, a wait and an opaque error; checking here answers
at once, in words (threads-api.md, "Media limits": images JPEG or PNG up to 8 MB; videos MOV or
MP4 up to 1 GB and 5 minutes).
"""

from __future__ import annotations

from bot.events import Attachment
from bot.media.staging import MediaRefused

IMAGE_MAX_BYTES = 8 * 1024 * 1024
VIDEO_MAX_BYTES = 1024 * 1024 * 1024
VIDEO_MAX_SECONDS = 300.0
IMAGE_TYPES = ("image/jpeg", "image/png")
VIDEO_TYPES = ("video/mp4", "video/quicktime")


def check_attachment(attachment: Attachment) -> None:
    """Refuse, before anything is downloaded, what the platform already says will not fit."""
    if attachment.kind == "IMAGE":
        if attachment.content_type and attachment.content_type not in IMAGE_TYPES:
            raise MediaRefused(
                f"Threads takes JPEG or PNG images; this one is {_named(attachment)}."
            )
        _check_size(attachment.size, IMAGE_MAX_BYTES, "An image")
    elif attachment.kind == "VIDEO":
        if attachment.content_type and attachment.content_type not in VIDEO_TYPES:
            raise MediaRefused(
                f"Threads takes MP4 or MOV videos; this one is {_named(attachment)}."
            )
        _check_size(attachment.size, VIDEO_MAX_BYTES, "A video")
        if attachment.duration is not None and attachment.duration > VIDEO_MAX_SECONDS:
            raise MediaRefused(
                f"A video on Threads is at most 5 minutes; this one is "
                f"{attachment.duration / 60:.1f} minutes."
            )
    else:
        raise MediaRefused(
            "Threads posts take photos and videos only (JPEG, PNG, MP4 or MOV)"
            + (f"; {attachment.name} is not one." if attachment.name else ".")
        )


def sniff(data: bytes, kind: str) -> str:
    """The content type `data` really has, or MediaRefused when Meta would refuse it."""
    if kind == "IMAGE":
        if data.startswith(b"\xff\xd8\xff"):
            return "image/jpeg"
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return "image/png"
        raise MediaRefused("Threads takes JPEG or PNG images; this file is neither.")
    if data[4:8] == b"ftyp":
        return "video/quicktime" if data[8:10] == b"qt" else "video/mp4"
    raise MediaRefused("Threads takes MP4 or MOV videos; this file is neither.")


def check_size(data: bytes, kind: str) -> None:
    """The downloaded file's size, for platforms that did not say it beforehand."""
    if kind == "IMAGE":
        _check_size(len(data), IMAGE_MAX_BYTES, "An image")
    else:
        _check_size(len(data), VIDEO_MAX_BYTES, "A video")


def _check_size(size: int | None, limit: int, what: str) -> None:
    if size is not None and size > limit:
        raise MediaRefused(
            f"{what} on Threads is at most {_megabytes(limit)}; this one is {_megabytes(size)}."
        )


def _megabytes(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.0f} GB"
    return f"{size / 1024**2:.1f} MB".replace(".0 MB", " MB")


def _named(attachment: Attachment) -> str:
    return attachment.content_type or "of an unknown type"
