"""The demo's terminal has no buttons: /delete's answer says what to type to click Delete, and
typing it deletes the post (the same confirm command a Telegram or Discord click becomes)."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.console_adapter import TERMINAL, YOU, ConsoleAdapter
from bot.bridge import Bridge
from bot.commands import Context
from bot.threads.client import ThreadsClient
from bot.threads.publish import Publisher
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import RecordingWatcher


async def test_delete_in_the_terminal(
    tmp_path: Path, sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    store = Store.open(tmp_path / "bridge.db")
    ctx = Context(
        store=store,
        threads=client,
        publisher=Publisher(client),
        watcher=RecordingWatcher(),
        publishers={TERMINAL.platform: frozenset({YOU.id})},  # as the demo makes the user
        me=await client.me(),
    )
    out = io.StringIO()
    console = ConsoleAdapter(Bridge(ctx), out=out, read_commands=False)
    post = sim.add_post("alice", text="demo post")

    await console.handle_line(f"/delete {post.permalink}")
    *_, hint = out.getvalue().splitlines()
    label, typed = hint.split(" type ")
    assert label == "[Delete]" and typed.startswith("/confirm ")
    assert sim.get_post(post.id) is not None
    await console.handle_line(typed)

    assert out.getvalue().splitlines()[-1] == "Deleted from Threads: “demo post”"
    assert sim.get_post(post.id) is None
    store.close()
