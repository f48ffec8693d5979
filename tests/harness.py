"""Steps the end-to-end tests (and the benchmark) share, whatever the chat platform."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from bot.events import Destination, SourceKind
from bot.fanout import fan_out
from bot.runtime.app import BridgeApp
from storage.store import Store


async def poll_now(app: BridgeApp, username: str) -> int:
    """Run the poll job of a watched profile ("me": the connected account; "replies",
    "mentions": its inbox) right now: the scheduler's own job function, without waiting for
    its interval."""
    kinds = {"me": SourceKind.ME, "replies": SourceKind.REPLIES, "mentions": SourceKind.MENTIONS}
    kind = kinds.get(username, SourceKind.PROFILE)
    source = app.store.sources.find(kind, username)
    assert source is not None, f"nobody watches {username}"
    return await app.poller.poll(source.id)


def seed_baseline(
    db_path: Path, platform: str, chats: Iterable[object], profile: str = "bob"
) -> None:
    """The state an earlier run leaves: `profile` watched by these chats, its baseline taken
    a few seconds ago, so that every post added from now on is new."""
    store = Store.open(db_path)
    source = store.sources.ensure(SourceKind.PROFILE, profile)
    for chat in chats:
        destination = Destination(platform, str(chat))
        store.subscriptions.add(source, destination, origin="config", created_by=None)
    store.feed.record(source, [], int(time.time()) - 5, baseline=True, fan_out=fan_out)
    store.close()


async def start_bridge_process(
    config: Path, *options: str, log: Path | None = None
) -> asyncio.subprocess.Process:
    """`threads-bridge [options] run --config CONFIG` in a child process."""
    output = log.open("ab") if log is not None else None
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *options,
        "run",
        "--config",
        str(config),
        stdout=output,
        stderr=asyncio.subprocess.STDOUT if output else None,
        env={**os.environ, "NO_PROXY": "127.0.0.1,localhost"},
    )
