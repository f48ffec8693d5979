"""End-to-end harness: the whole bridge with the real discord.py against a loopback Discord
(REST + gateway) and the real Threads client against the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import parse_config
from bot.runtime.app import BridgeApp
from bot.threads.client import ThreadsClient
from simulator import SimUser, ThreadsSimulator
from tests.conftest import FAST_RETRY
from tests.fakes.discord import FakeDiscord, SentInteraction, SentMessage, patched_discord
from tests.fakes.discord.harness import ALICE, BOB, FORUM, GUILD, NEWS, TEXT, populate
from tests.harness import poll_now
from tests.virtual_time import SkipAheadClock

PUBLISHER = 1_300_000_000_000_000_203  # listed in discord.publishers
EDITOR = 1_300_000_000_000_000_204  # has the publisher role
EDITORS_ROLE = 1_300_000_000_000_000_302
__all__ = ["ALICE", "BOB", "EDITOR", "FORUM", "GUILD", "NEWS", "PUBLISHER", "TEXT"]


@pytest.fixture
def clock() -> SkipAheadClock:
    """The time the bridge's delivery waits and the fake's rate limits share: spacing is
    kept as both count it, without costing real seconds."""
    return SkipAheadClock()


@pytest.fixture
async def discord_fake(clock: SkipAheadClock) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(clock=clock.monotonic) as fake, patched_discord(fake):
        populate(fake)
        fake.add_member(GUILD, PUBLISHER, "pat")
        fake.add_role(GUILD, EDITORS_ROLE, "editors")
        fake.add_member(GUILD, EDITOR, "eddie", roles=[EDITORS_ROLE])
        yield fake


@dataclass
class Bridge:
    app: BridgeApp
    sim: ThreadsSimulator
    discord: FakeDiscord

    async def poll(self, username: str) -> int:
        return await poll_now(self.app, username)

    async def slash(
        self,
        user: int,
        subcommand: str,
        channel: int = TEXT,
        guild: int | None = GUILD,
        **options: str,
    ) -> InteractionAnswer:
        """Run `/threads subcommand` as `user` and wait for its final answer."""
        sent = await self.discord.invoke_slash(
            guild, channel, user, "threads", subcommand=subcommand, options=options or None
        )
        return await self.answer_to(sent)

    async def answer_to(self, sent: SentInteraction) -> InteractionAnswer:
        def answered(fake: FakeDiscord) -> bool:
            replies = fake.responses_to(sent.id)
            return any(r.type == 4 for r in replies) or any(r.kind == "followup" for r in replies)

        await self.discord.wait_for(answered, timeout=15)
        replies = self.discord.responses_to(sent.id)
        messages = [m for m in self.discord.messages if m.interaction_id == sent.id]
        return InteractionAnswer([r.type for r in replies if r.kind == "callback"], messages)

    async def delivered(self, channel: int, count: int) -> list[SentMessage]:
        def arrived(fake: FakeDiscord) -> bool:
            return len(self.feed_messages(channel)) >= count

        await self.discord.wait_for(arrived, timeout=30)
        return self.feed_messages(channel)

    def feed_messages(self, channel: int) -> list[SentMessage]:
        return [
            m
            for m in self.discord.messages_in(channel)
            if m.via in ("channel", "forum", "webhook")
        ]


@dataclass
class InteractionAnswer:
    callbacks: list[int]  # 4 = answered at once, 5 = deferred
    messages: list[SentMessage]

    @property
    def text(self) -> str:
        return "\n".join(m.content or "" for m in self.messages)

    @property
    def ephemeral(self) -> bool:
        return all(m.ephemeral for m in self.messages)


BridgeFactory = Callable[..., Any]


@pytest.fixture
async def start_bridge(
    tmp_path: Path,
    sim: ThreadsSimulator,
    discord_fake: FakeDiscord,
    alice: SimUser,
    clock: SkipAheadClock,
) -> AsyncIterator[Callable[..., Any]]:
    started: list[BridgeApp] = []

    async def start(**extra: Any) -> Bridge:
        raw: dict[str, Any] = {
            "threads": {
                "access_token": alice.token,
                "api_base": sim.base_url,
                "poll_interval": 3600,
            },
            "storage": {"path": str(tmp_path / "bridge.db")},
            "discord": {
                "token": discord_fake.token,
                "api_base": discord_fake.api_base,
                "gateway_url": discord_fake.gateway_url,
                "guild_ids": [GUILD],
                "publishers": [PUBLISHER],
                "publisher_roles": [EDITORS_ROLE],
            },
        }
        raw["discord"].update(extra.pop("discord", {}))
        raw["threads"].update(extra.pop("threads", {}))
        raw.update(extra)
        threads = ThreadsClient(alice.token, api_base=sim.base_url, retry=FAST_RETRY)
        app = BridgeApp(
            parse_config(raw, env={}), threads=threads, discord_ready_timeout=0.1, clock=clock
        )
        started.append(app)
        await app.start()
        return Bridge(app, sim, discord_fake)

    yield start
    for app in started:
        await app.stop()


@pytest.fixture
async def bridge(start_bridge: Callable[..., Any]) -> Bridge:
    result: Bridge = await start_bridge()
    return result
