"""Threads webhook events into the feed, and slower polling while they flow.

A `publish`, `replies` or `mentions` event names a post of one of the connected account's
sources (PUSHED_INTO). The post is read whole (`media`), so it renders like a polled one, and
recorded through the poller (SourcePoller.record_pushed): the same outbox, the same fan-out, and
deduplicated by post id against the polls of that source, so a post arrives once whichever
finds it first. A `delete` event drops the post's deliveries still owed; chat messages already
sent stay as they are (nothing edits delivered messages yet).

While events arrive (one within FLOWING_FOR), those sources are polled only every
`slow_interval` (threads.max_poll_interval): the polls remain as the safety net for events
Meta never sends. When the events stop, the normal interval comes back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.events import Source, SourceKind
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
        on_flow_change: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`on_flow_change` is called when events start or stop flowing (the bridge retimes
        the poll jobs: PollScheduler.retime)."""
        self._store = store
        self._threads = threads
        self._poller = poller
        self._slow_interval = slow_interval
        self._on_flow_change = on_flow_change
        self._clock = clock
        self._last_event: float | None = None
        self._slowed = False  # whether the poll jobs were last told that events flow

    @property
    def flowing(self) -> bool:
        """Whether an event arrived within the last FLOWING_FOR seconds."""
        last = self._last_event
        return last is not None and self._clock() - last < FLOWING_FOR

    def interval(self, source: Source, planned: float) -> float:
        """The poll interval of `source`, given the one planned without webhooks."""
        if source.kind in SLOWED_KINDS and self.flowing:
            return max(planned, self._slow_interval)
        return planned

    async def handle(self, event: WebhookEvent) -> None:
        """One signed event (WebhookEndpoint's handler)."""
        self._arrived()
        if event.field == "delete":
            self._deleted(event.media_id)
            return
        kind = PUSHED_INTO.get(event.field)
        if kind is None:
            log.info("webhook field %r is not one the bridge uses; ignored", event.field)
            return
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
        if kind is SourceKind.ME and post.is_reply:
            # `publish` also fires for the account's replies; "me" lists only its posts.
            log.info("webhook publish event for reply %s: not part of 'me'", post.id)
            return
        for source in sources:
            await self._poller.record_pushed(source.id, [post])

    async def check_flow(self) -> None:
        """The periodic check: events stopped coming, so the sources are polled as before."""
        if self._slowed and not self.flowing:
            self._slowed = False
            log.info("no webhook events for an hour: the connected account is polled as usual")
            self._on_flow_change()

    def _arrived(self) -> None:
        self._last_event = self._clock()
        if not self._slowed:
            self._slowed = True
            log.info(
                "webhook events are flowing: the connected account's sources are polled every "
                "%.0fs while they do",
                self._slow_interval,
            )
            self._on_flow_change()

    def _deleted(self, post_id: str) -> None:
        dropped = self._store.outbox.drop_post(post_id, "deleted on Threads")
        log.info(
            "post %s was deleted on Threads: %d deliveries still owed dropped "
            "(messages already sent stay)",
            post_id,
            dropped,
        )
