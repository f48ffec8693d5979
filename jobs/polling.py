"""Polling one Threads source: find posts newer than its cursor and queue their deliveries.

A source is fetched once per interval however many chats watch it. The first poll takes a
baseline (what is there is recorded, nothing is announced); later polls ask for everything since
the cursor, follow every page, and queue the new posts oldest first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from bot.events import FeedItem, Post, Profile, Source, SourceKind
from bot.threads.client import ThreadsClient, next_page_after
from bot.threads.errors import ThreadsError
from bot.threads.models import Page
from storage.store import Store

log = logging.getLogger(__name__)

BASELINE_SIZE = 25
PAGE_SIZE = 100
MAX_CATCH_UP_PAGES = 10  # 1,000 posts after a long downtime; discovery calls are precious
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
    ) -> None:
        self._store = store
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

    def _report(self, outcome: PollOutcome) -> None:
        if self._on_polled is not None:
            self._on_polled(outcome)

    async def _poll(self, source: Source) -> tuple[int, int]:
        """(new posts, deliveries queued)."""
        if source.cursor is None:
            posts = await self._first_page(source)
            cursor = _newest(posts) or int(time.time())
            items = [FeedItem(post) for post in posts]
            self._store.feed.record(source, items, cursor, baseline=True)
            log.info("%s: baseline of %d posts", source.label, len(posts))
            return 0, 0
        posts = await self._since(source, source.cursor)
        cursor = max(_newest(posts) or 0, source.cursor)
        seen = self._store.feed.seen_ids(source.id, [p.id for p in posts])
        fresh = sorted(
            (p for p in posts if p.id not in seen),
            key=lambda p: (p.timestamp.timestamp() if p.timestamp else 0.0, p.id),
        )
        if not fresh:
            self._store.feed.record(source, [], cursor, baseline=False)
            return 0, 0
        author = await self._author(source)
        items = [FeedItem(post, author, await self._related(post)) for post in fresh]
        return len(fresh), self._store.feed.record(source, items, cursor, baseline=False)

    async def _first_page(self, source: Source) -> list[Post]:
        if source.kind is SourceKind.ME:
            return (await self._threads.user_threads(limit=BASELINE_SIZE)).items
        return (await self._threads.profile_posts(source.key, limit=BASELINE_SIZE)).items

    async def _since(self, source: Source, cursor: int) -> list[Post]:
        async def fetch(after: str | None) -> Page[Post]:
            if source.kind is SourceKind.ME:
                return await self._threads.user_threads(since=cursor, limit=PAGE_SIZE, after=after)
            return await self._threads.profile_posts(
                source.key, since=cursor, limit=PAGE_SIZE, after=after
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

    async def _author(self, source: Source) -> Profile | None:
        """Who wrote the source's posts, refreshed at most daily (lookups cost discovery)."""
        if source.kind is SourceKind.ME:
            return self._connected_account()
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


def _newest(posts: list[Post]) -> int | None:
    stamps = [int(p.timestamp.timestamp()) for p in posts if p.timestamp]
    return max(stamps) if stamps else None
