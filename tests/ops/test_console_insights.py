"""The demo's terminal shows no pictures: /insights prints the numbers, then the chart's file
name and what it shows (its alt text)."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.console_adapter import ConsoleAdapter
from bot.bridge import Bridge
from bot.commands import Context
from bot.threads.client import ThreadsClient
from bot.threads.publish import Publisher
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import RecordingWatcher
from tests.core.test_insights import TODAY, WEEK_WORDS, seed_week, week_description
from tests.virtual_time import VirtualClock


async def test_insights_in_the_terminal(
    tmp_path: Path, sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    store = Store.open(tmp_path / "bridge.db")
    ctx = Context(
        store=store,
        threads=client,
        publisher=Publisher(client),
        watcher=RecordingWatcher(),
        publishers={},
        clock=VirtualClock(),
    )
    out = io.StringIO()
    console = ConsoleAdapter(Bridge(ctx), out=out, read_commands=False)
    seed_week(sim)

    await console.handle_line("/insights")

    *_, words, followers, chart = out.getvalue().splitlines()
    assert (words, followers) == (WEEK_WORDS, "4,321 followers")
    assert chart == f"[insights-week.png] {week_description(TODAY)}"
    store.close()
