"""The bridge as a process with Discord: kill -9 mid-delivery, restart, nothing lost or
repeated beyond the message in flight; and a gateway reconnect resumes the session."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from pathlib import Path

from simulator import SimUser, ThreadsSimulator
from tests.discord.conftest import ALICE, GUILD, TEXT, Bridge
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import populate
from tests.harness import seed_baseline, start_bridge_process

CHANNELS = [1_300_000_000_000_001_000 + n for n in range(6)]
POSTS = [f"post {n}" for n in range(4)]


def write_config(
    directory: Path, sim: ThreadsSimulator, fake: FakeDiscord, account: SimUser
) -> Path:
    feeds = "".join(f'\n[[feeds]]\nprofile = "bob"\ndiscord_channel = {c}\n' for c in CHANNELS)
    config = directory / "config.toml"
    config.write_text(
        f'[threads]\naccess_token = "{account.token}"\napi_base = "{sim.base_url}"\n'
        f'poll_interval = 1\n[storage]\npath = "bridge.db"\n'
        f'[discord]\ntoken = "{fake.token}"\napi_base = "{fake.api_base}"\n'
        f'gateway_url = "{fake.gateway_url}"\nguild_ids = [{GUILD}]\n{feeds}',
        encoding="utf-8",
    )
    seed_baseline(directory / "bridge.db", "discord", CHANNELS)
    return config


def texts_in(fake: FakeDiscord, channel: int) -> list[str]:
    return [m.embeds[0]["description"] for m in fake.messages_in(channel) if m.embeds]


async def test_kill_9_mid_delivery_then_restart(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    sim.add_profile("bob", followers=5000)
    async with FakeDiscord() as fake:
        populate(fake)
        for channel in CHANNELS:
            fake.add_channel(GUILD, channel, f"feed-{channel % 100}")
        config = write_config(tmp_path, sim, fake, alice)
        for text in POSTS:
            sim.add_post("bob", text=text)

        first = await start_bridge_process(config, log=tmp_path / "log")
        await fake.wait_for(lambda f: sum(len(texts_in(f, c)) for c in CHANNELS) >= 8, 60)
        first.kill()
        await first.wait()
        before_restart = sum(len(texts_in(fake, c)) for c in CHANNELS)

        second = await start_bridge_process(config, log=tmp_path / "log")
        try:
            await fake.wait_for(
                lambda f: all(set(POSTS) <= set(texts_in(f, c)) for c in CHANNELS), 60
            )
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 15)

    assert before_restart < len(POSTS) * len(CHANNELS), "the kill came too late"
    for channel in CHANNELS:
        texts = texts_in(fake, channel)
        assert list(dict.fromkeys(texts)) == POSTS  # everything, in order
        assert sum(n - 1 for n in Counter(texts).values()) <= 1  # at most the one in flight


async def test_gateway_reconnect_resumes_and_commands_still_work(bridge: Bridge) -> None:
    await bridge.discord.reconnect()
    await bridge.discord.wait_for(lambda fake: fake.resumes >= 1, timeout=15)
    answer = await bridge.slash(ALICE, "list", channel=TEXT)
    assert answer.text.startswith("This chat watches no Threads profiles yet.")
    assert bridge.app.adapters[0].connected
