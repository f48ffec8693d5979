"""Threads webhook events into the feed, and slower polling while they flow.

A `publish`, `replies` or `mentions` event names a post of one of the connected account's
sources (PUSHED_INTO). The post is read whole (`media`), so it renders like a polled one, and
recorded through the poller (SourcePoller.record_pushed): the same outbox, the same fan-out, and
deduplicated by post id against the polls of that source, so a post arrives once whichever
finds it first. A `delete` event drops the post's deliveries still owed, and its chat messages
already sent are removed or marked as their subscriptions say (jobs/post_changes.py).

While a field's events arrive (one within FLOWING_FOR), its source is polled only every
`slow_interval` (threads.max_poll_interval): the polls remain as the safety net for events
Meta never sends. Each field counts on its own (an app subscribed to `delete` alone slows
nothing down). When the events stop, the normal interval comes back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from bot.events import Post, Profile, Source, SourceKind
from bot.threads.client import ThreadsClient
from bot.threads.errors import ThreadsError
from bot.threads.webhooks import WebhookEvent
from jobs.polling import SourcePoller
from storage.store import Store

log = logging.getLogger(__name__)

# Which source a field's posts belong to: one line per field.
PUSHED_INTO: dict[str, SourceKind] = {
    "publish": SourceKind.ME,
    "replies": SourceKind.REPLIES,
    "mentions": SourceKind.MENTIONS,
}
SLOWED_KINDS = frozenset(PUSHED_INTO.values())
FLOWING_FOR = 3600.0  # events count as flowing for an hour after the last one


class WebhookFeed:
    def __init__(
        self,
        store: Store,
        threads: ThreadsClient,
        poller: SourcePoller,
        *,
        slow_interval: float,
        connected_account: Callable[[], Profile | None] = lambda: None,
        on_flow_change: Callable[[], None] = lambda: None,
        on_deleted: Callable[[str, str], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`on_flow_change` is called when a field's events start or stop flowing (the bridge
        retimes the poll jobs: PollScheduler.retime); `on_deleted(post_id, why)` when a
        `delete` event names a post (jobs/post_changes.py removes or marks its messages)."""
        self._on_deleted = on_deleted
        self._store = store
        self._threads = threads
        self._poller = poller
        self._slow_interval = slow_interval
        self._connected_account = connected_account
        self._on_flow_change = on_flow_change
        self._clock = clock
        self._last_event: dict[SourceKind, float] = {}
        self._slowed: frozenset[SourceKind] = frozenset()  # what the poll jobs were last told

    def flowing(self) -> frozenset[SourceKind]:
        """The sources whose events arrived within the last FLOWING_FOR seconds."""
        now = self._clock()
        return frozenset(k for k, at in self._last_event.items() if now - at < FLOWING_FOR)

    def interval(self, source: Source, planned: float) -> float:
        """The poll interval of `source`, given the one planned without webhooks."""
        if source.kind in SLOWED_KINDS and source.kind in self.flowing():
            return max(planned, self._slow_interval)
        return planned

    async def handle(self, event: WebhookEvent) -> None:
        """One signed event (WebhookEndpoint's handler)."""
        if event.field == "delete":
            await self._deleted(event.media_id)
            return
        kind = PUSHED_INTO.get(event.field)
        if kind is None:
            log.info("webhook field %r is not one the bridge uses; ignored", event.field)
            return
        self._arrived(kind)
        sources = [s for s in self._store.sources.active() if s.kind is kind]
        if not sources:
            log.info("webhook %s event for %s: nobody watches it", event.field, event.media_id)
            return
        try:
            post = await self._threads.media(event.media_id)
        except ThreadsError as exc:
            # The post is there to be listed; a poll now finds it instead of the slow one.
            log.warning(
                "could not read post %s of a webhook %s event (%s); polling instead",
                event.media_id,
                event.field,
                exc.reason,
            )
            for source in sources:
                await self._poller.poll(source.id)
            return
        if not self._listed_by_poll(kind, post):
            log.info("webhook %s event for %s: not part of %s", event.field, post.id, kind)
            return
        for source in sources:
            await self._poller.record_pushed(source.id, [post])

    async def check_flow(self) -> None:
        """The periodic check: a field's events stopped coming, so its source is polled as
        before."""
        stopped = self._slowed - self.flowing()
        if stopped:
            self._slowed -= stopped
            for kind in sorted(stopped):
                log.info("no webhook events for %s for an hour: polled as usual again", kind)
            self._on_flow_change()

    def _arrived(self, kind: SourceKind) -> None:
        self._last_event[kind] = self._clock()
        if kind not in self._slowed:
            self._slowed |= {kind}
            log.info(
                "webhook events for %s are flowing: polled every %.0fs while they do",
                kind,
                self._slow_interval,
            )
            self._on_flow_change()

    def _listed_by_poll(self, kind: SourceKind, post: Post) -> bool:
        """Whether a poll of the `kind` source would show `post`: `publish` also fires for
        the account's replies, which "me" does not list; the replies inbox is other people's
        replies, not the account's own."""
        if kind is SourceKind.ME:
            return not post.is_reply
        if kind is SourceKind.REPLIES:
            me = self._connected_account()
            mine = me.username.lower() if me is not None else None
            return (post.username or "").lower() != mine
        return True

    async def _deleted(self, post_id: str) -> None:
        if self._on_deleted is not None:
            await self._on_deleted(post_id, "deleted on Threads")
            return
        dropped = self._store.outbox.drop_post(post_id, "deleted on Threads")
        log.info(
            "post %s was deleted on Threads: %d deliveries still owed dropped "
            "(messages already sent stay)",
            post_id,
            dropped,
        )
