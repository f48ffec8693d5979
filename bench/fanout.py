"""Fan-out benchmark: a burst of posts to many chats through the real bridge process.

The bridge runs as `threads-bridge run` in a child process; the Threads simulator and the
loopback Telegram (enforcing Telegram's flood limits, answering in 100-300 ms like the real
one) run here. Prints the delivery rate against Telegram's 30 msg/s ceiling, the 429s received,
and the bridge's CPU time per message (read from /proc, so only the bridge process counts).

    python -m bench.fanout --chats 60 --posts 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from bot.events import Destination, SourceKind
from bot.threads.simulator import ThreadsSimulator
from storage.store import Store
from tests.fakes.telegram import FakeTelegram

TELEGRAM_CEILING = 30.0


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prepare(workdir: Path, sim: ThreadsSimulator, tg: FakeTelegram, chats: list[int]) -> Path:
    token = sim.add_account("bench").token
    sim.add_profile("bob", followers=5000)
    feeds = "".join(f'\n[[feeds]]\nprofile = "bob"\ntelegram_chat = {c}\n' for c in chats)
    config = workdir / "config.toml"
    config.write_text(
        f'[threads]\naccess_token = "{token}"\napi_base = "{sim.base_url}"\npoll_interval = 1\n'
        f'[storage]\npath = "bridge.db"\n'
        f'[telegram]\ntoken = "{tg.token}"\napi_base = "{tg.base_url}"\n{feeds}',
        encoding="utf-8",
    )
    store = Store.open(workdir / "bridge.db")  # a baseline as an earlier run would leave it
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    for chat in chats:
        store.subscriptions.add(
            source, Destination("telegram", str(chat)), origin="config", created_by=None
        )
    store.feed.record(source, [], int(time.time()) - 5, baseline=True)
    store.close()
    return config


async def run(chats: int, posts: int, latency: tuple[float, float]) -> None:
    chat_ids = [10_000 + n for n in range(chats)]
    expected = chats * posts
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        async with ThreadsSimulator() as sim, FakeTelegram() as tg:
            tg.latency = latency
            for chat in chat_ids:
                tg.add_user(chat, f"Reader {chat}")
                tg.add_chat(chat, "private")
            config = prepare(workdir, sim, tg, chat_ids)
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
                await tg.wait_for(lambda fake: len(fake.sent) >= 1, timeout=60)
                first_at, cpu_first = time.monotonic(), cpu_seconds(process.pid)
                await tg.wait_for(lambda fake: len(fake.sent) >= expected, timeout=600)
                last_at, cpu_last = time.monotonic(), cpu_seconds(process.pid)
            finally:
                process.send_signal(signal.SIGTERM)
                await process.wait()
            flood = tg.flood_errors
    seconds = last_at - first_at
    rate = (expected - 1) / seconds
    print(f"telegram fan-out: {chats} chats x {posts} posts = {expected} messages")
    print(f"  latency per call      {latency[0] * 1000:.0f}-{latency[1] * 1000:.0f} ms")
    print(f"  delivery time         {seconds:.2f} s (first to last message)")
    print(
        f"  rate                  {rate:.1f} msg/s = {rate / TELEGRAM_CEILING:.0%} of "
        f"{TELEGRAM_CEILING:.0f} msg/s"
    )
    print(f"  429 answers           {flood}")
    print(
        f"  bridge CPU            {(cpu_last - cpu_first) * 1000 / (expected - 1):.2f} ms "
        f"per message"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=60)
    parser.add_argument("--posts", type=int, default=5)
    parser.add_argument("--latency", default="0.1,0.3", help="min,max seconds per call")
    args = parser.parse_args()
    low, high = (float(x) for x in args.latency.split(","))
    asyncio.run(run(args.chats, args.posts, (low, high)))


if __name__ == "__main__":
    main()
