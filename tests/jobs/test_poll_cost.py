"""What one poll cycle costs against a server that pages like Graph (cursors on every page,
`next` only when more exists): discovery calls are 1,000 a day, so each one counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.events import Destination, SourceKind
from bot.threads.client import ThreadsClient
from jobs.polling import SourcePoller
from simulator import ThreadsSimulator
from storage.store import Store

DISCOVERY = ("/profile_posts", "/profile_lookup")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "bridge.db")


def discovery_calls(sim: ThreadsSimulator) -> list[str]:
    return [r.path for r in sim.requests if r.path.endswith(DISCOVERY)]


async def test_a_poll_that_finds_new_posts_costs_one_discovery_call(
    sim: ThreadsSimulator, store: Store, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    sim.add_post("bob", text="old")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    store.subscriptions.add(source, Destination("telegram", "1"), origin="chat", created_by=None)
    poller = SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)
    await poller.poll(source.id)  # baseline
    sim.add_post("bob", text="first new")
    await poller.poll(source.id)  # also looks bob's profile up once (refreshed daily)

    for cycle in range(3):
        sim.add_post("bob", text=f"new {cycle}")
        sim.clear_requests()
        assert await poller.poll(source.id) == 1
        assert discovery_calls(sim) == ["/v1.0/profile_posts"]
        # The bridge never sends `until`: it could only come from a clock ahead of Meta's.
        assert all("until" not in r.query for r in sim.requests)


async def test_a_poll_that_finds_nothing_new_costs_exactly_one_discovery_call(
    sim: ThreadsSimulator, store: Store, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    for n in range(3):
        sim.add_post("bob", text=f"old {n}")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    store.subscriptions.add(source, Destination("telegram", "1"), origin="chat", created_by=None)
    poller = SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)
    await poller.poll(source.id)  # baseline
    sim.clear_requests()

    for _ in range(10):
        assert await poller.poll(source.id) == 0

    assert len(discovery_calls(sim)) / 10 == 1.00


async def test_an_iterator_over_one_page_asks_once(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    for n in range(3):
        sim.add_post("bob", text=f"post {n}")
    sim.clear_requests()

    seen = [post.text async for post in client.iter_profile_posts("bob", limit=25)]

    assert seen == ["post 2", "post 1", "post 0"]
    assert discovery_calls(sim) == ["/v1.0/profile_posts"]
