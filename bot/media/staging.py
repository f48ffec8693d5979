"""Where media waits for Meta to fetch it.

Meta downloads `image_url` / `video_url` itself, from the open internet, so a file from chat must
be put somewhere public first. A `MediaStore` does that: the built-in relay (bot/media/relay.py)
serves it from the bridge's own HTTP server, the S3 backend (bot/media/s3.py) from a bucket. The
URL handed to Meta is the only way to the file: unguessable, expiring, and naming nothing of the
chat platform it came from (a Telegram file URL holds the bot token).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Staged:
    """A file Meta may fetch at `url` until `expires_at` (Unix time)."""

    key: str  # the store's own name for the file, for release()
    url: str
    expires_at: float
    size: int
    content_type: str


class MediaStore(Protocol):
    """Somewhere public to put a file for Meta."""

    async def stage(self, data: bytes, content_type: str) -> Staged:
        """Put `data` where Meta can fetch it; the URL expires after the store's lifetime."""

    async def reissue(self, staged: Staged) -> Staged:
        """A fresh URL for a file already staged (its old URL expired before Meta fetched it)."""

    async def release(self, key: str) -> None:
        """Remove the file (the container no longer needs it). Releasing twice is harmless."""


class MediaError(Exception):
    """Media from chat that cannot go to Threads: `reason` is a sentence for the chat."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MediaRefused(MediaError):
    """The file breaks one of Meta's limits, or is not a photo or video."""


class MediaStoreError(MediaError):
    """The store could not take, hand out or remove a file.

    `reason` is one sentence an operator can act on ("the bucket 'x' does not exist at ...;
    create it or fix [media] bucket"); it never holds a credential.
    """
