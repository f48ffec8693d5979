"""Polling one Threads source: find the posts it has not recorded yet and queue their deliveries.

A source is fetched once per interval however many chats watch it. Each poll asks for the posts
`since` a window that starts OVERLAP before the previous poll began (or, for the first poll of a
watch, before the watch began), follows every page, and keeps the posts whose ids are not
recorded: new posts are told by id, not by a timestamp high-water mark, so a post stamped a
little earlier than the newest one seen, or one stamped ahead of the clock, hides nothing.

Who receives a new post is decided by when each subscription began (bot.fanout.fan_out). The
first poll of a watch, when it runs as the watch begins, also records what the profile showed
then, stamped before the watch, as the baseline (a post stamped after it is delivered: the
listing may come after "Now watching" and a new post); a first poll that comes late (an
earlier attempt failed, or the bridge was down) goes by the posts' timestamps alone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.events import FeedItem, Post, Profile, Source, SourceKind
from bot.fanout import fan_out
from bot.threads.client import ThreadsClient, next_page_after
from bot.threads.errors import ThreadsError
from bot.threads.models import Page
from jobs.search_polling import known_author, search_cursor, search_posts, search_since
from storage.feed import FanOut
from storage.store import Store

log = logging.getLogger(__name__)

PAGE_SIZE = 100
# How far back each poll looks again, for posts that become visible late (stamped earlier than
# ones already seen) and for a difference between our clock and Meta's. Known ids are dropped.
OVERLAP = 15 * 60.0
# A first poll that lists the profile within this long of the watch, on its first attempt,
# shows what existed when the watch began.
SNAPSHOT_GRACE = 60.0
EARLIEST_SINCE = 1_688_540_400  # 2023-07-05: Meta refuses an earlier `since`
MAX_CATCH_UP_PAGES = 10  # 1,000 posts after a long downtime; discovery calls are precious
# A replies source reads the conversations of the connected account's latest posts that have
# replies (Graph has no "replies to me" list: /me/replies is the account's own replies).
REPLY_ROOTS = 25
# Replies waiting for approval are looked for under the account's posts of the last week only
# (one request per post and poll; a post's approval setting cannot be read).
PENDING_WINDOW = 7 * 24 * 3600.0
PROFILE_REFRESH = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What one poll found, for metrics and alerts."""

    source: Source
    new_posts: int
    queued: int
    error: ThreadsError | None = None


