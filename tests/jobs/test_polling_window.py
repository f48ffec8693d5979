"""When a watch begins and which posts are new (issue 8, items 9 and 10): the baseline is the
moment of the subscription, not the first successful poll, and new posts are told by id within
an overlap window, not by the newest timestamp seen."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.events import Destination, SourceKind
from bot.fanout import fan_out
from bot.threads.client import ThreadsClient
from jobs.polling import SourcePoller
from simulator import ThreadsSimulator
from storage.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "bridge.db")


@pytest.fixture
def poller(store: Store, client: ThreadsClient) -> SourcePoller:
    return SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)


def watch(store: Store, username: str, chat: str = "1") -> int:
    source = store.sources.ensure(SourceKind.PROFILE, username)
    store.subscriptions.add(source, Destination("telegram", chat), origin="chat", created_by=None)
    return source.id


def queued_texts(store: Store, chat: str = "1") -> list[str]:
    texts = []
    destination = Destination("telegram", chat)
    while (delivery := store.outbox.next_due(destination, time.time())) is not None:
        texts.append(delivery.item.post.text)
        store.outbox.delivered(delivery.id)
    return texts


# A rate limit is not retried in place; a 5xx is, three times (FAST_RETRY).
@pytest.mark.parametrize(("kind", "times"), [("rate_limit", 1), ("server_error", 3)])
async def test_a_failed_first_poll_does_not_swallow_posts_made_after_the_watch(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, kind: str, times: int
) -> None:
    sim.add_profile("bob")
    sim.add_post("bob", text="before the watch", timestamp=sim.now() - timedelta(minutes=5))
    source_id = watch(store, "bob")
    sim.fail_next("GET", "/profile_posts", kind=kind, times=times)

    assert await poller.poll(source_id) == 0
    sim.add_post("bob", text="after the watch")

    assert await poller.poll(source_id) == 1
    assert queued_texts(store) == ["after the watch"]


async def test_a_post_stamped_earlier_than_the_newest_is_still_delivered(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    source_id = watch(store, "bob")
    await poller.poll(source_id)
    sim.advance(600)
    newest = sim.add_post("bob", text="newest")
    assert await poller.poll(source_id) == 1
    # It shows up after "newest" was seen, stamped two minutes earlier (out of order).
    sim.add_post("bob", text="late", timestamp=newest.timestamp - timedelta(minutes=2))

    assert await poller.poll(source_id) == 1
    assert queued_texts(store) == ["newest", "late"]


async def test_a_post_stamped_ahead_of_the_clock_hides_nothing(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    source_id = watch(store, "bob")
    await poller.poll(source_id)
    sim.add_post("bob", text="an hour ahead", timestamp=sim.now() + timedelta(hours=1))
    assert await poller.poll(source_id) == 1
    sim.add_post("bob", text="on time")

    assert await poller.poll(source_id) == 1
    assert await poller.poll(source_id) == 0  # seen once, never again
    assert queued_texts(store) == ["an hour ahead", "on time"]


async def test_a_cursor_older_than_threads_accepts_is_clamped(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    source_id = watch(store, "bob")
    source = store.sources.get(source_id)
    assert source is not None
    store.feed.record(
        source, [], 1_000_000_000, baseline=True, fan_out=fan_out
    )  # a quiet profile, from 2001
    sim.add_post("bob", text="finally")

    assert await poller.poll(source_id) == 1
    assert queued_texts(store) == ["finally"]
