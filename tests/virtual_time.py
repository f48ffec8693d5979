"""Clocks for tests: time the test controls, so that waits cost no real seconds and no
assertion depends on how fast this machine happens to be."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable
from typing import TypeVar

from bot.clock import Clock

T = TypeVar("T")

EPOCH = 1_800_000_000.0  # what VirtualClock.time() reads at virtual 0 (a date in 2027)


class VirtualClock(Clock):
    """Time that moves only when the test says so.

    `advance(seconds)` moves it, waking every sleeper that fell due meanwhile, late and all at
    once (as a stalled event loop wakes them). `run(awaitable)` awaits the awaitable while
    moving time to the next sleeper's deadline whenever every task is waiting on the clock:
    a discrete-event simulation of the code under test. Only for code that does no real I/O
    while it runs: a task waiting on a socket looks idle to `run`.
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def time(self) -> float:
        return EPOCH + self.now

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), woken))
        await woken

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self._wake_due()

    async def run(self, awaitable: Awaitable[T]) -> T:
        task = asyncio.ensure_future(awaitable)
        try:
            while True:
                await _until_nothing_runs()
                if task.done():
                    return task.result()
                self._drop_cancelled()
                if not self._sleepers:
                    raise AssertionError(
                        "deadlock: the task waits, and nothing waits on the clock"
                    )
                self.now = max(self.now, self._sleepers[0][0])
                self._wake_due()
        finally:
            task.cancel()

    def _wake_due(self) -> None:
        while self._sleepers and self._sleepers[0][0] <= self.now:
            _, _, woken = heapq.heappop(self._sleepers)
            if not woken.done():
                woken.set_result(None)

    def _drop_cancelled(self) -> None:
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)


async def idle() -> None:
    """Until every task waits on something (the clock, an event, a socket): for a test that
    moves a VirtualClock with `advance` and must know the code under test reached its wait."""
    await _until_nothing_runs()


async def _until_nothing_runs() -> None:
    """Yield until no callback is ready to run: every task waits on something."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0)
    # The ready queue is asyncio's own (CPython's event loops keep it as `_ready`).
    while getattr(loop, "_ready", None):  # noqa: ASYNC110 (no event says "all are waiting")
        await asyncio.sleep(0)


class SkipAheadClock(Clock):
    """Real time, except that every wait is skipped: a sleep moves this clock forward at once.

    For the end-to-end tests, where real servers answer on real sockets: the bridge and the
    fake chat servers share this clock, so a send spaced 3 s after the previous one arrives
    3 s later as both of them count, yet no real second passes. Waiting on an event still
    waits for the event (see `wait`).
    """

    def __init__(self) -> None:
        self.skipped = 0.0

    def time(self) -> float:
        return time.time() + self.skipped

    def monotonic(self) -> float:
        return time.monotonic() + self.skipped

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.skipped += seconds
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        """Jump ahead (past a backoff, say) without anyone sleeping."""
        self.skipped += seconds
