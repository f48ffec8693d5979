"""The delivery worker against Telegram's published flood limits, on virtual time: a burst to
many chats arrives at close to the platform's rate with (almost) no 429, groups get their
slower spacing, and a flood wait holds back the chat it names for as long as it says.

The outlet stands in for a chat platform with a latency and the fake Telegram's own model of
the flood limits (tests/fakes/telegram/limits.py), counted when a send arrives.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.telegram.adapter import TELEGRAM_LIMITS
from bot.events import Destination, FeedItem, Profile, SourceKind
from bot.fanout import fan_out
from bot.outbound import RateLimits, RetryAfter
from jobs.delivery import DeliveryWorker
from storage.store import Store
from tests.fakes.telegram.errors import ApiError
from tests.fakes.telegram.limits import FloodGate
from tests.fakes.telegram.limits import RateLimits as PlatformLimits
from tests.feed_items import feed_item
from tests.virtual_time import VirtualClock

BOB = Profile("1", "bob")


@dataclass
class Arrival:
    at: float
    chat_id: str
    text: str


@dataclass
class TelegramLike:
    """An Outlet whose sends take 100-300 ms to arrive and are admitted or refused (429 with
    retry_after) by Telegram's flood limits as the fake Telegram models them."""

    clock: VirtualClock
    platform: str = "telegram"
    limits: RateLimits = TELEGRAM_LIMITS
    arrivals: list[Arrival] = field(default_factory=list)
    refused: int = 0
    flood_waits: dict[str, int] = field(default_factory=dict)  # chat -> seconds, once

    def __post_init__(self) -> None:
        self.gate = FloodGate(PlatformLimits(), self.clock.monotonic)
        self._latency = random.Random(7)

    def render(self, item: FeedItem, destination: Destination) -> Sequence[str]:
        return [item.post.text or ""]

    def is_group(self, destination: Destination) -> bool:
        return destination.chat_id.startswith("-")

    async def send(self, destination: Destination, part: str) -> list[str]:
        await self.clock.sleep(self._latency.uniform(0.1, 0.3))
        chat = destination.chat_id
        if chat in self.flood_waits:
            raise RetryAfter("flood wait", self.flood_waits.pop(chat))
        try:
            self.gate.admit(int(chat), "group" if self.is_group(destination) else "private")
        except ApiError as error:
            self.refused += 1
            raise RetryAfter("429", float((error.parameters or {})["retry_after"])) from None
        self.arrivals.append(Arrival(self.clock.now, chat, part))
        return [str(len(self.arrivals))]

    def to(self, chat_id: str) -> list[Arrival]:
        return [a for a in self.arrivals if a.chat_id == chat_id]


def queue_posts(store: Store, chats: list[str], posts: int) -> None:
    """`posts` new posts of @bob, each owed to every chat in `chats`."""
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    for chat in chats:
        store.subscriptions.add(
            source, Destination("telegram", chat), origin="config", created_by=None
        )
    soon = datetime.now(UTC) + timedelta(seconds=5)  # after the subscriptions started
    items = [
        feed_item(BOB, f"post {n}", id=str(100 + n), timestamp=soon + timedelta(seconds=n))
        for n in range(posts)
    ]
    store.feed.record(source, items, 0, baseline=False, fan_out=fan_out)


async def deliver_all(tmp_path: Path, chats: list[str], posts: int, outlet: TelegramLike) -> None:
    store = Store.open(tmp_path / "bridge.db")
    queue_posts(store, chats, posts)
    worker = DeliveryWorker(store, {"telegram": outlet}, clock=outlet.clock)
    worker.start()

    async def everything_sent() -> None:
        await worker.idle()
        while store.outbox.depth():  # rows waiting out a flood wait
            await outlet.clock.sleep(1)
            await worker.idle()

    await outlet.clock.run(everything_sent())
    assert store.outbox.counts_by_state() == {"delivered": len(chats) * posts}
    await worker.stop()
    store.close()


def most_in_any_window(stamps: list[float], span: float) -> int:
    return max(sum(1 for other in stamps if start <= other < start + span) for start in stamps)


async def test_a_burst_to_sixty_chats_arrives_near_the_rate_limit_without_429s(
    tmp_path: Path,
) -> None:
    clock = VirtualClock()
    outlet = TelegramLike(clock)
    chats = [str(5000 + n) for n in range(60)]

    await deliver_all(tmp_path, chats, 3, outlet)

    for chat in chats:  # every chat got the three posts, in order
        assert [a.text for a in outlet.to(chat)] == ["post 0", "post 1", "post 2"]
    assert outlet.refused <= 1  # at most 1% of 180 sends answered 429
    assert most_in_any_window([a.at for a in outlet.arrivals], 1.0) <= 30
    # 180 messages at 29/s with room for late arrivals: about 7 s, not minutes.
    assert outlet.arrivals[-1].at < 180 / 29 * 1.2


async def test_groups_get_one_message_every_three_seconds(tmp_path: Path) -> None:
    clock = VirtualClock()
    outlet = TelegramLike(clock)
    groups = [str(-1001000000000 - n) for n in range(5)]

    await deliver_all(tmp_path, groups, 4, outlet)

    assert outlet.refused == 0
    for group in groups:
        stamps = [a.at for a in outlet.to(group)]
        assert [a.text for a in outlet.to(group)] == [f"post {n}" for n in range(4)]
        # Sends leave 3.05 s apart; arrivals differ by the latency (0.1-0.3 s) on top.
        assert min(b - a for a, b in itertools.pairwise(stamps)) > 3.05 - 0.2


async def test_a_flood_wait_holds_back_the_chat_it_names_for_as_long_as_it_says(
    tmp_path: Path,
) -> None:
    clock = VirtualClock()
    outlet = TelegramLike(clock, flood_waits={"5000": 30})

    await deliver_all(tmp_path, ["5000", "5001"], 2, outlet)

    held, free = outlet.to("5000"), outlet.to("5001")
    assert [a.text for a in held] == ["post 0", "post 1"]  # nothing lost, order kept
    assert held[0].at >= 30  # nothing went to the held chat inside its wait
    # Any 429 pauses the whole platform for at most 5 s (it may be a global limit); the other
    # chat does not wait out the held chat's 30 s.
    assert free[-1].at < 10
