"""Draining the outbox into chats, within each platform's limits.

One task per destination with due work delivers its rows strictly in order; destinations run
concurrently, so a slow chat never holds up the others. Every send waits for its chat's spacing,
then for one of `max_in_flight` request slots, then for a platform-wide slot.

Whatever goes wrong with one row (its stored post cannot be decoded or rendered, the send
fails) is an attempt of that row: retried with backoff, then given up ("dead"), so the rows
behind it move on. Whatever goes wrong beyond a row (the database refuses a write) stops that
destination for a while, with growing backoff, rather than starting it again at once; a part
that was sent but could not be recorded is remembered and recorded then, never sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Mapping
from typing import Any

from bot.clock import SYSTEM_CLOCK, Clock
from bot.events import Delivery, Destination, FeedItem
from bot.outbound import (
    DeliveryFailed,
    DeliveryRejected,
    DestinationGone,
    DestinationMoved,
    Outlet,
    RetryAfter,
)
from bot.tasks import keep_running, spawn
from bot.templates import apply_template
from jobs.pacing import ChatSpacing, Pacer
from storage.outbox import UnreadableDelivery
from storage.store import Store

log = logging.getLogger(__name__)
GHOST_EXPIRED = "a ghost post that expired before it could be delivered"

IDLE_RECHECK = 30.0  # seconds: look at the outbox at least this often, woken or not


class DeliveryWorker:
    def __init__(
        self,
        store: Store,
        outlets: Mapping[str, Outlet[Any]],
        *,
        max_attempts: int = 8,
        backoff_base: float = 5.0,
        backoff_max: float = 600.0,
        clock: Clock = SYSTEM_CLOCK,
        prepare: Callable[[FeedItem, Destination], FeedItem] | None = None,
    ) -> None:
        """`prepare` may adjust an item for one destination before it is rendered (the
        cross-posting loop guard marks a post delivered back into the chat it came from)."""
        self._store = store
        self._prepare = prepare
        self._outlets = dict(outlets)
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._clock = clock
        self._now = clock.time  # wall time, as stored in outbox.next_attempt
        self._pacers = {
            name: Pacer(o.limits.per_second, clock) for name, o in self._outlets.items()
        }
        self._in_flight = {
            name: asyncio.Semaphore(o.limits.max_in_flight) for name, o in self._outlets.items()
        }
        self._spacing = ChatSpacing(clock)
        self._active: dict[Destination, asyncio.Task[None]] = {}
        # Destinations stopped by an error outside any row: when they may start again, and how
        # many times in a row they stopped (for the backoff).
        self._held: dict[Destination, tuple[float, int]] = {}
        # Parts that reached the chat but whose message ids the database refused to store
        # (disk full): kept until they are written, so that the part is never sent again.
        self._unrecorded: dict[tuple[int, int], list[str]] = {}
        self._wake = asyncio.Event()
        self._changed = asyncio.Condition()  # notified whenever a destination task ends
        self._main: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._outlets and self._main is None:
            # Restarted after a failure (a database error): delivery never stops for good.
            self._main = keep_running(self._run, name="delivery worker")

    def wake(self) -> None:
        """New rows are in the outbox: look now rather than at the next timer."""
        self._wake.set()

    async def stop(self, grace: float = 3.0) -> None:
        """Take no new work; let sends in flight finish for up to `grace` seconds, then cancel.
        A send cut short is repeated after the restart; nothing is lost."""
        self._stopping = True
        if self._main is not None:
            self._main.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._main
            self._main = None
        if self._active:
            _, late = await asyncio.wait(set(self._active.values()), timeout=grace)
            for task in late:
                task.cancel()
            for task in late:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def idle(self) -> None:
        """Return once nothing is being sent and nothing is due (rows waiting for a retry
        later do not count)."""

        def settled() -> bool:
            now = self._now()
            due = self._store.outbox.due_destinations(list(self._outlets), now, 10_000)
            return not self._active and not [d for d in due if not self._is_held(d, now)]

        async with self._changed:
            await self._changed.wait_for(settled)

    async def _run(self) -> None:
        platforms = list(self._outlets)
        while not self._stopping:
            self._wake.clear()
            now = self._now()
            try:
                due = self._store.outbox.due_destinations(platforms, now, limit=10_000)
            except Exception:
                log.exception("reading the outbox failed; trying again shortly")
                due = []
            for destination in due:
                if destination not in self._active and not self._is_held(destination, now):
                    self._active[destination] = spawn(
                        self._drain(destination), name=f"deliver to {destination}"
                    )
            await self._sleep_until_due(platforms)

    async def _sleep_until_due(self, platforms: list[str]) -> None:
        """Until woken (new rows, a destination task ended) or a retry falls due. Rows that
        are due now belong to destinations being drained, which wake us when they end."""
        now = self._now()
        wakeup = self._store.outbox.next_wakeup(platforms, after=now)
        held_until = [at for at, _ in self._held.values() if at > now]
        due_in = [at - now for at in [*held_until, wakeup] if at is not None]
        if due_in:
            await self._clock.wait(self._wake, min(*due_in, IDLE_RECHECK))
        else:
            # Nothing is scheduled: this is a safety net (a row that came without a wake),
            # not a deadline, so it runs on real time whatever clock paces the sends.
            await SYSTEM_CLOCK.wait(self._wake, IDLE_RECHECK)

    def _is_held(self, destination: Destination, now: float) -> bool:
        held = self._held.get(destination)
        return held is not None and held[0] > now

    async def _drain(self, destination: Destination) -> None:
        try:
            while not self._stopping:
                try:
                    delivery = self._store.outbox.next_due(destination, self._now())
                except UnreadableDelivery as row:
                    log.error("stored post %s cannot be read: %s", row.post_id, row.reason)
                    self._fail(row.outbox_id, row.post_id, destination, row.attempts, row.reason)
                    continue
                if delivery is None:
                    break
                await self._deliver(delivery)
            self._held.pop(destination, None)
        except Exception as exc:
            self._hold(destination, exc)
        finally:
            del self._active[destination]
            self._wake.set()  # anything that became due meanwhile gets picked up
            async with self._changed:
                self._changed.notify_all()

    async def _deliver(self, delivery: Delivery) -> None:
        destination = delivery.destination
        outlet = self._outlets[destination.platform]
        expires = delivery.item.post.ghost_expires_at
        if expires is not None and expires.timestamp() <= self._now():
            # Gone from Threads already: shown now, it would be removed within the minute.
            self._store.outbox.drop_post(delivery.item.post.id, GHOST_EXPIRED)
            return
        try:
            item = apply_template(delivery.item, delivery.template)
            if self._prepare is not None:
                item = self._prepare(item, destination)
            parts = outlet.render(item, destination)
        except Exception as exc:
            log.exception("rendering post %s for %s failed", delivery.item.post.id, destination)
            self._fail_delivery(delivery, repr(exc))
            return
        sent = self._store.outbox.sent_parts(delivery.id)
        for index, part in enumerate(parts):
            if index in sent:
                continue  # went out before a restart
            key = (delivery.id, index)
            message_ids = self._unrecorded.get(key)
            if message_ids is None:
                message_ids = await self._send(outlet, delivery, part)
                if message_ids is None:
                    return  # rescheduled, dead or paused; the row says which
                self._unrecorded[key] = message_ids
            # A failure here stops the destination (see _hold) with the part remembered:
            # the next attempt writes it instead of sending it again.
            self._store.outbox.record_part(delivery, index, message_ids)
            del self._unrecorded[key]
        self._store.outbox.delivered(delivery.id)

    async def _send(
        self, outlet: Outlet[Any], delivery: Delivery, part: object
    ) -> list[str] | None:
        destination = delivery.destination
        chat = (destination.platform, destination.chat_id)
        interval = (
            outlet.limits.group_interval
            if outlet.is_group(destination)
            else outlet.limits.chat_interval
        )
        await self._spacing.wait(chat, interval)
        if not self._store.outbox.pending(delivery.id):
            return None  # unwatched or paused while it waited: it must not go out now
        try:
            # The request slot first, then the platform slot: a slot taken while waiting for a
            # request slot would be spent late, bunched with others.
            async with self._in_flight[destination.platform]:
                await self._pacers[destination.platform].wait()
                return await outlet.send(destination, part)
        except RetryAfter as exc:
            log.info(
                "%s asks to wait %.1fs before sending to %s",
                outlet.platform,
                exc.seconds,
                destination,
            )
            self._spacing.hold(chat, exc.seconds)
            self._pacers[destination.platform].hold(min(exc.seconds, 5.0))
            self._store.outbox.retry_later(
                delivery.id, self._now() + exc.seconds, exc.reason, count_attempt=False
            )
        except DestinationMoved as exc:  # the row stays due and goes out at the new id
            log.warning("%s moved to chat %s: %s", destination, exc.chat_id, exc.reason)
            self._store.chat_moves.move(destination, exc.chat_id)
        except DestinationGone as exc:
            log.warning("pausing deliveries to %s: %s", destination, exc.reason)
            self._store.subscriptions.pause_destination(destination, exc.reason)
        except DeliveryRejected as exc:
            log.error(
                "%s refused post %s for %s: %s",
                outlet.platform,
                delivery.item.post.id,
                destination,
                exc.reason,
            )
            self._store.outbox.dead(delivery.id, exc.reason)
        except (DeliveryFailed, Exception) as exc:
            reason = exc.reason if isinstance(exc, DeliveryFailed) else repr(exc)
            if not isinstance(exc, DeliveryFailed):
                log.exception("unexpected failure sending to %s", destination)
            self._fail_delivery(delivery, reason)
        return None

    def _hold(self, destination: Destination, error: Exception) -> None:
        """Stop `destination` after an error outside any one row (a write the database
        refused): starting it again at once would repeat the error in a tight loop."""
        _, times = self._held.get(destination, (0.0, 0))
        delay = min(self._backoff_max, self._backoff_base * 2**times)
        self._held[destination] = (self._now() + delay, times + 1)
        log.error(
            "delivery to %s stopped (%r); trying again in %.0fs",
            destination,
            error,
            delay,
            exc_info=times == 0,  # the traceback once, not at every retry
        )

    def _fail_delivery(self, delivery: Delivery, reason: str) -> None:
        self._fail(
            delivery.id, delivery.item.post.id, delivery.destination, delivery.attempts, reason
        )

    def _fail(
        self, outbox_id: int, post_id: str, destination: Destination, attempts: int, reason: str
    ) -> None:
        """One more failed attempt of a row: retry it later, or give up after the last."""
        attempts += 1
        if attempts >= self._max_attempts:
            log.error(
                "giving up on post %s for %s after %d attempts: %s",
                post_id,
                destination,
                attempts,
                reason,
            )
            self._store.outbox.dead(outbox_id, reason)
            return
        delay = min(self._backoff_max, self._backoff_base * 2 ** (attempts - 1))
        delay *= random.uniform(0.8, 1.2)  # spread retries of many rows that failed together
        log.info(
            "sending post %s to %s failed (%s); retry %d in %.0fs",
            post_id,
            destination,
            reason,
            attempts,
            delay,
        )
        self._store.outbox.retry_later(outbox_id, self._now() + delay, reason, count_attempt=True)
