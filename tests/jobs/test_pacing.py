"""The platform-wide pacer and the per-chat spacing, on virtual time: any one second of
arrivals stays under the platform's limit, even when the event loop stalls and wakes many
senders at once, and each chat gets its interval."""

from __future__ import annotations

import asyncio
import random

import pytest

from jobs.pacing import ARRIVAL_SLACK, ChatSpacing, Pacer
from tests.virtual_time import VirtualClock

WINDOW = 1.0 + ARRIVAL_SLACK


def most_in_any_window(stamps: list[float], span: float) -> int:
    return max(sum(1 for other in stamps if start <= other < start + span) for start in stamps)


async def send_through(
    clock: VirtualClock, pacer: Pacer, senders: int, *, stall_after: int | None = None
) -> list[float]:
    """When each of `senders` concurrent senders got its slot. After the `stall_after`th, the
    event loop is held for 0.3 s (a slow callback, a long garbage collection): every sender
    asleep meanwhile wakes late, and all at once."""
    stamps: list[float] = []

    async def sender() -> None:
        await pacer.wait()
        stamps.append(clock.now)
        if len(stamps) == stall_after:
            clock.advance(0.3)

    await clock.run(asyncio.gather(*(sender() for _ in range(senders))))
    return stamps


async def test_even_sends_stay_under_the_limit_with_room_for_late_arrivals() -> None:
    clock = VirtualClock()
    stamps = await send_through(clock, Pacer(20, clock), 30)

    assert most_in_any_window(stamps, WINDOW) == 20
    # Evenly spaced at the limit, not slower: 29 gaps of WINDOW / 20.
    assert stamps[-1] - stamps[0] == pytest.approx(WINDOW / 20 * 29)


async def test_arrivals_up_to_the_slack_late_never_exceed_the_limit_in_a_second() -> None:
    clock = VirtualClock()
    stamps = await send_through(clock, Pacer(20, clock), 100)
    late = random.Random(3)

    arrivals = sorted(at + late.uniform(0, ARRIVAL_SLACK) for at in stamps)

    assert most_in_any_window(arrivals, 1.0) <= 20


async def test_senders_woken_late_together_do_not_burst() -> None:
    clock = VirtualClock()
    stamps = await send_through(clock, Pacer(20, clock), 30, stall_after=8)

    assert most_in_any_window(stamps, WINDOW) <= 20
    assert len(set(stamps)) < len(stamps)  # the stall did wake several at the same moment


async def test_a_hold_gives_out_no_slot_until_it_ends() -> None:
    clock = VirtualClock()
    pacer = Pacer(20, clock)
    pacer.hold(5.0)  # a flood-control answer said to wait

    stamps = await send_through(clock, pacer, 3)

    assert stamps[0] == 5.0


async def test_each_chat_gets_its_interval_and_others_do_not_wait_for_it() -> None:
    clock = VirtualClock()
    spacing = ChatSpacing(clock)
    sent: list[tuple[str, float]] = []

    async def send_three(chat: str, interval: float) -> None:
        for _ in range(3):
            await spacing.wait(chat, interval)
            sent.append((chat, clock.now))

    await clock.run(asyncio.gather(send_three("group", 3.0), send_three("private", 1.0)))

    assert [at for chat, at in sent if chat == "group"] == [0.0, 3.0, 6.0]
    assert [at for chat, at in sent if chat == "private"] == [0.0, 1.0, 2.0]


async def test_a_chat_hold_lengthens_its_wait_only() -> None:
    clock = VirtualClock()
    spacing = ChatSpacing(clock)
    spacing.hold("held", 30.0)
    sent: dict[str, float] = {}

    async def send(chat: str) -> None:
        await spacing.wait(chat, 1.0)
        sent[chat] = clock.now

    await clock.run(asyncio.gather(send("held"), send("other")))

    assert sent == {"held": 30.0, "other": 0.0}
