"""Posts that change after delivery: the re-read job, and what a deletion does to the chat.

Threads lets an author edit a post for 15 minutes after its timestamp and says nothing when
it happens (the API has no edited flag). So each post recorded while its window was open is
read once more after the window has closed (storage/changes.py schedules it):

- its text changed: the chat messages of subscriptions with `edits = "update"` are edited to
  the new text (once: the re-read happens once);
- it is gone: every chat message showing it is removed (`deleted = "remove"`) or edited to
  say so (`"mark"`), and deliveries still owed are dropped;
- deliveries held for the window (`edits = "hold"`) are released, with the final text.

The same removal runs when a webhook `delete` event names a delivered post, or when a /reply
to one finds it gone (`post_gone`).

What a re-read costs: the connected account's posts (and its inbox's) are read with
GET /{media-id}, which no discovery quota counts. A public profile's post is read the way
its poll reads it, with one profile_posts page around the post's second: one discovery
request, recorded in the ledger like a poll's (the ThreadsClient's discovery listener), so
the planner counts it. When the discovery budget is paused or down to its reserve, the
re-read waits (up to a day, then it is given up: an edit that late is not worth a poll).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import cast

from bot.events import Destination, FeedItem, Post, Source, SourceKind
from bot.outbound import DeliveryError, MessageEditor, RetryAfter
from bot.templates import apply_template
from bot.threads.client import ThreadsClient
from bot.threads.errors import InvalidParameter, PermissionDenied, ThreadsError
from jobs.discovery import DiscoveryBudget
from storage.changes import Reread, Shown
from storage.store import Store

log = logging.getLogger(__name__)

MARK = "🗑 Deleted on Threads"
WAIT_FOR_BUDGET = 600.0  # a public profile's re-read put off while the budget is short
RETRY_AFTER_ERROR = 300.0
GIVE_UP_AFTER = 144  # postponements (about a day of waiting for the budget) before giving up
AROUND = 60  # seconds either side of the post's second in the profile_posts page


def editors_of(adapters: Sequence[object]) -> dict[str, MessageEditor]:
    """The adapters that can edit and delete what they sent (the demo's console cannot)."""
    return {
        str(getattr(a, "platform")): cast(MessageEditor, a)  # noqa: B009
        for a in adapters
        if callable(getattr(a, "edit", None)) and callable(getattr(a, "delete", None))
    }


class PostChanges:
    def __init__(
        self,
        store: Store,
        threads: ThreadsClient,
        editors: Mapping[str, MessageEditor],
        budget: DiscoveryBudget,
        *,
        on_released: Callable[[], None] = lambda: None,
        prepare: Callable[[FeedItem, Destination], FeedItem] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`on_released` wakes the delivery worker when held deliveries became due;
        `prepare` is the worker's (the loop guard's mark), applied to edits alike."""
        self._store = store
        self._threads = threads
        self._editors = dict(editors)
        self._budget = budget
        self._on_released = on_released
        self._prepare = prepare
        self._clock = clock
        self._running = asyncio.Lock()  # one run at a time: each re-read happens once

    async def reread_due(self) -> int:
        """The periodic job: read again every post whose edit window has closed. Returns
        how many were read."""
        async with self._running:
            return await self._reread_all()

    async def _reread_all(self) -> int:
        read = 0
        for reread in self._store.changes.due(self._clock()):
            try:
                if await self._reread(reread):
                    read += 1
            except Exception:
                log.exception("re-reading post %s failed", reread.post_id)
                self._postpone(reread, RETRY_AFTER_ERROR)
        return read

    async def post_gone(self, post_id: str, why: str) -> None:
        """The post no longer exists on Threads (a webhook `delete`, a failed /reply, a
        re-read): nothing more is owed, and its chat messages are removed or marked."""
        dropped = self._store.outbox.drop_post(post_id, why)
        dropped += self._store.changes.drop_held(post_id, why)
        self._store.changes.forget_post(post_id)  # nothing left to read again
        shown = self._store.changes.shown(post_id)
        log.info(
            "post %s is gone from Threads (%s): %d deliveries dropped, %d chat messages to "
            "remove or mark",
            post_id,
            why,
            dropped,
            len(shown),
        )
        item = self._store.changes.item_of(post_id)
        for delivery in shown:
            await self._remove_or_mark(delivery, item)

    async def check_gone(self, post_id: str) -> bool:
        """After Threads refused a reply to `post_id`: whether the post is gone (GET
        /{media-id}, no discovery quota), and if so its chat messages removed or marked.
        Never raises: the refusal itself is what the chat hears about."""
        try:
            await self._threads.media(post_id)
        except InvalidParameter as exc:
            if _missing(exc):
                await self.post_gone(post_id, "deleted on Threads (a reply to it was refused)")
                return True
        except ThreadsError as exc:
            log.info("could not tell whether post %s still exists: %s", post_id, exc)
        except Exception:
            log.exception("checking whether post %s still exists failed", post_id)
        return False

    async def _reread(self, reread: Reread) -> bool:
        source = self._store.sources.get(reread.source_id)
        old = self._store.feed.item(reread.source_id, reread.post_id)
        if source is None or old is None:
            self._store.changes.finish(reread.source_id, reread.post_id, "skipped")
            return False
        shown = self._store.changes.shown(reread.post_id)
        if not self._store.changes.held(reread.post_id) and not shown:
            # Nobody received it (filtered, unwatched): there is nothing to update.
            self._store.changes.finish(reread.source_id, reread.post_id, "skipped")
            return False
        if source.kind is SourceKind.PROFILE and not self._budget_allows():
            self._postpone(reread, WAIT_FOR_BUDGET)
            return False
        try:
            fresh = await self._read(source, old.post)
        except PermissionDenied as exc:
            log.info("post %s cannot be read again (%s): left as delivered", old.post.id, exc)
            self._store.changes.finish(reread.source_id, reread.post_id, "unreadable")
            return False
        except ThreadsError as exc:
            if exc.retryable:
                self._postpone(reread, RETRY_AFTER_ERROR)
                return False
            raise
        if fresh is None:
            await self.post_gone(old.post.id, "deleted on Threads")
            self._store.changes.finish(reread.source_id, reread.post_id, "gone")
            return True
        if fresh.text != old.post.text:
            edited = replace(old, post=replace(old.post, text=fresh.text))
            log.info("post %s was edited on Threads: updating %d deliveries", fresh.id, len(shown))
            try:
                for delivery in shown:
                    if delivery.edits == "update":
                        await self._edit(delivery, edited)
            except RetryAfter as wait:
                # A flood wait: the whole re-read again after it (an edit already made is
                # made again with the same text, which changes nothing a person sees).
                self._store.changes.postpone(reread, self._clock() + wait.seconds)
                return False
            self._store.changes.replace_item(reread.source_id, edited)
        if self._store.changes.release_held(old.post.id, self._clock()):
            self._on_released()
        self._store.changes.finish(reread.source_id, reread.post_id)
        return True

    async def _read(self, source: Source, post: Post) -> Post | None:
        """The post as Threads has it now, or None when it is gone."""
        if source.kind is SourceKind.PROFILE:
            stamp = int(post.timestamp.timestamp()) if post.timestamp else None
            page = await self._threads.profile_posts(
                source.key,
                since=stamp - AROUND if stamp is not None else None,
                until=stamp + AROUND if stamp is not None else None,
                limit=100,
            )
            return next((p for p in page.items if p.id == post.id), None)
        try:
            return await self._threads.media(post.id)
        except InvalidParameter as exc:
            if _missing(exc):
                return None
            raise

    def _budget_allows(self) -> bool:
        budget = self._budget
        return not budget.paused and budget.left() > budget.reserve

    def _postpone(self, reread: Reread, delay: float) -> None:
        now = self._clock()
        if reread.attempts >= GIVE_UP_AFTER:
            log.info("post %s: re-read given up", reread.post_id)
            self._store.changes.finish(reread.source_id, reread.post_id, "skipped")
            if self._store.changes.release_held(reread.post_id, now):
                self._on_released()
            return
        self._store.changes.postpone(reread, now + delay)

    async def _edit(self, delivery: Shown, item: FeedItem) -> None:
        editor = self._editors.get(delivery.destination.platform)
        if editor is None:
            return
        if self._prepare is not None:
            item = self._prepare(item, delivery.destination)
        # The edited post reads as its delivery did: through the subscription's template.
        item = apply_template(item, delivery.template)
        try:
            await editor.edit(delivery.destination, delivery.message_ids, item)
        except RetryAfter:
            raise
        except DeliveryError as exc:
            log.warning(
                "could not edit post %s in %s: %s", item.post.id, delivery.destination, exc.reason
            )

    async def _remove_or_mark(self, delivery: Shown, item: FeedItem | None) -> None:
        editor = self._editors.get(delivery.destination.platform)
        if editor is None:
            return
        ids = [i for part in delivery.message_ids for i in part]
        try:
            if delivery.deleted == "mark" and item is not None:
                text = f"{MARK}\n\n{item.post.text}".strip()
                marked = replace(item, post=replace(item.post, text=text))
                await editor.edit(delivery.destination, delivery.message_ids, marked)
                self._store.changes.marked(delivery.destination, ids)
            else:
                await editor.delete(delivery.destination, ids)
                self._store.changes.removed(delivery.destination, ids)
        except DeliveryError as exc:
            log.warning(
                "could not remove a deleted post from %s: %s", delivery.destination, exc.reason
            )


def _missing(error: InvalidParameter) -> bool:
    """Graph's 100 / 33: "Object with ID ... does not exist" (deleted, for a post once read)."""
    return error.code == 100 and error.subcode == 33
