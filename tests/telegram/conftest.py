"""End-to-end harness: the whole bridge (BridgeApp) with the real python-telegram-bot talking
to a loopback fake Telegram, and the real Threads client talking to the simulator."""

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
from tests.fakes.telegram import FakeTelegram, SentMessage
from tests.harness import poll_now
from tests.virtual_time import SkipAheadClock

PUBLISHER = 1001  # a Telegram user allowed to publish
MEMBER = 1002  # an ordinary user
ADMIN = 1003  # a group admin who is not a publisher
GROUP = -1001000000001
PRIVATE = PUBLISHER


@pytest.fixture
def clock() -> SkipAheadClock:
    """The time the bridge's waits and the fake's flood limits share: spacing and flood
    waits are kept as both count them, without costing real seconds."""
    return SkipAheadClock()


@pytest.fixture
async def tg(clock: SkipAheadClock) -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(clock=clock.monotonic) as fake:
        fake.add_user(PUBLISHER, "Pat", username="pat")
        fake.add_user(MEMBER, "Mel", username="mel")
        fake.add_user(ADMIN, "Ada", username="ada")
        fake.add_chat(PRIVATE, "private")
        fake.add_chat(GROUP, "supergroup", title="Fans", is_forum=True)
        fake.set_member(GROUP, MEMBER, "member")
        fake.set_member(GROUP, ADMIN, "administrator")
        fake.set_member(GROUP, PUBLISHER, "member")
        yield fake


def bridge_config(
    tmp_path: Path, sim: ThreadsSimulator, tg: FakeTelegram, account: SimUser, **extra: Any
) -> Any:
    raw: dict[str, Any] = {
        "threads": {
            "access_token": account.token,
            "api_base": sim.base_url,
            "poll_interval": 3600,
        },
        "storage": {"path": str(tmp_path / "bridge.db")},
        "telegram": {"token": tg.token, "api_base": tg.base_url, "publishers": [PUBLISHER]},
    }
    raw["telegram"].update(extra.pop("telegram", {}))
    raw["threads"].update(extra.pop("threads", {}))
    raw.update(extra)
    return parse_config(raw, env={})


@dataclass
class Bridge:
    """The running bridge plus the two fakes around it, with the steps tests repeat."""

    app: BridgeApp
    sim: ThreadsSimulator
    tg: FakeTelegram

    async def poll(self, username: str) -> int:
        return await poll_now(self.app, username)

    async def command(
        self,
        chat: int,
        user: int,
        text: str,
        *,
        reply_to: int | None = None,
        topic: int | None = None,
    ) -> SentMessage:
        """Send a command as `user` and wait for the bot's answer in that chat."""
        before = len(self.tg.sent_to(chat))
        sent = self.tg.send_command(
            chat, user, text, reply_to_message_id=reply_to, message_thread_id=topic
        )
        await self.tg.wait_for(lambda fake: len(fake.sent_to(chat)) > before, timeout=15)
        answer = self.tg.sent_to(chat)[before]
        if chat < 0:  # in groups the answer quotes the command it answers
            assert answer.reply_to_message_id == sent["message_id"]
        return answer

    async def delivered(self, chat: int, count: int) -> list[SentMessage]:
        await self.tg.wait_for(lambda fake: len(fake.sent_to(chat)) >= count, timeout=30)
        return self.tg.sent_to(chat)


BridgeFactory = Callable[..., Any]


def reads(message: SentMessage) -> str:
    """The text as a person reads it: the visible text without the invisible WORD JOINERs
    that keep an @name from becoming a Telegram mention."""
    return (message.visible_text or "").replace("\u2060", "")


@pytest.fixture
async def start_bridge(
    tmp_path: Path, sim: ThreadsSimulator, tg: FakeTelegram, alice: SimUser, clock: SkipAheadClock
) -> AsyncIterator[Callable[..., Any]]:
    started: list[BridgeApp] = []

    async def start(*, health_port: int | None = None, **extra: Any) -> Bridge:
        config = bridge_config(tmp_path, sim, tg, alice, **extra)
        threads = ThreadsClient(alice.token, api_base=sim.base_url, retry=FAST_RETRY)
        app = BridgeApp(config, threads=threads, health_port=health_port, clock=clock)
        started.append(app)
        await app.start()
        return Bridge(app, sim, tg)

    yield start
    for app in started:
        await app.stop()


@pytest.fixture
async def bridge(start_bridge: Callable[..., Any]) -> Bridge:
    result: Bridge = await start_bridge()
    return result
