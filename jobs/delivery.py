"""Draining the outbox into chats, within each platform's limits.

One task per destination with due work delivers its rows strictly in order; destinations run
concurrently, so a slow chat never holds up the others. Every send waits for its chat's spacing,
then for one of `max_in_flight` request slots, then for a platform-wide slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Mapping

from bot.events import Delivery, Destination
from bot.outbound import (
    DeliveryFailed,
    DeliveryRejected,
    DestinationGone,
    DestinationMoved,
    Outlet,
    RetryAfter,
)
from jobs.pacing import ChatSpacing, Pacer
from storage.store import Store

log = logging.getLogger(__name__)


class DeliveryWorker:
    def __init__(
        self,
        store: Store,
        outlets: Mapping[str, Outlet],
        *,
        max_attempts: int = 8,
        backoff_base: float = 5.0,
        backoff_max: float = 600.0,
    ) -> None:
        self._store = store
        self._outlets = dict(outlets)
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._pacers = {name: Pacer(o.limits.per_second) for name, o in self._outlets.items()}
        self._in_flight = {
            name: asyncio.Semaphore(o.limits.max_in_flight) for name, o in self._outlets.items()
        }
        self._spacing = ChatSpacing()
        self._active: dict[Destination, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._changed = asyncio.Condition()  # notified whenever a destination task ends
        self._main: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._outlets and self._main is None:
            self._main = asyncio.create_task(self._run(), name="delivery worker")

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
            due = self._store.outbox.due_destinations(list(self._outlets), time.time(), 1)
            return not self._active and not due

        async with self._changed:
            await self._changed.wait_for(settled)

    async def _run(self) -> None:
        platforms = list(self._outlets)
        while not self._stopping:
            self._wake.clear()
            try:
                due = self._store.outbox.due_destinations(platforms, time.time(), limit=10_000)
            except Exception:
                log.exception("reading the outbox failed; trying again shortly")
                due = []
            for destination in due:
                if destination not in self._active:
                    self._active[destination] = asyncio.create_task(
                        self._drain(destination), name=f"deliver to {destination}"
                    )
            await self._sleep_until_due(platforms)

    async def _sleep_until_due(self, platforms: list[str]) -> None:
        """Until woken (new rows, a destination task ended) or a retry falls due. Rows that
        are due now belong to destinations being drained, which wake us when they end."""
        now = time.time()
        wakeup = self._store.outbox.next_wakeup(platforms, after=now)
        timeout = 30.0 if wakeup is None else min(wakeup - now, 30.0)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()

    async def _drain(self, destination: Destination) -> None:
        try:
            while not self._stopping and (
                delivery := self._store.outbox.next_due(destination, time.time())
            ):
                await self._deliver(delivery)
        except Exception:
            log.exception("delivery to %s crashed; it will be retried", destination)
        finally:
            del self._active[destination]
            self._wake.set()  # anything that became due meanwhile gets picked up
            async with self._changed:
                self._changed.notify_all()

    async def _deliver(self, delivery: Delivery) -> None:
        destination = delivery.destination
        outlet = self._outlets[destination.platform]
        parts = outlet.render(delivery.item, destination)
        sent = self._store.outbox.sent_parts(delivery.id)
        for index, part in enumerate(parts):
            if index in sent:
                continue  # went out before a restart
            message_ids = await self._send(outlet, delivery, part)
            if message_ids is None:
                return  # rescheduled, dead or paused; the row says which
            self._store.outbox.record_part(delivery, index, message_ids)
        self._store.outbox.delivered(delivery.id)

    async def _send(self, outlet: Outlet, delivery: Delivery, part: object) -> list[str] | None:
        destination = delivery.destination
        chat = (destination.platform, destination.chat_id)
        interval = (
            outlet.limits.group_interval
            if outlet.is_group(destination)
            else outlet.limits.chat_interval
        )
        await self._spacing.wait(chat, interval)
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
                delivery.id, time.time() + exc.seconds, exc.reason, count_attempt=False
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
            self._fail(delivery, reason)
        return None

    def _fail(self, delivery: Delivery, reason: str) -> None:
        attempts = delivery.attempts + 1
        if attempts >= self._max_attempts:
            log.error(
                "giving up on post %s for %s after %d attempts: %s",
                delivery.item.post.id,
                delivery.destination,
                attempts,
                reason,
            )
            self._store.outbox.dead(delivery.id, reason)
            return
        delay = min(self._backoff_max, self._backoff_base * 2 ** (attempts - 1))
        delay *= random.uniform(0.8, 1.2)  # spread retries of many rows that failed together
        log.info(
            "sending post %s to %s failed (%s); retry %d in %.0fs",
            delivery.item.post.id,
            delivery.destination,
            reason,
            attempts,
            delay,
        )
        self._store.outbox.retry_later(
            delivery.id, time.time() + delay, reason, count_attempt=True
        )