class SourcePoller:
    def __init__(
        self,
        store: Store,
        threads: ThreadsClient,
        *,
        on_queued: Callable[[], None],
        connected_account: Callable[[], Profile | None],
        on_polled: Callable[[PollOutcome], None] | None = None,
        fan_out: FanOut = fan_out,
    ) -> None:
        """`fan_out` plans each new post's deliveries (bot.fanout.fan_out; the bridge passes
        the cross-posting loop guard's, which keeps a post out of the chat it came from)."""
        self._store = store
        self._fan_out = fan_out
        self._threads = threads
        self._on_queued = on_queued
        self._connected_account = connected_account
        self._on_polled = on_polled
        self._profile_fetched: dict[str, float] = {}
        # One poll of a source at a time, whoever asks (the interval, /watch, a test): a second
        # poll then starts from the first one's cursor instead of racing it.
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._running: set[asyncio.Task[object]] = set()

    async def poll(self, source_id: int) -> int:
        """Poll once; returns how many deliveries were queued. Never raises for Threads
        failures: they are recorded on the source and the next interval tries again."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            async with self._locks[source_id]:
                return await self._poll_locked(source_id)
        finally:
            if task is not None:
                self._running.discard(task)

    async def wait_idle(self, grace: float) -> None:
        """Let polls in progress finish (at shutdown); cancel what is still running after
        `grace` seconds. A cancelled poll committed nothing, so the next start fetches it again."""
        if not self._running:
            return
        _, late = await asyncio.wait(set(self._running), timeout=grace)
        for task in late:
            task.cancel()

    async def _poll_locked(self, source_id: int) -> int:
        source = self._store.sources.get(source_id)
        if source is None:
            return 0
        try:
            new_posts, queued = await self._poll(source)
        except ThreadsError as exc:
            log.warning("polling %s failed: %s", source.label, exc)
            self._store.sources.record_poll(source.id, error=exc.reason)
            self._report(PollOutcome(source, 0, 0, exc))
            return 0
        self._store.sources.record_poll(source.id)
        if queued:
            log.info("%s: %d deliveries queued", source.label, queued)
            self._on_queued()
        self._report(PollOutcome(source, new_posts, queued))
        return queued

    async def record_pushed(self, source_id: int, posts: Sequence[Post]) -> int:
        """Record posts a webhook announced as a poll of the source would: the same author
        and related post, the same fan-out, and never a post the source recorded before
        (whichever comes first, the poll or the push, delivers it; the other finds it seen).
        The source's cursor stays: the next poll still looks at everything since the last one.
        Returns the number of deliveries queued."""
        async with self._locks[source_id]:
            source = self._store.sources.get(source_id)
            if source is None or self._store.subscriptions.watched_since(source_id) is None:
                return 0
            seen = self._store.feed.seen_ids(source.id, [p.id for p in posts])
            fresh = [p for p in posts if p.id not in seen]
            if not fresh:
                return 0
            items = await self._items(source, fresh)
            queued = self._store.feed.record(
                source, items, None, baseline=False, fan_out=self._fan_out
            )
        if queued:
            log.info("%s: %d deliveries queued from a webhook", source.label, queued)
            self._on_queued()
        return queued

    async def _items(self, source: Source, posts: Sequence[Post]) -> list[FeedItem]:
        """The posts as they are delivered (polled or pushed alike): their author (the
        source's, or each post's own where a source has many), the related post, and Hide
        for a top-level reply to the account."""
        author = await self._author(source)
        me = self._connected_account()
        moderated = source.kind is SourceKind.REPLIES
        return [
            FeedItem(
                post,
                author or known_author(self._store, post, me),
                await self._related(post),
                moderated=moderated and _top_level(post),
            )
            for post in posts
        ]

    def _report(self, outcome: PollOutcome) -> None:
        if self._on_polled is not None:
            self._on_polled(outcome)

    async def _poll(self, source: Source) -> tuple[int, int]:
        """(new posts, deliveries queued)."""
        began = time.time()
        watched_since = self._store.subscriptions.watched_since(source.id)
        if watched_since is None:
            return 0, 0  # unwatched meanwhile: nobody would receive anything
        if source.kind is SourceKind.SEARCH:  # since the newest post seen: jobs/search_polling
            since = search_since(source, watched_since, OVERLAP, EARLIEST_SINCE)
            posts = await search_posts(self._threads, source, since)
            cursor = search_cursor(posts, since, began)
        else:
            start = watched_since if source.cursor is None else source.cursor
            posts = await self._since(source, max(int(start - OVERLAP), EARLIEST_SINCE))
            # The next poll looks again from OVERLAP before this one began.
            cursor = int(began)
        seen = self._store.feed.seen_ids(source.id, [p.id for p in posts])
        fresh = sorted(
            (p for p in posts if p.id not in seen),
            key=lambda p: (p.timestamp.timestamp() if p.timestamp else 0.0, p.id),
        )
        if source.cursor is None and _is_snapshot(source, watched_since, time.time()):
            # What existed when the watch began is the baseline; a post stamped later was
            # made after "Now watching" (the listing can come after it, when the request was
            # retried) and is news like on any later poll.
            old = [p for p in fresh if _made_before(p, watched_since)]
            items = [FeedItem(post) for post in old]
            self._store.feed.record(source, items, cursor, baseline=True, fan_out=self._fan_out)
            log.info("%s: baseline of %d posts", source.label, len(old))
            fresh = [p for p in fresh if not _made_before(p, watched_since)]
        if not fresh:
            self._store.feed.record(source, [], cursor, baseline=False, fan_out=self._fan_out)
            return 0, 0
        items = await self._items(source, fresh)
        # Storage reads the active subscriptions and writes fan_out's deliveries in one
        # synchronous transaction: no await between, so no unwatch can slip in.
        queued = self._store.feed.record(
            source, items, cursor, baseline=False, fan_out=self._fan_out
        )
        return len(fresh), queued

    async def _since(self, source: Source, since: int) -> list[Post]:
        if source.kind is SourceKind.REPLIES:
            return await self._replies_since(since)

        async def fetch(after: str | None) -> Page[Post]:
            if source.kind is SourceKind.ME:
                return await self._threads.user_threads(since=since, limit=PAGE_SIZE, after=after)
            if source.kind is SourceKind.MENTIONS:
                return await self._threads.user_mentions(since=since, limit=PAGE_SIZE, after=after)
            return await self._threads.profile_posts(
                source.key, since=since, limit=PAGE_SIZE, after=after
            )

        posts: list[Post] = []
        after: str | None = None
        for _ in range(MAX_CATCH_UP_PAGES):
            page = await fetch(after)
            posts.extend(page.items)
            after = next_page_after(page, after, PAGE_SIZE)
            if after is None:
                break
        return posts

    async def _replies_since(self, since: int) -> list[Post]:
        """Replies by others, stamped from `since` on, under the connected account's latest
        posts that have any: each post's conversation (every depth), newest first, read until
        a page reaches back before `since`. None of it costs discovery quota."""
        roots = await self._threads.user_threads(limit=REPLY_ROOTS)
        me = self._connected_account()
        mine = me.username.lower() if me is not None else None
        found: list[Post] = []
        recent = time.time() - PENDING_WINDOW
        for root in roots.items:
            if root.is_repost:
                continue
            if root.timestamp is not None and root.timestamp.timestamp() >= recent:
                waiting = await self._threads.pending_replies(
                    root.id, approval_status="pending", limit=PAGE_SIZE
                )
                found.extend(p for p in waiting.items if _stamped_since(p, since))
            if not root.has_replies:
                continue
            after: str | None = None
            for _ in range(MAX_CATCH_UP_PAGES):
                page = await self._threads.conversation(root.id, limit=PAGE_SIZE, after=after)
                found.extend(
                    reply
                    for reply in page.items
                    if _stamped_since(reply, since) and (reply.username or "").lower() != mine
                )
                if page.items and not _stamped_since(page.items[-1], since):
                    break  # newest first: the rest is older still
                after = next_page_after(page, after, PAGE_SIZE)
                if after is None:
                    break
        return found

    async def _author(self, source: Source) -> Profile | None:
        """Who wrote the source's posts, refreshed at most daily (lookups cost discovery)."""
        if source.kind is SourceKind.ME:
            return self._connected_account()
        if source.kind in (SourceKind.SEARCH, SourceKind.REPLIES, SourceKind.MENTIONS):
            return None  # anybody's posts: each one's author, as known (known_author)
        known = self._store.sources.profile(source.key)
        fetched = self._profile_fetched.get(source.key, 0.0)
        if known is not None and time.time() - fetched < PROFILE_REFRESH:
            return known
        try:
            profile = await self._threads.profile_lookup(source.key)
        except ThreadsError as exc:
            log.info("could not refresh @%s's profile: %s", source.key, exc.reason)
            return known
        self._store.sources.save_profile(profile)
        self._profile_fetched[source.key] = time.time()
        return profile

    async def _related(self, post: Post) -> Post | None:
        """The post a quote quotes, a repost reposts or a reply answers, for the rendering.
        Best effort: without Advanced Access other people's posts may be unreadable."""
        related_id = post.reposted_post_id or post.quoted_post_id or post.replied_to_id
        if related_id is None:
            return None
        try:
            return await self._threads.media(related_id)
        except ThreadsError as exc:
            log.info("could not read post %s related to %s: %s", related_id, post.id, exc.reason)
            return None


def _top_level(reply: Post) -> bool:
    """A direct reply to the root post: the only kind manage_reply takes (hiding it hides the
    replies below it too)."""
    return reply.replied_to_id is not None and reply.replied_to_id == reply.root_post_id


def _stamped_since(post: Post, since: int) -> bool:
    return post.timestamp is None or post.timestamp.timestamp() >= since


def _made_before(post: Post, watched_since: float) -> bool:
    """Part of what a prompt first listing shows as existing at the watch: stamped before it
    or in its very second (Threads stamps to the second; the listing, not the stamp, says it
    was there already), or not stamped at all."""
    return post.timestamp is None or int(post.timestamp.timestamp()) <= int(watched_since)


def _is_snapshot(source: Source, watched_since: float, listed_at: float) -> bool:
    """Whether a first poll shows the profile as it was when the watch began: its first
    attempt (every attempt recorded since the watch began failed, as the cursor is still
    unset) and listed promptly. Otherwise posts made after the watch would pass for old."""
    first_attempt = source.last_polled is None or source.last_polled < watched_since
    return first_attempt and listed_at - watched_since <= SNAPSHOT_GRACE
