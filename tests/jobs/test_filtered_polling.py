"""Filters at fan-out, through the real poller and store: a filtered post gets no outbox row
but a recorded reason, and a catastrophic regular expression cannot stall the fan-out."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from bot.events import Destination, FeedSettings, SourceKind
from bot.threads.client import ThreadsClient
from jobs.polling import SourcePoller
from simulator import ThreadsSimulator
from storage.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "bridge.db")


def queued_texts(store: Store, chat: str) -> list[str]:
    texts = []
    destination = Destination("telegram", chat)
    while (delivery := store.outbox.next_due(destination, time.time())) is not None:
        texts.append(delivery.item.post.text)
        store.outbox.delivered(delivery.id)
    return texts


async def test_a_filtered_post_is_not_queued_and_its_reason_is_kept(
    sim: ThreadsSimulator, store: Store, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=10)
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    (filtered, _), (plain, _) = (
        store.subscriptions.add(source, Destination("telegram", c), origin="chat", created_by=None)
        for c in ("1", "2")
    )
    store.settings.set(filtered.id, FeedSettings(exclude=("ads",)))
    poller = SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)
    await poller.poll(source.id)  # the baseline
    spam = sim.add_post("bob", text="Cheap ADS here")
    sim.add_post("bob", text="a real post")

    await poller.poll(source.id)

    assert queued_texts(store, "1") == ["a real post"]
    assert queued_texts(store, "2") == ["Cheap ADS here", "a real post"]
    (why,) = store.settings.filtered(filtered.id)
    assert (why.post_id, why.reason) == (spam.id, "contains the excluded word “ads”")
    assert store.settings.why(spam.id, [filtered.id, plain.id]) == [why]
    # Pruned like finished deliveries: kept until then.
    assert store.settings.prune(before=why.at) == 0
    assert store.settings.prune(before=why.at + 1) == 1
    assert store.settings.filtered(filtered.id) == []


# The fan-out step as a worker process: a backtracking regex engine holds the GIL while it
# matches, so only a process can be given up on from outside, whatever the engine does.
RECORD = """
import sys
from datetime import UTC, datetime
from bot.events import FeedItem, MediaKind, Post, SourceKind
from bot.fanout import fan_out
from storage.store import Store

store = Store.open(sys.argv[1])
source = store.sources.ensure(SourceKind.PROFILE, "bob")
now = datetime.now(UTC)
items = [
    FeedItem(Post(id="evil", kind=MediaKind.TEXT, text="a" * 5000 + "b", timestamp=now)),
    FeedItem(Post(id="fine", kind=MediaKind.TEXT, text="aaaa", timestamp=now)),
]
print(store.feed.record(source, items, None, baseline=False, fan_out=fan_out))
"""


async def test_a_catastrophic_regex_cannot_stall_the_fan_out(tmp_path: Path) -> None:
    # (a+)+$ against a long run of a's that ends in b: a backtracking engine tries every way
    # of splitting the run (2^n) before it gives up; the worker must finish regardless.
    path = tmp_path / "bridge.db"
    setup = Store.open(path)
    source = setup.sources.ensure(SourceKind.PROFILE, "bob")
    (stuck, _), (other, _) = (
        setup.subscriptions.add(source, Destination("telegram", c), origin="chat", created_by=None)
        for c in ("1", "2")
    )
    setup.settings.set(stuck.id, FeedSettings(regex=r"(a+)+$"))
    setup.close()
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", RECORD, str(path), stdout=asyncio.subprocess.PIPE
    )
    try:
        out, _ = await asyncio.wait_for(worker.communicate(), timeout=60)
    except TimeoutError:
        worker.kill()
        await worker.wait()
        pytest.fail("the fan-out did not finish: the regular expression stalled it")

    assert out.decode().strip() == "3"  # "fine" to both chats, "evil" only to the unfiltered
    store = Store.open(path)
    assert queued_texts(store, "1") == ["aaaa"]
    assert [t[:3] for t in queued_texts(store, "2")] == ["aaa", "aaa"]
    (why,) = store.settings.filtered(stuck.id)
    assert (why.post_id, why.reason) == ("evil", r"does not match the regular expression (a+)+$")
    assert store.settings.filtered(other.id) == []
