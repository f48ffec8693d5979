"""Publishing flows: container -> wait until FINISHED -> hand the id to the caller -> publish.

Publishing is not idempotent at Meta: a retried `threads_publish` can post twice. So the
container id goes to a caller-supplied hook (which stores it) before publishing, and any failure
that leaves the outcome unclear is settled by reading the container's status, never by sending
the publish again blindly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bot.events import Post
from bot.threads.chain import split_for_chain
from bot.threads.client import ThreadsClient
from bot.threads.containers import CAROUSEL_MAX, CAROUSEL_MIN, ContainerRequest
from bot.threads.errors import (
    ContainerFailed,
    InvalidParameter,
    NotReady,
    PublishOutcomeUnknown,
    PublishTimeout,
    ThreadsError,
    TransientError,
)
from bot.threads.spoilers import unmark

log = logging.getLogger(__name__)

ContainerHook = Callable[[str, ContainerRequest], Awaitable[None]]
_PUBLISH_ATTEMPTS = 2  # publishes of one container whose failure left the outcome unclear


@dataclass(frozen=True, slots=True)
class WaitPolicy:
    """How container status is polled: Meta advises patience (about 30 s for media)."""

    first_interval: float = 1.0
    max_interval: float = 30.0
    timeout: float = 300.0  # Meta: poll for at most five minutes


@dataclass(frozen=True, slots=True)
class Published:
    """A post that is live on Threads."""

    id: str
    container_id: str
    permalink: str | None
    post: Post | None = None


@dataclass(frozen=True, slots=True)
class MediaItem:
    """One image or video of a carousel (or of a single media post)."""

    kind: Literal["IMAGE", "VIDEO"]
    url: str
    alt_text: str | None = None


class ChainIncomplete(ThreadsError):
    """A reply chain stopped part way: `published` holds the parts that went out."""

    def __init__(self, reason: str, *, published: list[Published], cause: ThreadsError) -> None:
        super().__init__(reason, code=cause.code, subcode=cause.subcode)
        self.published = published
        self.cause = cause


class Publisher:
    """The publishing flows over one ThreadsClient."""

    def __init__(
        self,
        client: ThreadsClient,
        *,
        wait: WaitPolicy | None = None,
        on_container: ContainerHook | None = None,
    ) -> None:
        self._client = client
        self._wait = wait or WaitPolicy()
        self._on_container = on_container

    async def text(
        self,
        text: str,
        *,
        reply_to_id: str | None = None,
        quote_post_id: str | None = None,
        link_attachment: str | None = None,
        poll_options: Sequence[str] = (),
        topic_tag: str | None = None,
        reply_control: str | None = None,
        text_attachment: str | None = None,
        spoilers: tuple[tuple[int, int], ...] = (),
        on_container: ContainerHook | None = None,
    ) -> Published:
        request = ContainerRequest(
            "TEXT",
            text=text,
            spoilers=spoilers,
            reply_to_id=reply_to_id,
            quote_post_id=quote_post_id,
            link_attachment=link_attachment,
            poll_options=tuple(poll_options),
            topic_tag=topic_tag,
            reply_control=reply_control,
            text_attachment=text_attachment,
        )
        return await self.publish(request, on_container=on_container)

    async def long_text(
        self,
        text: str,
        *,
        reply_to_id: str | None = None,
        quote_post_id: str | None = None,
        topic_tag: str | None = None,
        reply_control: str | None = None,
        link_attachment: str | None = None,
        on_container: ContainerHook | None = None,
    ) -> Published:
        """A text of any length up to the attachment's as one post: what fits in a post is
        its text, the rest its text attachment (spoilers are kept in the text part only: an
        attachment has no spoiler ranges)."""
        parts = split_for_chain(text)
        if not parts:
            raise InvalidParameter("There is nothing to post.")
        head, whole = parts[0], text.strip()
        rest = whole[len(head) :].strip() if whole.startswith(head) else "\n\n".join(parts[1:])
        head_text, spoilers, _ = unmark(head)
        return await self.text(
            head_text,
            reply_to_id=reply_to_id,
            quote_post_id=quote_post_id,
            topic_tag=topic_tag,
            reply_control=reply_control,
            link_attachment=link_attachment,
            text_attachment=unmark(rest)[0] or None,
            spoilers=spoilers,
            on_container=on_container,
        )

    async def reply(
        self, reply_to_id: str, text: str, *, on_container: ContainerHook | None = None
    ) -> Published:
        return await self.text(text, reply_to_id=reply_to_id, on_container=on_container)

    async def quote(
        self, quote_post_id: str, text: str, *, on_container: ContainerHook | None = None
    ) -> Published:
        return await self.text(text, quote_post_id=quote_post_id, on_container=on_container)

    async def media(
        self,
        item: MediaItem,
        *,
        text: str | None = None,
        reply_to_id: str | None = None,
        quote_post_id: str | None = None,
        is_spoiler_media: bool = False,
        topic_tag: str | None = None,
        reply_control: str | None = None,
        on_container: ContainerHook | None = None,
    ) -> Published:
        """An image or video post (the container is polled until Meta has processed it)."""
        caption, spoilers, _ = unmark(text) if text else (None, (), False)
        request = replace(
            _item_request(item),
            is_carousel_item=False,
            text=caption,
            reply_to_id=reply_to_id,
            quote_post_id=quote_post_id,
            is_spoiler_media=is_spoiler_media,
            topic_tag=topic_tag,
            reply_control=reply_control,
            spoilers=spoilers,
        )
        return await self.publish(request, on_container=on_container)

    async def carousel(
        self,
        items: Sequence[MediaItem],
        *,
        text: str | None = None,
        reply_to_id: str | None = None,
        quote_post_id: str | None = None,
        is_spoiler_media: bool = False,
        topic_tag: str | None = None,
        reply_control: str | None = None,
        on_container: ContainerHook | None = None,
    ) -> Published:
        """2 to 20 images and videos in one post; every child must finish before the parent."""
        if not CAROUSEL_MIN <= len(items) <= CAROUSEL_MAX:
            raise InvalidParameter(
                f"A carousel takes {CAROUSEL_MIN} to {CAROUSEL_MAX} items, not {len(items)}."
            )
        children = []
        for item in items:
            child = await self._client.create_container(_item_request(item))
            children.append(child)
        for child in children:
            await self._wait_until_finished(child)
        caption, spoilers, _ = unmark(text) if text else (None, (), False)
        request = ContainerRequest(
            "CAROUSEL",
            text=caption,
            spoilers=spoilers,
            reply_control=reply_control,
            children=tuple(children),
            reply_to_id=reply_to_id,
            quote_post_id=quote_post_id,
            is_spoiler_media=is_spoiler_media,
            topic_tag=topic_tag,
        )
        return await self.publish(request, on_container=on_container)

    async def chain(
        self,
        text: str,
        *,
        reply_to_id: str | None = None,
        quote_post_id: str | None = None,
        topic_tag: str | None = None,
        poll_options: Sequence[str] = (),
        reply_control: str | None = None,
        link_attachment: str | None = None,
        on_container: ContainerHook | None = None,
    ) -> list[Published]:
        """A text of any length as a chain: each part replies to the one before it (the
        quote, the topic tag, a link preview and a poll go with the first; who may reply,
        with every part). Spoiler marks (bot/threads/spoilers.py) become each part's ranges."""
        parts = split_for_chain(text)
        if not parts:
            raise InvalidParameter("There is nothing to post.")
        published: list[Published] = []
        inside_spoiler = False
        for index, part in enumerate(parts):
            part_text, spoilers, inside_spoiler = unmark(part, inside=inside_spoiler)
            try:
                post = await self.text(
                    part_text,
                    reply_to_id=published[-1].id if published else reply_to_id,
                    quote_post_id=quote_post_id if index == 0 else None,
                    topic_tag=topic_tag if index == 0 else None,
                    poll_options=poll_options if index == 0 else (),
                    link_attachment=link_attachment if index == 0 else None,
                    reply_control=reply_control,
                    spoilers=spoilers,
                    on_container=on_container,
                )
            except ThreadsError as exc:
                if not published:
                    raise
                raise ChainIncomplete(
                    f"Published {len(published)} of {len(parts)} parts, then: {exc.reason}",
                    published=published,
                    cause=exc,
                ) from exc
            published.append(post)
        return published

    async def publish(
        self, request: ContainerRequest, *, on_container: ContainerHook | None = None
    ) -> Published:
        """Create the container, wait for it, record it through the hook, publish it once."""
        container_id = await self._client.create_container(request)
        await self._wait_until_finished(container_id)
        hook = on_container or self._on_container
        if hook is not None:
            await hook(container_id, request)
        return await self._publish_container(container_id, request)

    async def settle(self, container_id: str, request: ContainerRequest) -> Published | None:
        """After a crash or an unclear failure: the post if the container was published,
        None if it was not (and may be published now), or an error if it never can be."""
        status = await self._client.container_status(container_id)
        if status.status == "PUBLISHED":
            return await self._find_published(container_id, request)
        if status.status in ("ERROR", "EXPIRED"):
            raise _container_failed(container_id, status.status, status.error_message)
        return None

    async def resume(self, container_id: str, request: ContainerRequest) -> Published:
        """Finish publishing a recorded container, unless it was published already."""
        done = await self.settle(container_id, request)
        if done is not None:
            return done
        await self._wait_until_finished(container_id)
        return await self._publish_container(container_id, request)

    async def _publish_container(self, container_id: str, request: ContainerRequest) -> Published:
        deadline = asyncio.get_running_loop().time() + self._wait.timeout
        unclear_failures = 0
        while True:
            try:
                media_id = await self._client.publish_container(container_id)
                return await self._describe(media_id, container_id)
            except NotReady:
                # Meta sometimes reports FINISHED a moment before publishing works. Nothing was
                # published, so trying again is safe.
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await self._wait_until_finished(container_id, first_delay=True)
            except TransientError as exc:
                # A timeout or 5xx may hide a publish that did happen: ask the container.
                settled = await self._settle_after(container_id, request, exc)
                if settled is not None:
                    return settled
                unclear_failures += 1
                if unclear_failures >= _PUBLISH_ATTEMPTS:
                    raise PublishOutcomeUnknown(
                        f"Threads kept failing to publish: {exc.reason}",
                        container_id=container_id,
                    ) from exc

    async def _settle_after(
        self, container_id: str, request: ContainerRequest, error: ThreadsError
    ) -> Published | None:
        log.warning(
            "publishing container %s failed (%s); checking its status", container_id, error.reason
        )
        try:
            return await self.settle(container_id, request)
        except TransientError as exc:
            raise PublishOutcomeUnknown(
                "Threads did not answer; the post may or may not be published",
                container_id=container_id,
            ) from exc

    async def _find_published(self, container_id: str, request: ContainerRequest) -> Published:
        """A container says PUBLISHED but its media id was lost: find the post by its text."""
        recent = (
            await self._client.user_replies(limit=25)
            if request.reply_to_id
            else await self._client.user_threads(limit=25)
        )
        for post in recent.items:
            if post.text == (request.text or ""):
                return Published(post.id, container_id, post.permalink, post)
        raise PublishOutcomeUnknown(
            "Threads shows the post as published but it is not listed yet",
            container_id=container_id,
        )

    async def _describe(self, media_id: str, container_id: str) -> Published:
        try:
            post = await self._client.media(media_id)
        except ThreadsError as exc:
            # The post is live; a missing permalink must not turn success into failure.
            log.warning("published %s but could not fetch it: %s", media_id, exc.reason)
            return Published(media_id, container_id, None)
        return Published(media_id, container_id, post.permalink, post)

    async def _wait_until_finished(self, container_id: str, *, first_delay: bool = False) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait.timeout
        interval = self._wait.first_interval
        if first_delay:
            await asyncio.sleep(interval)
        while True:
            status = await self._client.container_status(container_id)
            if status.status in ("FINISHED", "PUBLISHED"):
                return
            if status.status in ("ERROR", "EXPIRED"):
                raise _container_failed(container_id, status.status, status.error_message)
            if loop.time() + interval > deadline:
                raise PublishTimeout(
                    f"Threads was still processing the media after {self._wait.timeout:.0f}s",
                    container_id=container_id,
                )
            await asyncio.sleep(interval)
            interval = min(interval * 2, self._wait.max_interval)


