"""Whether a chat platform is usable right now, and a short wait for it to become so.

A delivery that finds its platform disconnected waits here for up to a few seconds before
giving up the attempt (a RetryAfter, not counted as a failure): when the connection comes
back meanwhile, the post goes out at once instead of at the next retry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Link:
    def __init__(self, usable: Callable[[], bool]) -> None:
        self._usable = usable
        self._changed = asyncio.Event()

    def changed(self) -> None:
        """The adapter's state changed: waiters look again."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_usable(self, within: float) -> bool:
        """True once usable; False if still not after `within` seconds (real time: this waits
        for the platform, not for a pace of the bridge's own)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not self._usable():
            left = deadline - loop.time()
            if left <= 0:
                return False
            changed = self._changed
            try:
                async with asyncio.timeout(left):
                    await changed.wait()
            except TimeoutError:
                return self._usable()
        return True
