"""A burst of /post commands through `threads-bridge run` as a real process, killed with
SIGKILL three times while it publishes: every post is published exactly once. The commands
survive in the update inbox (written before python-telegram-bot confirms them to Telegram),
the publishes in the queue, the containers in publications (settled by status)."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from pathlib import Path

from simulator import SimUser, ThreadsSimulator
from tests.fakes.telegram import FakeTelegram
from tests.harness import start_bridge_process

PUBLISHER = 1001
BURST = 20


def write_config(path: Path, sim: ThreadsSimulator, tg: FakeTelegram, account: SimUser) -> Path:
    config = path / "config.toml"
    config.write_text(
        f"""
[threads]
access_token = "{account.token}"
api_base = "{sim.base_url}"

[storage]
path = "bridge.db"

[telegram]
token = "{tg.token}"
api_base = "{tg.base_url}"
publishers = [{PUBLISHER}]
""",
        encoding="utf-8",
    )
    return config


async def test_kill_9_three_times_during_a_burst_publishes_each_post_once(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    async with FakeTelegram() as tg:
        tg.latency = (0.02, 0.08)
        tg.add_user(PUBLISHER, "Pat", username="pat")
        tg.add_chat(PUBLISHER, "private")
        for n in range(BURST):
            tg.send_command(PUBLISHER, PUBLISHER, f"/post burst {n}")
        config = write_config(tmp_path, sim, tg, alice)
        log = tmp_path / "log"

        kills = []
        for containers in (3, 8, 14):  # kill -9 right as a publish reaches Meta
            process = await start_bridge_process(config, log=log)
            await asyncio.wait_for(sim.containers_created(containers), 60)
            process.kill()
            await process.wait()
            kills.append(len({p.text for p in sim.posts_by("alice")}))

        last = await start_bridge_process(config, log=log)
        try:
            await tg.wait_for(
                lambda _: len({p.text for p in sim.posts_by("alice")}) == BURST, timeout=60
            )
        finally:
            last.send_signal(signal.SIGTERM)
            await asyncio.wait_for(last.wait(), 15)

    assert kills[0] < BURST, "the first kill came too late to test anything"
    counts = Counter(p.text for p in sim.posts_by("alice"))
    assert counts == Counter({f"burst {n}": 1 for n in range(BURST)}), log.read_text()[-3000:]


CHANNEL = -1002000000002


async def test_kill_9_three_times_during_a_burst_of_channel_posts_publishes_each_once(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    """The cross-posting case of the same: 20 posts in a channel with a [[crosspost]] rule,
    the bridge killed three times while they go to Threads."""
    async with FakeTelegram() as tg:
        tg.latency = (0.02, 0.08)
        tg.add_chat(CHANNEL, "channel", title="News", username="news")
        for n in range(BURST):
            tg.send_channel_post(CHANNEL, f"channel {n}")
        config = write_config(tmp_path, sim, tg, alice)
        with config.open("a", encoding="utf-8") as extra:
            extra.write(f"\n[[crosspost]]\ntelegram_chat = {CHANNEL}\n")
        log = tmp_path / "log"

        kills = []
        for containers in (3, 8, 14):
            process = await start_bridge_process(config, log=log)
            await asyncio.wait_for(sim.containers_created(containers), 60)
            process.kill()
            await process.wait()
            kills.append(len({p.text for p in sim.posts_by("alice")}))

        last = await start_bridge_process(config, log=log)
        try:
            await asyncio.wait_for(
                sim.wait_until(lambda: len({p.text for p in sim.posts_by("alice")}) == BURST), 60
            )
        finally:
            last.send_signal(signal.SIGTERM)
            await asyncio.wait_for(last.wait(), 15)

    assert kills[0] < BURST, "the first kill came too late to test anything"
    counts = Counter(p.text for p in sim.posts_by("alice"))
    assert counts == Counter({f"channel {n}": 1 for n in range(BURST)}), log.read_text()[-3000:]
