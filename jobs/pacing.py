"""Pacing sends: an even spacing for a platform, and a minimum interval per chat."""

from __future__ import annotations

import asyncio


class Pacer:
    """Hands out send slots `1 / per_second` apart, with no burst.

    Telegram counts messages in any one-second window; a token bucket would allow a full
    bucket plus the refill inside one window, so slots are spaced evenly instead.
    """

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second
        self._next = 0.0

    async def wait(self) -> None:
        now = asyncio.get_running_loop().time()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def hold(self, seconds: float) -> None:
        """Give out no slot for `seconds` (after a flood-control answer)."""
        now = asyncio.get_running_loop().time()
        self._next = max(self._next, now + seconds)


class ChatSpacing:
    """The earliest time each chat may receive its next message."""

    def __init__(self) -> None:
        self._ready_at: dict[object, float] = {}

    async def wait(self, key: object, interval: float) -> None:
        loop = asyncio.get_running_loop()
        ready_at = self._ready_at.get(key, 0.0)
        if ready_at > loop.time():
            await asyncio.sleep(ready_at - loop.time())
        self._ready_at[key] = loop.time() + interval

    def hold(self, key: object, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self._ready_at[key] = max(self._ready_at.get(key, 0.0), loop.time() + seconds)
