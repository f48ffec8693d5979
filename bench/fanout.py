"""Fan-out benchmark: a burst of posts to many chats through the real bridge process.

The bridge runs as `threads-bridge run` in a child process; the Threads simulator and the
loopback chat platform (enforcing its rate limits, answering in 100-300 ms like the real one)
run here. Prints the delivery rate against the platform's ceiling, the 429s received, and the
bridge's CPU time per message (read from /proc, so only the bridge process counts).

    python -m bench.fanout --platform telegram --chats 60 --posts 5
    python -m bench.fanout --platform discord --chats 60 --posts 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from simulator import ThreadsSimulator
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import populate
from tests.fakes.telegram import FakeTelegram
from tests.harness import seed_baseline

GUILD = 1_300_000_000_000_000_100


@dataclass
class Platform:
    """What the benchmark needs of one chat platform's loopback fake."""

    name: str
    ceiling: float  # messages per second the platform allows a bot
    ceiling_note: str
    config: str  # the [section] and feed key, with {chats} filled in
    feed_key: str
    delivered: Callable[[], int]
    rate_limited: Callable[[], int]
    wait_for: Callable[[Callable[[], bool], float], Awaitable[None]]


@asynccontextmanager
async def telegram(chats: list[int], latency: tuple[float, float]) -> AsyncIterator[Platform]:
    async with FakeTelegram() as fake:
        fake.latency = latency
        for chat in chats:
            fake.add_user(chat, f"Reader {chat}")
            fake.add_chat(chat, "private")
        yield Platform(
            "telegram",
            30.0,
            "Telegram's 30 msg/s",
            f'[telegram]\ntoken = "{fake.token}"\napi_base = "{fake.base_url}"\n',
            "telegram_chat",
            lambda: len(fake.sent),
            lambda: fake.flood_errors,
            lambda done, within: fake.wait_for(lambda _: done(), timeout=within),
        )


@asynccontextmanager
async def discord(chats: list[int], latency: tuple[float, float]) -> AsyncIterator[Platform]:
    async with FakeDiscord() as fake:
        fake.latency = latency
        populate(fake)
        for chat in chats:
            fake.add_channel(GUILD, chat, f"feed-{chat}")
        yield Platform(
            "discord",
            50.0,
            "Discord's 50 requests/s per bot",
            f'[discord]\ntoken = "{fake.token}"\napi_base = "{fake.api_base}"\n'
            f'gateway_url = "{fake.gateway_url}"\nguild_ids = [{GUILD}]\n',
            "discord_channel",
            lambda: sum(1 for m in fake.messages if m.via == "channel"),
            lambda: fake.rate_limited,
            lambda done, within: fake.wait_for(lambda _: done(), timeout=within),
        )


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prepare(workdir: Path, sim: ThreadsSimulator, platform: Platform, chats: list[int]) -> Path:
    token = sim.add_account("bench").token
    sim.add_profile("bob", followers=5000)
    feeds = "".join(f'\n[[feeds]]\nprofile = "bob"\n{platform.feed_key} = {c}\n' for c in chats)
    config = workdir / "config.toml"
    config.write_text(
        f'[threads]\naccess_token = "{token}"\napi_base = "{sim.base_url}"\npoll_interval = 1\n'
        f'[storage]\npath = "bridge.db"\n{platform.config}{feeds}',
        encoding="utf-8",
    )
    seed_baseline(workdir / "bridge.db", platform.name, chats)
    return config


async def run(name: str, chats: int, posts: int, latency: tuple[float, float]) -> None:
    base = 10_000 if name == "telegram" else 1_300_000_000_000_010_000
    chat_ids = [base + n for n in range(chats)]
    expected = chats * posts
    fake = telegram if name == "telegram" else discord
    with tempfile.TemporaryDirectory() as tmp:
        async with ThreadsSimulator() as sim, fake(chat_ids, latency) as platform:
            config = prepare(Path(tmp), sim, platform, chat_ids)
            for n in range(posts):
                sim.add_post("bob", text=f"benchmark post {n}")
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "--log-level",
                "WARNING",
                "run",
                "--config",
                str(config),
                env={**os.environ, "NO_PROXY": "127.0.0.1,localhost"},
            )
            try:
                first_at, cpu_first = await _when(platform, 1, process.pid, 60)
                last_at, cpu_last = await _when(platform, expected, process.pid, 600)
            finally:
                process.send_signal(signal.SIGTERM)
                await process.wait()
            limited = platform.rate_limited()
    seconds = last_at - first_at
    rate = (expected - 1) / seconds
    print(f"{name} fan-out: {chats} chats x {posts} posts = {expected} messages")
    print(f"  latency per call      {latency[0] * 1000:.0f}-{latency[1] * 1000:.0f} ms")
    print(f"  delivery time         {seconds:.2f} s (first to last message)")
    print(
        f"  rate                  {rate:.1f} msg/s = {rate / platform.ceiling:.0%} of "
        f"{platform.ceiling_note}"
    )
    print(f"  429 answers           {limited}")
    print(
        f"  bridge CPU            {(cpu_last - cpu_first) * 1000 / (expected - 1):.2f} ms "
        f"per message"
    )


async def _when(platform: Platform, count: int, pid: int, within: float) -> tuple[float, float]:
    """When `count` messages have arrived, and the bridge's CPU seconds then."""
    await platform.wait_for(lambda: platform.delivered() >= count, within)
    return time.monotonic(), cpu_seconds(pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--platform", choices=("telegram", "discord"), default="telegram")
    parser.add_argument("--chats", type=int, default=60)
    parser.add_argument("--posts", type=int, default=5)
    parser.add_argument("--latency", default="0.1,0.3", help="min,max seconds per call")
    args = parser.parse_args()
    low, high = (float(x) for x in args.latency.split(","))
    asyncio.run(run(args.platform, args.chats, args.posts, (low, high)))


if __name__ == "__main__":
    main()
