"""The platform-wide pacer keeps any one second of arrivals under the platform's limit, even
when the event loop stalls and wakes many senders at once."""

from __future__ import annotations

import asyncio
import time

from jobs.pacing import ARRIVAL_SLACK, Pacer


def hold_the_loop(seconds: float) -> None:
    """Keep the CPU busy without yielding, as a slow callback or a long garbage collection
    does: every sender sleeping meanwhile wakes late, and all at once."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


def most_in_any_window(stamps: list[float], span: float) -> int:
    return max(sum(1 for other in stamps if start <= other < start + span) for start in stamps)


async def send_through(
    pacer: Pacer, senders: int, *, stall_after: int | None = None
) -> list[float]:
    loop = asyncio.get_running_loop()
    stamps: list[float] = []

    async def sender() -> None:
        await pacer.wait()
        stamps.append(loop.time())
        if len(stamps) == stall_after:
            hold_the_loop(0.3)

    await asyncio.gather(*(sender() for _ in range(senders)))
    return stamps


async def test_even_sends_stay_under_the_limit_with_room_for_late_arrivals() -> None:
    stamps = await send_through(Pacer(20), 30)

    assert most_in_any_window(stamps, 1.0 + ARRIVAL_SLACK) == 20
    # Not slower than the limit allows: 30 sends, 20 per (1 + slack) seconds.
    assert stamps[-1] - stamps[0] < 1.5 * (1.0 + ARRIVAL_SLACK)


async def test_senders_woken_late_together_do_not_burst() -> None:
    stamps = await send_through(Pacer(20), 30, stall_after=8)

    assert most_in_any_window(stamps, 1.0 + ARRIVAL_SLACK) <= 20
