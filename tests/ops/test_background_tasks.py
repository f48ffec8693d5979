"""Background tasks are owned, named and log their failure; the delivery loop outlives a
database error instead of stopping delivery for good."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from adapters.console_adapter import TERMINAL
from bot.events import SourceKind
from simulator import SimUser, ThreadsSimulator
from tests.harness import poll_now
from tests.logwait import watching_logs
from tests.ops.bridges import Terminal, console_app


async def test_the_delivery_loop_outlives_a_database_error(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    sim.add_profile("bob", followers=5000)
    terminal = Terminal()
    app = console_app(tmp_path, sim, alice, terminal=terminal)
    source = app.store.sources.ensure(SourceKind.PROFILE, "bob")
    app.store.subscriptions.add(source, TERMINAL, origin="chat", created_by=None)
    await app.start()
    try:
        await poll_now(app, "bob")  # the baseline
        # Another process breaks the database under the running bridge for a moment.
        other = sqlite3.connect(tmp_path / "bridge.db", isolation_level=None)
        with watching_logs() as logs:
            other.execute("ALTER TABLE outbox RENAME TO outbox_aside")
            app.delivery.wake()
            failure = await logs.wait_for("delivery worker failed; starting it again")
            other.execute("ALTER TABLE outbox_aside RENAME TO outbox")
            other.close()
            sim.add_post("bob", text="delivered after the database came back")
            await poll_now(app, "bob")
            await terminal.wait_for("delivered after the database came back")
    finally:
        await app.stop()

    assert "starting it again in 1s" in failure
    failed = [r for r in logs.records if r.getMessage() == failure]
    assert failed[0].exc_info is not None  # the operator sees what the error was
