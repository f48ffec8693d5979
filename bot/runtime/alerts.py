"""Telling the operators in chat when something needs a human (the Threads token above all)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from bot.events import Destination

log = logging.getLogger(__name__)

Notify = Callable[[Destination, str], Awaitable[None]]


class Alerts:
    """Sends a notice to every configured admin, at most once per `quiet` seconds per topic,
    so a failure that repeats every poll does not flood anyone."""

    def __init__(
        self,
        notify: Notify,
        admins: Sequence[Destination],
        *,
        quiet: float = 6 * 3600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._notify = notify
        self._admins = list(admins)
        self._quiet = quiet
        self._clock = clock
        self._last: dict[str, float] = {}

    async def raise_alert(self, topic: str, text: str) -> None:
        now = self._clock()
        if now - self._last.get(topic, float("-inf")) < self._quiet:
            return
        self._last[topic] = now
        log.warning("alert (%s): %s", topic, text)
        for admin in self._admins:
            try:
                await self._notify(admin, text)
            except Exception as exc:  # an unreachable admin must not stop the others
                log.warning("could not alert %s: %r", admin, exc)

    def clear(self, topic: str) -> None:
        """The problem is gone: the next occurrence is worth telling again."""
        self._last.pop(topic, None)
