"""Pruning old outbox rows never makes a later delivery look already sent (issue 8, items 1
and 2): outbox ids are never reused, and the message map keeps no pointer to a pruned row."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from bot.events import Destination, FeedItem, SourceKind
from bot.fanout import fan_out
from jobs.maintenance import KEEP_FINISHED_ROWS, Maintenance
from storage.schema import migrations
from storage.store import Store
from tests.feed_items import BASE
from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, BridgeFactory, reads


async def test_a_post_after_the_newest_rows_were_pruned_is_delivered(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge()
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.command(PRIVATE, PUBLISHER, "/watch bob")
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="before the prune")
    await bridge.poll("bob")
    (_, first) = await bridge.delivered(PRIVATE, 2)
    await bridge.app.delivery.idle()  # the row is marked delivered
    # A month later the daily prune removes that delivered row (the newest in the outbox).
    month_later = Maintenance(
        bridge.app.store,
        bridge.app.threads,
        bridge.app.alerts,
        clock=lambda: time.time() + KEEP_FINISHED_ROWS + 60,
    )
    assert await month_later.prune() == 1

    bridge.sim.add_post("bob", text="after the prune")
    assert await bridge.poll("bob") == 1
    await bridge.app.delivery.idle()
    # /reply still finds the pruned delivery's post through the message map.
    replied = await bridge.command(
        PRIVATE, PUBLISHER, "/reply still mapped", reply_to=first.message_id
    )

    sent = [reads(m) for m in bridge.tg.sent_to(PRIVATE)]
    assert [t for t in sent if "after the prune" in t] != []
    assert replied.visible_text.startswith("Replied on Threads: ")


async def test_a_database_whose_ids_were_already_reused_delivers_the_waiting_post(
    start_bridge: BridgeFactory, tmp_path: Path
) -> None:
    # A database from before the fix: its newest row was pruned and the next row took its id.
    db = Database(tmp_path / "bridge.db")
    db.execute("PRAGMA foreign_keys=ON")
    migrations.apply(db, stop_before="m004_outbox_ids_never_reused")
    # Today's repository code sets that state up; it reads one column a later migration adds
    # (m012's paused_at), unrelated to the outbox ids this is about. m012 then skips adding it.
    db.execute("ALTER TABLE subscriptions ADD COLUMN paused_at REAL")
    # Today's repositories read the subscriptions' settings (m011): the old file has that
    # column only while they write its rows here.
    db.execute("ALTER TABLE subscriptions ADD COLUMN settings TEXT")
    old = Store(db)
    source = old.sources.ensure(SourceKind.PROFILE, "bob")
    chat = Destination("telegram", str(PRIVATE))
    old.subscriptions.add(source, chat, origin="chat", created_by=None)
    # Posts past their edit window, from a watch begun before them: today's Feed.record then
    # touches no table this old schema lacks (rereads, subscriptions.edits: m013).
    db.execute("UPDATE subscriptions SET started_at = 0")
    now = datetime.now(UTC) - timedelta(hours=1)
    first = FeedItem(replace(BASE, id="101", text="delivered long ago", timestamp=now))
    waiting = FeedItem(replace(BASE, id="102", text="waiting since the upgrade", timestamp=now))
    old.feed.record(source, [first], int(now.timestamp()), baseline=False, fan_out=fan_out)
    sent = old.outbox.next_due(chat, time.time())
    assert sent is not None
    old.outbox.record_part(sent, 0, ["1"])
    old.outbox.delivered(sent.id)
    db.execute("DELETE FROM outbox")  # what the old prune did a month later
    old.feed.record(source, [waiting], int(now.timestamp()), baseline=False, fan_out=fan_out)
    reused = old.outbox.next_due(chat, time.time())
    assert reused is not None and reused.id == sent.id
    db.execute("ALTER TABLE subscriptions DROP COLUMN settings")
    old.close()

    bridge: Bridge = await start_bridge()
    await bridge.app.delivery.idle()

    assert [reads(m) for m in bridge.tg.sent_to(PRIVATE) if "waiting since" in reads(m)] != []
