"""Time as the bridge's waits see it.

Everything that paces, spaces or retries sends reads the time from a `Clock` and sleeps on
it, rather than on `time` and `asyncio.sleep` directly, so that tests can run those waits on
time they control (tests/virtual_time.py) instead of paying real seconds and margins.
"""

from __future__ import annotations

import asyncio
import contextlib
import time


class Clock:
    """The real clock."""

    def time(self) -> float:
        """Wall-clock seconds since the epoch (what the database stores)."""
        return time.time()

    def monotonic(self) -> float:
        """Seconds for measuring intervals (never jumps with the wall clock)."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))

    async def wait(self, event: asyncio.Event, within: float) -> bool:
        """Until `event` is set (True) or `within` seconds have passed (False)."""
        if event.is_set():
            return True
        waiter = asyncio.ensure_future(event.wait())
        sleeper = asyncio.ensure_future(self.sleep(within))
        try:
            await asyncio.wait({waiter, sleeper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waiter, sleeper):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        return event.is_set()


SYSTEM_CLOCK = Clock()
