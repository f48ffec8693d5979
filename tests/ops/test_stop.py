"""Stopping a bridge with a poll in flight: launch nothing new, let the poll finish within the
grace, and log no traceback (a poll still running after the grace is cut short, in one line)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from adapters.console_adapter import TERMINAL
from bot.events import SourceKind
from bot.runtime.app import BridgeApp
from bot.threads.client import ThreadsClient
from simulator import SimUser, ThreadsSimulator
from tests.conftest import FAST_RETRY
from tests.harness import poll_now
from tests.logwait import watching_logs
from tests.ops.bridges import console_app


@dataclass
class SlowThreads:
    """The network to Threads, held at will: a fetch of posts that arrives waits for
    `release`, as a request to an unresponsive server does."""

    holding: bool = False
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_request(self, request: httpx.Request) -> None:
        if self.holding and request.url.path.endswith("/profile_posts"):
            self.arrived.set()
            await self.release.wait()


@pytest.fixture
async def slow() -> SlowThreads:
    return SlowThreads()


@pytest.fixture
async def app(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, slow: SlowThreads
) -> AsyncIterator[BridgeApp]:
    sim.add_profile("bob", followers=5000)
    async with httpx.AsyncClient(event_hooks={"request": [slow.on_request]}) as http:
        threads = ThreadsClient(alice.token, api_base=sim.base_url, retry=FAST_RETRY, http=http)
        app = console_app(tmp_path, sim, alice, threads=threads)
        source = app.store.sources.ensure(SourceKind.PROFILE, "bob")
        app.store.subscriptions.add(source, TERMINAL, origin="chat", created_by=None)
        await app.start()
        await poll_now(app, "bob")  # the baseline
        yield app
        slow.release.set()
        await app.stop()


async def poll_in_flight(app: BridgeApp, sim: ThreadsSimulator, slow: SlowThreads) -> None:
    """A new post, and the scheduler's poll job fetching it, held on the way."""
    sim.add_post("bob", text="new while stopping")
    slow.holding = True
    source = app.store.sources.find(SourceKind.PROFILE, "bob")
    assert source is not None
    app.scheduler.run_soon(f"poll-source-{source.id}")
    await asyncio.wait_for(slow.arrived.wait(), 10)


async def test_a_poll_in_flight_finishes_and_the_stop_logs_no_traceback(
    app: BridgeApp, sim: ThreadsSimulator, slow: SlowThreads
) -> None:
    await poll_in_flight(app, sim, slow)
    with watching_logs() as logs:
        stopping = asyncio.create_task(app.stop())
        await logs.wait_for("waiting up to 5s for poll @bob to finish")
        slow.release.set()  # Threads answers within the grace
        await asyncio.wait_for(stopping, 10)

    assert "@bob: 1 deliveries queued" in logs.messages()  # the poll was not cut short
    assert "Traceback" not in logs.text()
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]


async def test_a_poll_still_running_after_the_grace_is_cut_short_in_one_line(
    app: BridgeApp, sim: ThreadsSimulator, slow: SlowThreads
) -> None:
    await poll_in_flight(app, sim, slow)
    with watching_logs() as logs:
        await asyncio.wait_for(app.stop(grace=0), 10)

    assert "poll @bob did not finish within 0s; cut short" in logs.messages()
    assert "Traceback" not in logs.text()
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]
