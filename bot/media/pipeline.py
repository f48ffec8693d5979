"""From a chat attachment to a URL Meta can fetch, and away again once Meta has the file.

Each platform's adapter registers how it downloads its own files (`register`); the pipeline
checks the file against Meta's limits, stages it in the configured store (relay or bucket) and
hands back MediaItems for the Publisher. An attachment whose platform URL carries no credential
(Discord's) goes to Meta as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.clock import SYSTEM_CLOCK, Clock
from bot.events import Attachment
from bot.media.limits import check_attachment, check_size, sniff
from bot.media.staging import MediaError, MediaRefused, MediaStore, Staged
from bot.threads.containers import CAROUSEL_MAX
from bot.threads.publish import MediaItem

log = logging.getLogger(__name__)

Fetch = Callable[[Attachment], Awaitable[bytes]]

NO_MEDIA_STORE = (
    "Posting photos and videos from chat is not set up on this bridge: its operator needs to "
    'set [media] public_url (the built-in relay) or [media] backend = "s3".'
)


class MediaFetchError(MediaError):
    """The chat platform did not hand over the file (too big for its API, gone, down)."""


@dataclass
class Prepared:
    """The media of one post, ready for the Publisher; `staged` are the files to release."""

    items: list[MediaItem]
    staged: list[Staged | None] = field(default_factory=list)  # per item; None: direct URL


class MediaPipeline:
    def __init__(self, store: MediaStore | None, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._store = store
        self._clock = clock
        self._fetchers: dict[str, Fetch] = {}

    @property
    def available(self) -> bool:
        return self._store is not None

    def register(self, platform: str, fetch: Fetch) -> None:
        """How files of `platform` are downloaded (its adapter, holding its own token)."""
        self._fetchers[platform] = fetch

    def check(self, attachments: Sequence[Attachment]) -> None:
        """Refuse, before anything is downloaded, what cannot go: too many files, a file
        Threads does not take, a file to stage without a media store (a /schedule checks
        this when it is asked, not when it is due)."""
        if len(attachments) > CAROUSEL_MAX:
            raise MediaRefused(
                f"A Threads post holds up to {CAROUSEL_MAX} photos and videos, "
                f"not {len(attachments)}."
            )
        for attachment in attachments:
            check_attachment(attachment)
        if self._store is None and any(a.public_url is None for a in attachments):
            raise MediaRefused(NO_MEDIA_STORE)

    async def prepare(self, attachments: Sequence[Attachment]) -> Prepared:
        """Check every attachment first (nothing is downloaded for a post that cannot go),
        then fetch and stage each one."""
        self.check(attachments)
        prepared = Prepared(items=[])
        try:
            for attachment in attachments:
                await self._add(prepared, attachment)
        except BaseException:
            await self.release(prepared)
            raise
        return prepared

    async def _add(self, prepared: Prepared, attachment: Attachment) -> None:
        if attachment.public_url is not None:
            prepared.items.append(MediaItem(_kind(attachment), attachment.public_url))
            prepared.staged.append(None)
            return
        if self._store is None:
            raise MediaRefused(NO_MEDIA_STORE)
        fetch = self._fetchers.get(attachment.platform)
        if fetch is None:
            raise MediaFetchError(f"The bridge cannot download files from {attachment.platform}.")
        data = await fetch(attachment)
        check_size(data, attachment.kind)
        content_type = sniff(data, attachment.kind)
        staged = await self._store.stage(data, content_type)
        log.info("staged %s of %d bytes for Meta", content_type, len(data))
        prepared.items.append(MediaItem(_kind(attachment), staged.url))
        prepared.staged.append(staged)

    def expired(self, prepared: Prepared) -> bool:
        """Whether a URL of this post expired (Meta may have been refused it)."""
        now = self._clock.time()
        return any(staged is not None and staged.expires_at <= now for staged in prepared.staged)

    async def reissue(self, prepared: Prepared) -> Prepared:
        """The same files under fresh URLs."""
        assert self._store is not None
        renewed = Prepared(items=[])
        for item, staged in zip(prepared.items, prepared.staged, strict=True):
            if staged is None:
                renewed.items.append(item)
                renewed.staged.append(None)
                continue
            fresh = await self._store.reissue(staged)
            renewed.items.append(MediaItem(item.kind, fresh.url, item.alt_text))
            renewed.staged.append(fresh)
        return renewed

    async def release(self, prepared: Prepared) -> None:
        """Remove the staged files: Meta has them (or the post failed for good)."""
        if self._store is None:
            return
        for staged in prepared.staged:
            if staged is None:
                continue
            try:
                await self._store.release(staged.key)
            except MediaError as exc:  # the store sweeps leftovers after their lifetime
                log.warning("could not remove a staged file: %s", exc.reason)


def _kind(attachment: Attachment) -> Literal["IMAGE", "VIDEO"]:
    return "IMAGE" if attachment.kind == "IMAGE" else "VIDEO"
