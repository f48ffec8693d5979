"""Housekeeping runs as the scheduler runs it: on the event loop, where the database lives."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.threads.client import ThreadsClient
from jobs.polling import SourcePoller
from jobs.scheduler import PollScheduler
from simulator import SimUser, ThreadsSimulator
from storage.store import Store
from tests.logwait import watching_logs
from tests.ops.bridges import console_app


async def test_a_token_stored_by_auth_is_picked_up_by_the_running_bridge(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    app = console_app(tmp_path, sim, alice)
    await app.start()
    try:
        async with ThreadsClient(
            None, api_base=sim.base_url, app_id="sim-app", app_secret="sim-secret"
        ) as signing_in:
            grant = await signing_in.exchange_code(
                sim.issue_auth_code("alice", redirect_uri="https://x.example/cb"),
                "https://x.example/cb",
            )
        other_process = Store.open(tmp_path / "bridge.db")  # `threads-bridge auth exchange`
        other_process.tokens.save(grant.access_token, source="auth", expires_in=3600)
        other_process.close()

        with watching_logs() as logs:
            app.scheduler.run_soon("pick up stored token")  # the real job, fired by APScheduler
            await logs.wait_for("now using the Threads token stored by auth")
        await app.threads.me()
    finally:
        await app.stop()

    assert sim.requests[-1].headers["Authorization"] == f"Bearer {grant.access_token}"
    assert "Traceback" not in logs.text()


async def test_a_job_that_is_not_a_coroutine_is_refused_when_registered(
    tmp_path: Path, client: ThreadsClient
) -> None:
    store = Store.open(tmp_path / "b.db")
    poller = SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)
    scheduler = PollScheduler(poller, interval=60)

    def prune() -> int:
        return 0

    with pytest.raises(TypeError, match="'prune outbox' must be a coroutine function"):
        scheduler.add_periodic(prune, seconds=60, name="prune outbox")  # type: ignore[arg-type]
