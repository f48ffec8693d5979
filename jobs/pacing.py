"""Pacing sends: a platform-wide limit per second, and a minimum interval per chat."""

from __future__ import annotations

from collections import deque

from bot.clock import SYSTEM_CLOCK, Clock

# How late a send may reach the platform after it left: network jitter, and a busy event
# loop (a garbage collection, a slow callback) that wakes several senders late and at once.
ARRIVAL_SLACK = 0.15


class Pacer:
    """Keeps sends within `per_second` in any one second as the platform counts them.

    The platform counts arrivals in a sliding one-second window, and an arrival can come up
    to ARRIVAL_SLACK late, so no more than `per_second` sends go in any window of
    1 + ARRIVAL_SLACK seconds of actual sending. Slots are spaced evenly to that rate (a
    token bucket would allow a full bucket plus its refill inside one window), and the
    window check catches senders that woke late and together.
    """

    def __init__(self, per_second: float, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._window = 1.0 + ARRIVAL_SLACK
        self._limit = max(1, int(per_second))
        self._interval = self._window / self._limit
        self._recent: deque[float] = deque(maxlen=self._limit)  # when the last sends went
        self._next = 0.0

    async def wait(self) -> None:
        clock = self._clock
        now = clock.monotonic()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await clock.sleep(slot - now)
        while len(self._recent) == self._limit:
            free_in = self._recent[0] + self._window - clock.monotonic()
            if free_in <= 0:
                break
            await clock.sleep(free_in)
        self._recent.append(clock.monotonic())

    def hold(self, seconds: float) -> None:
        """Give out no slot for `seconds` (after a flood-control answer)."""
        self._next = max(self._next, self._clock.monotonic() + seconds)


class ChatSpacing:
    """The earliest time each chat may receive its next message."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._ready_at: dict[object, float] = {}

    async def wait(self, key: object, interval: float) -> None:
        ready_at = self._ready_at.get(key, 0.0)
        if ready_at > self._clock.monotonic():
            await self._clock.sleep(ready_at - self._clock.monotonic())
        self._ready_at[key] = self._clock.monotonic() + interval

    def hold(self, key: object, seconds: float) -> None:
        until = self._clock.monotonic() + seconds
        self._ready_at[key] = max(self._ready_at.get(key, 0.0), until)
