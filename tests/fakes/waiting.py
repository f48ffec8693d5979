"""What the fakes share for event-driven waiting: a condition notified on every recorded event,
and `wait_for(predicate)` that re-checks after each one (no polling, no sleeps)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

Owner = TypeVar("Owner")


class Waitable(Generic[Owner]):
    label = "fake"

    def __init__(self) -> None:
        self._changed = asyncio.Condition()

    async def notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(
        self, owner: Owner, predicate: Callable[[Owner], bool], *, within: float
    ) -> None:
        """Return once `predicate(owner)` holds; re-checked after every recorded event. On
        timeout, fail with the recent history, so the test says what did happen."""
        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(lambda: predicate(owner))
        except TimeoutError:
            raise AssertionError(
                f"{self.label}: condition not met within {within}s\n{self.summary()}"
            ) from None

    def summary(self, last: int = 25) -> str:
        raise NotImplementedError
