"""A group upgraded to a supergroup: its subscriptions, deliveries and message map follow it
to the new chat id (Telegram answers the old id with 400 and migrate_to_chat_id)."""

from __future__ import annotations

import logging

import pytest

from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import ADMIN, MEMBER, PUBLISHER, Bridge, BridgeFactory, reads

OLD_GROUP = -4001
SUPERGROUP = -1004001


async def test_deliveries_follow_a_group_that_became_a_supergroup(
    bridge: Bridge, tg: FakeTelegram
) -> None:
    tg.add_chat(OLD_GROUP, "group", title="Book club")
    for user, status in ((ADMIN, "administrator"), (MEMBER, "member"), (PUBLISHER, "member")):
        tg.set_member(OLD_GROUP, user, status)
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.command(OLD_GROUP, ADMIN, "/watch bob")
    await bridge.poll("bob")
    first = bridge.sim.add_post("bob", text="before the upgrade")
    await bridge.poll("bob")
    _, before = await bridge.delivered(OLD_GROUP, 2)  # the /watch answer, then the post

    tg.migrate_chat(OLD_GROUP, SUPERGROUP)
    for n in range(2):
        bridge.sim.add_post("bob", text=f"after the upgrade {n}")
    await bridge.poll("bob")
    delivered = await bridge.delivered(SUPERGROUP, 2)

    assert ["after the upgrade 0" in reads(m) for m in delivered] == [True, False]
    assert "after the upgrade 1" in delivered[1].visible_text
    (upgraded,) = [c for c in tg.calls_to("sendMessage") if c.status == 400]
    assert upgraded.description == "Bad Request: group chat was upgraded to a supergroup chat"
    listed = await bridge.command(SUPERGROUP, MEMBER, "/list")
    assert reads(listed) == "This chat watches:\n• @bob"
    await bridge.app.delivery.idle()
    assert bridge.app.store.outbox.counts_by_state() == {"delivered": 3}
    # /reply to the post the group got before the upgrade still finds it.
    moved = bridge.app.store.feed.post_for_message(
        "telegram", str(SUPERGROUP), str(before.message_id)
    )
    assert moved == first.id


async def test_a_config_feed_naming_the_old_group_follows_the_move_after_a_restart(
    start_bridge: BridgeFactory, tg: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    tg.add_chat(OLD_GROUP, "group", title="Book club")
    feeds = [{"profile": "carol", "telegram_chat": OLD_GROUP}]
    first: Bridge = await start_bridge(feeds=feeds)
    first.sim.add_profile("carol", followers=5000)
    await first.poll("carol")
    tg.migrate_chat(OLD_GROUP, SUPERGROUP)
    first.sim.add_post("carol", text="moves the feed")
    await first.poll("carol")
    await first.delivered(SUPERGROUP, 1)
    await first.app.stop()

    caplog.set_level(logging.WARNING, logger="bot.runtime.feeds")
    second: Bridge = await start_bridge(feeds=feeds)  # the file still names the old group
    assert second.app.store.subscriptions.for_chat("telegram", str(OLD_GROUP)) == []
    second.sim.add_post("carol", text="after the restart")
    await second.poll("carol")
    delivered = await second.delivered(SUPERGROUP, 2)
    await second.app.delivery.idle()

    assert "after the restart" in reads(delivered[1])
    assert len(tg.sent_to(SUPERGROUP)) == 2
    assert len([c for c in tg.calls_to("sendMessage") if c.status == 400]) == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(SUPERGROUP) in w and str(OLD_GROUP) in w for w in warnings)