def _item_request(item: MediaItem) -> ContainerRequest:
    if item.kind == "IMAGE":
        return ContainerRequest(
            "IMAGE", image_url=item.url, alt_text=item.alt_text, is_carousel_item=True
        )
    return ContainerRequest(
        "VIDEO", video_url=item.url, alt_text=item.alt_text, is_carousel_item=True
    )


def _container_failed(container_id: str, status: str, message: str | None) -> ContainerFailed:
    if status == "EXPIRED":
        reason = "The media container expired before it was published (24 h)"
    elif message == "FAILED_DOWNLOADING_VIDEO":
        # Meta fetches the video itself, from the internet: the likely cause is a file host
        # (the bridge's media relay) it cannot reach, which the operator can fix.
        reason = VIDEO_DOWNLOAD_REASON
    elif message and message != "UNKNOWN":
        reason = f"Threads could not process the media: {_CONTAINER_ERRORS.get(message, message)}"
    else:
        reason = "Threads could not process the media (no reason given)"
    return ContainerFailed(reason, container_id=container_id, status=status)


VIDEO_DOWNLOAD_REASON = (
    "Meta could not download the video; is [media] public_url reachable from the internet?"
)
_CONTAINER_ERRORS = {
    "FAILED_PROCESSING_AUDIO": "the video's audio could not be processed",
    "FAILED_PROCESSING_VIDEO": "the video could not be processed",
    "INVALID_ASPEC_RATIO": "the aspect ratio is not supported",
    "INVALID_BIT_RATE": "the bit rate is not supported",
    "INVALID_DURATION": "the video is too long or too short (up to 5 minutes)",
    "INVALID_FRAME_RATE": "the frame rate is not supported (23-60 fps)",
    "INVALID_AUDIO_CHANNELS": "the audio channels are not supported (mono or stereo)",
    "INVALID_AUDIO_CHANNEL_LAYOUT": "the audio channel layout is not supported",
}
