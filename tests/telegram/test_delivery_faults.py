"""Rows that cannot be delivered as stored: each takes the retry -> backoff -> dead path on
its own, the rows behind it and other chats still get theirs, and the log stays short."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from adapters.telegram import TelegramAdapter
from jobs.delivery import DeliveryWorker
from tests.telegram.conftest import PRIVATE, Bridge, BridgeFactory
from tests.virtual_time import SkipAheadClock

OTHER_CHAT = 1004  # another private chat, fed from another profile
ATTEMPTS = 3


def feeds() -> list[dict[str, object]]:
    return [
        {"profile": "bob", "telegram_chat": PRIVATE},
        {"profile": "carol", "telegram_chat": OTHER_CHAT},
    ]


async def queue_posts(bridge: Bridge, texts: dict[str, list[str]]) -> dict[str, list[str]]:
    """Take the baselines, then post `texts` per profile and poll them into the outbox while
    no worker sends. Returns the new post ids per profile."""
    await bridge.app.delivery.stop()
    ids: dict[str, list[str]] = {}
    for username, posts in texts.items():
        bridge.sim.add_profile(username, followers=5000)
        await bridge.poll(username)
        ids[username] = [bridge.sim.add_post(username, text=text).id for text in posts]
        await bridge.poll(username)
    return ids


def store_json(db_path: Path, post_id: str, text: str) -> None:
    """What an older release (or a damaged disk) left in the posts table for this post."""
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE posts SET json = ? WHERE id = ?", [text, post_id])


async def run_worker(bridge: Bridge, clock: SkipAheadClock) -> DeliveryWorker:
    """The bridge's own adapter and store with a worker on a clock the test moves: each
    retry falls due when the test says, not after minutes of backoff."""
    (adapter,) = [a for a in bridge.app.adapters if isinstance(a, TelegramAdapter)]
    worker = DeliveryWorker(
        bridge.app.store, {"telegram": adapter}, max_attempts=ATTEMPTS, clock=clock
    )
    bridge.app.delivery = worker  # the app wakes, and at the end stops, this one
    worker.start()
    return worker


async def until_nothing_pending(
    bridge: Bridge, worker: DeliveryWorker, clock: SkipAheadClock
) -> None:
    """Let every retry fall due in turn until the outbox has settled every row."""
    for _ in range(ATTEMPTS + 1):
        async with asyncio.timeout(30):  # a row stuck in a loop never lets the worker idle
            await worker.idle()
        if bridge.app.store.outbox.depth() == 0:
            return
        clock.advance(3600)  # past any backoff
        worker.wake()
    raise AssertionError(f"still pending: {bridge.app.store.outbox.counts_by_state()}")


async def test_unreadable_stored_post_dies_after_its_attempts_and_the_rest_arrive(
    start_bridge: BridgeFactory,
    clock: SkipAheadClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bridge: Bridge = await start_bridge(feeds=feeds())
    bridge.tg.add_chat(OTHER_CHAT, "private")
    ids = await queue_posts(
        bridge, {"bob": ["damaged", "after the damage"], "carol": ["meanwhile elsewhere"]}
    )
    store_json(tmp_path / "bridge.db", ids["bob"][0], '{"post": {"id": "')  # cut short
    caplog.set_level(logging.INFO, logger="jobs.delivery")

    worker = await run_worker(bridge, clock)
    await until_nothing_pending(bridge, worker, clock)

    (bob,) = bridge.tg.sent_to(PRIVATE)
    (carol,) = bridge.tg.sent_to(OTHER_CHAT)
    assert "after the damage" in bob.visible_text
    assert "meanwhile elsewhere" in carol.visible_text
    assert bridge.app.store.outbox.counts_by_state() == {"dead": 1, "delivered": 2}
    lines = [r.getMessage() for r in caplog.records if r.name == "jobs.delivery"]
    assert len(lines) <= 2 * ATTEMPTS, lines
    assert lines[-1].startswith(f"giving up on post {ids['bob'][0]} for telegram:{PRIVATE}")


async def test_post_stored_by_an_older_release_is_still_delivered(
    start_bridge: BridgeFactory, clock: SkipAheadClock, tmp_path: Path
) -> None:
    bridge: Bridge = await start_bridge(feeds=feeds())
    bridge.tg.add_chat(OTHER_CHAT, "private")
    ids = await queue_posts(bridge, {"bob": ["from the old days"]})
    # No version key, a field this release does not know, fields it has that are missing.
    old = {
        "post": {"id": ids["bob"][0], "kind": "TEXT_POST", "text": "from the old days",
                 "username": "bob", "like_count": 3},
        "author": {"username": "bob", "name": "Bob", "karma": 7},
        "related": None,
    }  # fmt: skip
    store_json(tmp_path / "bridge.db", ids["bob"][0], json.dumps(old))

    worker = await run_worker(bridge, clock)
    await until_nothing_pending(bridge, worker, clock)

    (message,) = bridge.tg.sent_to(PRIVATE)
    assert message.visible_text.splitlines()[0] == "Bob (@bob)"
    assert "from the old days" in message.visible_text
    assert bridge.app.store.outbox.counts_by_state() == {"delivered": 1}


def fill_disk_on_next_message(db_path: Path, bridge: Bridge) -> None:
    """The disk fills as the next message id is stored: writing it needs a megabyte more
    than the bridge's connection may grow the file by, so SQLite refuses the write with
    its real "database or disk is full"."""
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE filler (data BLOB)")
        db.execute(
            "CREATE TRIGGER fill_the_disk AFTER INSERT ON messages "
            "BEGIN INSERT INTO filler VALUES (zeroblob(1048576)); END"
        )
    (pages,) = bridge.app.store.db.execute("PRAGMA page_count").fetchone()
    bridge.app.store.db.execute(f"PRAGMA max_page_count = {pages + 8}")


def free_disk(bridge: Bridge) -> None:
    bridge.app.store.db.execute("PRAGMA max_page_count = 1073741823")


async def test_a_send_that_cannot_be_recorded_is_not_repeated(
    start_bridge: BridgeFactory,
    clock: SkipAheadClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bridge: Bridge = await start_bridge(feeds=feeds())
    ids = await queue_posts(bridge, {"bob": ["said once"]})
    fill_disk_on_next_message(tmp_path / "bridge.db", bridge)
    caplog.set_level(logging.INFO, logger="jobs.delivery")

    worker = await run_worker(bridge, clock)
    for _ in range(3):  # the destination is tried again after each backoff, disk still full
        async with asyncio.timeout(30):
            await worker.idle()
        clock.advance(3600)
        worker.wake()
    stopped = [r.getMessage() for r in caplog.records if "stopped" in r.getMessage()]
    free_disk(bridge)
    await until_nothing_pending(bridge, worker, clock)

    (message,) = bridge.tg.sent_to(PRIVATE)
    assert "said once" in message.visible_text
    assert len(bridge.tg.calls_to("sendMessage")) == 1
    assert "database or disk is full" in stopped[0]
    assert bridge.app.store.outbox.counts_by_state() == {"delivered": 1}
    # The message map was written once there was room: /reply to it finds the post.
    found = bridge.app.store.feed.post_for_message(
        "telegram", str(PRIVATE), str(message.message_id)
    )
    assert found == ids["bob"][0]
