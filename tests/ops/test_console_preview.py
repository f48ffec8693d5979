"""/preview in the demo's terminal: the post printed as a delivery is, but without a delivery
number (no `/reply #N` points at a preview)."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.console_adapter import RULE, TERMINAL, YOU, ConsoleAdapter
from bot.bridge import Bridge
from bot.commands import Context
from bot.threads.client import ThreadsClient
from bot.threads.publish import Publisher
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import RecordingWatcher


async def test_preview_in_the_terminal(
    tmp_path: Path, sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    store = Store.open(tmp_path / "bridge.db")
    ctx = Context(
        store=store,
        threads=client,
        publisher=Publisher(client),
        watcher=RecordingWatcher(),
        publishers={TERMINAL.platform: frozenset({YOU.id})},
        me=await client.me(),
    )
    out = io.StringIO()
    console = ConsoleAdapter(Bridge(ctx), out=out, read_commands=False)
    sim.add_profile("bob", name="Bob")
    sim.add_post("bob", text="what bob said last")

    await console.handle_line("/preview bob")

    printed = out.getvalue()
    answer, rule, *post = printed.rstrip("\n").split("\n")
    assert answer == "Preview: @bob's latest post, as this chat would receive it."
    assert rule == RULE
    assert "what bob said last" in "\n".join(post)
    assert "#1" not in printed
    store.close()
