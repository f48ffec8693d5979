"""The one publishing worker: takes the publish queue's rows in due order and publishes each,
within Meta's quotas (250 posts and 1,000 replies per rolling 24 h, read from
`threads_publishing_limit` before each publish).

Whoever submitted a row (a /post) waits for its outcome a while; a row that outlives the wait
(it is scheduled, the quota is spent, Meta is slow) is reported to its chat when it goes. When
the quota is spent the queue waits (nothing is dropped) and each waiting chat is told once when
its post is expected to go.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.clock import SYSTEM_CLOCK, Clock
from bot.commands.base import Deferred
from bot.commands.explain import explain
from bot.events import ChatUser, Destination
from bot.tasks import keep_running
from bot.threads.errors import RateLimited, ThreadsError, TransientError
from bot.threads.models import PublishingLimit
from bot.threads.publish import Published
from storage.publications import Publications
from storage.publish_queue import PUBLISHING, QUEUED, REVIEW, PublishQueue, QueuedPost

log = logging.getLogger(__name__)

DAY = 24 * 3600.0
QUOTA_RECHECK = 600.0  # when Meta's count frees is unknown (posts made elsewhere)
TRANSIENT_RETRY = 60.0  # Threads down: the row waits this long and goes again
ANSWER_WAIT = 120.0  # how long a command waits for its row before answering "queued"
# Rows nobody asked for in their chat (a cross-post of a channel's own message): their chat
# is not told how they went (the log is), or a channel would fill with the bridge's notices.
UNANNOUNCED = frozenset({"autopost"})

Run = Callable[[QueuedPost, Callable[[int], None]], Awaitable[list[Published]]]
QuotaRead = Callable[[], Awaitable[PublishingLimit]]
Notify = Callable[[Destination, str], Awaitable[None]]


class PublishWorker:
    def __init__(
        self,
        queue: PublishQueue,
        publications: Publications,
        run: Run,
        *,
        quota: QuotaRead | None,
        notify: Notify,
        clock: Clock = SYSTEM_CLOCK,
        answer_wait: float = ANSWER_WAIT,
    ) -> None:
        self._queue = queue
        self._publications = publications
        self._run_row = run
        self._quota = quota
        self._notify = notify
        self._clock = clock
        self._answer_wait = answer_wait
        self._wake = asyncio.Event()
        self._waiters: dict[int, asyncio.Future[list[Published] | Deferred]] = {}
        self._told_waiting: set[int] = set()
        self._task: asyncio.Task[None] | None = None
        # Set (and replaced) whenever a row may have settled: a publish ended, or the store
        # was changed directly (wake).
        self._settled = asyncio.Event()

    # -- submitting ---------------------------------------------------------------------

    async def submit(
        self,
        kind: str,
        chat: Destination,
        user: ChatUser,
        request: str,
        *,
        due_at: float | None = None,
        origin: str | None = None,
    ) -> list[Published] | Deferred:
        """Queue a publish and wait for it a while: its posts, or Deferred when it did not go
        within the wait (scheduled, quota, a slow Meta). Errors of its publish are raised."""
        now = self._clock.time()
        row_id = self._queue.add(kind, chat, user, request, due_at=due_at, origin=origin, now=now)
        if due_at is not None and due_at > now:
            self._wake.set()
            return Deferred(row_id, due_at, "scheduled")
        waiter: asyncio.Future[list[Published] | Deferred] = (
            asyncio.get_running_loop().create_future()
        )
        self._waiters[row_id] = waiter
        self._wake.set()
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), self._answer_wait)
        except TimeoutError:
            return Deferred(row_id, None, "still publishing")
        finally:
            self._waiters.pop(row_id, None)

    def wake(self) -> None:
        self._wake.set()
        self._signal_settled()

    async def settled(self, row_id: int) -> QueuedPost:
        """The row once it is no longer queued, publishing or in review (an event to
        await, for tests and for whoever must know how a row ended)."""
        while True:
            changed = self._settled
            row = self._queue.get(row_id)
            if row is None:
                raise KeyError(f"no queued post #{row_id}")
            if row.state not in (QUEUED, PUBLISHING, REVIEW):
                return row
            await changed.wait()

    def _signal_settled(self) -> None:
        self._settled.set()
        self._settled = asyncio.Event()

    # -- lifecycle ----------------------------------------------------------------------

    def recover(self) -> None:
        """Rows a crash left `publishing`: settled by their publication (whose containers
        were settled by status at start), or queued again when nothing reached Threads."""
        for row in self._queue.in_flight():
            state = (
                self._publications.state(row.publication_id) if row.publication_id else None
            ) or {}
            settled = state.get("state")
            if settled in ("published", "partial"):  # partial: a chain that broke off
                link = state.get("permalink")
                self._queue.finish(row.id, permalink=str(link) if link else None)
            elif settled == "failed":
                self._queue.finish(row.id, error=str(state.get("error") or "failed"))
            elif settled == "publishing":
                continue  # a container Threads could not be asked about: the next start
            else:
                if row.publication_id:
                    self._publications.finish(row.publication_id, error="interrupted")
                self._queue.requeue(row.id, row.due_at)
                log.info("queued post #%d was interrupted before Threads; queued again", row.id)

    def start(self) -> None:
        # A database error (a full disk) must not end publishing for good: the loop is
        # logged and started again after a pause; the row it was on is still in the queue.
        self._task = keep_running(self._loop, name="publish worker")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- the loop -----------------------------------------------------------------------

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            row = self._queue.next_due()
            now = self._clock.time()
            if row is None:
                await self._wake.wait()
                continue
            if row.due_at > now:
                await self._clock.wait(self._wake, row.due_at - now)
                continue
            frees_at = await self._quota_frees_at(row)
            if frees_at is not None:
                await self._quota_spent(frees_at)
                await self._clock.wait(self._wake, max(frees_at - self._clock.time(), 1.0))
                continue
            await self._publish(row)

    async def _publish(self, row: QueuedPost) -> None:
        try:
            await self._publish_row(row)
        finally:
            self._signal_settled()

    async def _publish_row(self, row: QueuedPost) -> None:
        if not self._queue.start(row.id):
            return  # cancelled meanwhile
        # What it publishes as it is now: its source message may have been edited while the
        # quota was read (the row was picked before).
        row = self._queue.get(row.id) or row
        waiter = self._waiters.get(row.id)
        try:
            published = await self._run_row(
                row, lambda publication: self._queue.link_publication(row.id, publication)
            )
        except (RateLimited, TransientError) as exc:
            # Nothing went out (an unclear publish is PublishOutcomeUnknown, never retried).
            limited = isinstance(exc, RateLimited)
            due_at = self._clock.time() + (QUOTA_RECHECK if limited else TRANSIENT_RETRY)
            self._retry_later(row, due_at, exc)
            trouble = (
                "Threads is limiting how often the bridge can publish right now"
                if limited
                else "Threads is having trouble right now"
            )
            reason = f"{trouble}; it tries again at about {_clock_time(due_at)}"
            await self._tell_deferred(row, waiter, due_at, reason)
            return
        except Exception as exc:
            reason = getattr(exc, "reason", None) or "an error on the bridge's side"
            self._queue.finish(row.id, error=str(reason))
            if waiter is not None and not waiter.done():
                waiter.set_exception(exc)
            else:
                await self._safe_notify(row, _failure_text(row, exc))
            return
        self._queue.finish(
            row.id,
            permalink=published[0].permalink if published else None,
            now=self._clock.time(),
        )
        if waiter is not None and not waiter.done():
            waiter.set_result(published)
        else:
            link = published[0].permalink if published else "(no link)"
            await self._safe_notify(row, f"Published on Threads (queued #{row.id}): {link}")

    def _retry_later(self, row: QueuedPost, due_at: float, error: ThreadsError) -> None:
        """Nothing was published (Meta refused or did not answer before a container went):
        the row goes back to the queue."""
        current = self._queue.get(row.id)
        if current is not None and current.publication_id:
            self._publications.finish(current.publication_id, error=error.reason)
        self._queue.requeue(row.id, due_at)
        log.warning("queued post #%d waits: %s", row.id, error.reason)

    async def _tell_deferred(
        self,
        row: QueuedPost,
        waiter: asyncio.Future[list[Published] | Deferred] | None,
        due_at: float,
        reason: str,
    ) -> None:
        if waiter is not None and not waiter.done():
            waiter.set_result(Deferred(row.id, due_at, reason))
            self._told_waiting.add(row.id)

    # -- quota --------------------------------------------------------------------------

    async def _quota_frees_at(self, row: QueuedPost) -> float | None:
        """None when the row's quota has room; else when it is expected to."""
        if self._quota is None:
            return None
        try:
            limit = await self._quota()
        except ThreadsError as exc:
            log.info("could not read the publishing quota (%s); publishing anyway", exc.reason)
            return None
        replies = row.kind == "reply"
        quota = limit.replies if replies and limit.replies is not None else limit.posts
        if quota.remaining > 0:
            return None
        now = self._clock.time()
        ours = self._queue.published_since(now - quota.window_seconds, replies=replies)
        # The oldest of our own posts in the window leaves it first; posts made elsewhere
        # are not known here, so look again after a while.
        return ours[0] + quota.window_seconds if ours else now + QUOTA_RECHECK

    async def _quota_spent(self, frees_at: float) -> None:
        when = _clock_time(frees_at)
        for waiting in self._queue.waiting():
            if waiting.due_at > self._clock.time():
                continue
            reason = f"Threads' daily publishing limit is used up; it goes out at about {when}"
            waiter = self._waiters.get(waiting.id)
            if waiter is not None and not waiter.done():
                waiter.set_result(Deferred(waiting.id, frees_at, reason))
                self._told_waiting.add(waiting.id)
            elif waiting.id not in self._told_waiting:
                self._told_waiting.add(waiting.id)
                await self._safe_notify(waiting, f"Queued post #{waiting.id}: {reason}.")

    async def _safe_notify(self, row: QueuedPost, text: str) -> None:
        if row.kind in UNANNOUNCED:
            log.info("%s (%s, not told in %s)", text, row.kind, row.chat)
            return
        try:
            await self._notify(row.chat, text)
        except Exception as exc:  # the chat is gone or down: the row's state says it all
            log.warning("could not tell %s about queued post #%d: %s", row.chat, row.id, exc)


def _failure_text(row: QueuedPost, error: Exception) -> str:
    reason = explain(error) if isinstance(error, ThreadsError) else getattr(error, "reason", "")
    return f"Queued post #{row.id} could not be published: {reason or 'see the log'}"


def _clock_time(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%H:%M UTC")
