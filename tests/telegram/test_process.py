"""`threads-bridge run` as a real process: a clean stop on SIGTERM, and kill -9 mid-delivery
followed by a restart loses nothing and repeats at most what was in flight."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from pathlib import Path

from simulator import SimUser, ThreadsSimulator
from tests.fakes.telegram import FakeTelegram
from tests.harness import seed_baseline, start_bridge_process

FANS = [7000 + n for n in range(10)]
POSTS = 4  # per chat: 4 s of delivery at 1 message/s, killed a third of the way


def write_config(path: Path, sim: ThreadsSimulator, tg: FakeTelegram, account: SimUser) -> Path:
    feeds = "".join(f'\n[[feeds]]\nprofile = "bob"\ntelegram_chat = {fan}\n' for fan in FANS)
    config = path / "config.toml"
    config.write_text(
        f"""
[threads]
access_token = "{account.token}"
api_base = "{sim.base_url}"
poll_interval = 1

[storage]
path = "bridge.db"

[telegram]
token = "{tg.token}"
api_base = "{tg.base_url}"
{feeds}""",
        encoding="utf-8",
    )
    return config


async def test_sigterm_stops_cleanly(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    async with FakeTelegram() as tg:
        process = await start_bridge_process(
            write_config(tmp_path, sim, tg, alice), log=tmp_path / "log"
        )
        await tg.wait_for(lambda fake: fake.held_polls >= 1, timeout=30)  # the bot listens

        stopping = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 15)

    assert code == 0, (tmp_path / "log").read_text()
    assert time.monotonic() - stopping < 5


async def test_kill_9_mid_delivery_loses_nothing_and_repeats_only_in_flight(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    sim.add_profile("bob", followers=5000)
    seed_baseline(tmp_path / "bridge.db", "telegram", FANS)
    for n in range(POSTS):
        sim.add_post("bob", text=f"post {n}")
    async with FakeTelegram() as tg:
        tg.latency = (0.05, 0.15)
        for fan in FANS:
            tg.add_user(fan, f"Fan {fan}")
            tg.add_chat(fan, "private")
        config = write_config(tmp_path, sim, tg, alice)

        first = await start_bridge_process(config, log=tmp_path / "log")
        await tg.wait_for(lambda fake: len(fake.sent) >= 12, timeout=60)
        first.kill()  # SIGKILL: no chance to clean up
        await first.wait()
        before_restart = len(tg.sent)

        second = await start_bridge_process(config, log=tmp_path / "log")
        try:
            await tg.wait_for(
                lambda fake: all(
                    {f"post {n}" for n in range(POSTS)}
                    <= {m.visible_text.split("\n\n")[1] for m in fake.sent_to(fan)}
                    for fan in FANS
                ),
                timeout=60,
            )
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 15)

    assert before_restart < POSTS * len(FANS), "the kill came too late to test anything"
    for fan in FANS:
        texts = [m.visible_text.split("\n\n")[1] for m in tg.sent_to(fan)]
        assert sorted(set(texts)) == [f"post {n}" for n in range(POSTS)]
        # Each chat receives in order; a repeat can only be the message in flight at the kill.
        assert list(dict.fromkeys(texts)) == [f"post {n}" for n in range(POSTS)]
        assert sum(count - 1 for count in Counter(texts).values()) <= 1
