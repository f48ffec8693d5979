"""Ended subscriptions keep their history (issue 8, item 1): /unwatch after deliveries, after a
403 pause, with a delivery still queued, and a [[feeds]] entry removed from the configuration.
Every step answers clearly and every restart starts cleanly."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.telegram import TelegramAdapter
from jobs.delivery import DeliveryWorker
from tests.telegram.conftest import ADMIN, GROUP, MEMBER, PRIVATE, PUBLISHER, Bridge, BridgeFactory

NOTHING_WATCHED = "This chat watches no Threads profiles yet. Add one with /watch USERNAME."


def texts(bridge: Bridge, chat: int) -> list[str]:
    return [m.visible_text or "" for m in bridge.tg.sent_to(chat)]


async def test_deliver_unwatch_restart_rewatch_remove_feed_restart(
    start_bridge: BridgeFactory,
) -> None:
    first: Bridge = await start_bridge(feeds=[{"profile": "carol", "telegram_chat": GROUP}])
    first.sim.add_profile("bob", followers=5000)
    first.sim.add_profile("carol", followers=5000)
    watched = await first.command(PRIVATE, PUBLISHER, "/watch bob")
    await first.poll("bob")
    await first.poll("carol")
    first.sim.add_post("bob", text="first news from bob")
    first.sim.add_post("carol", text="first news from carol")
    await first.poll("bob")
    await first.poll("carol")
    await first.delivered(PRIVATE, 2)
    (bridged,) = await first.delivered(GROUP, 1)
    original = [m for m in first.tg.sent_to(PRIVATE) if "first news from bob" in (m.text or "")]

    unwatched = await first.command(PRIVATE, PUBLISHER, "/unwatch bob")
    listed = await first.command(PRIVATE, PUBLISHER, "/list")
    assert watched.visible_text.startswith("Now watching")
    assert unwatched.visible_text == "Stopped watching @bob here."
    assert listed.visible_text == NOTHING_WATCHED
    await first.app.stop()
    # Made while nobody watches bob: old news when the chat watches again.
    first.sim.add_post("bob", text="while unwatched", timestamp=datetime.now(UTC))

    second: Bridge = await start_bridge(feeds=[{"profile": "carol", "telegram_chat": GROUP}])
    again = await second.command(PRIVATE, PUBLISHER, "/watch bob")
    await second.poll("bob")
    second.sim.add_post("bob", text="after the re-watch")
    await second.poll("bob")
    await second.delivered(PRIVATE, 6)  # 4 before the restart, the /watch answer, the post
    # The message map survived the unwatch: a reply to the first bridged post still works.
    replied = await second.command(
        PRIVATE, PUBLISHER, "/reply still here", reply_to=original[0].message_id
    )
    assert again.visible_text.startswith("Now watching")
    assert [t for t in texts(second, PRIVATE) if "while unwatched" in t] == []
    assert [t for t in texts(second, PRIVATE) if "after the re-watch" in t] != []
    assert replied.visible_text.startswith("Replied on Threads: ")
    await second.app.stop()

    # carol's feed delivered to GROUP; removing it from the file must not stop the bridge.
    third: Bridge = await start_bridge()
    third.sim.add_post("carol", text="carol after the feed was removed")
    await third.poll("carol")
    await third.app.delivery.idle()
    group_list = await third.command(GROUP, MEMBER, "/list")
    assert group_list.visible_text == NOTHING_WATCHED
    assert [t for t in texts(third, GROUP) if "carol after" in t] == []
    await third.app.stop()

    fourth: Bridge = await start_bridge()
    status = await fourth.command(PRIVATE, PUBLISHER, "/list")
    assert status.visible_text == "This chat watches:\n• @bob"
    # What the group received before is still known as carol's post (for /reply there).
    reply = await fourth.command(GROUP, PUBLISHER, "/reply nice", reply_to=bridged.message_id)
    assert reply.visible_text.startswith("Replied on Threads: ")


async def test_unwatch_of_a_subscription_paused_by_a_403(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge()
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.command(GROUP, ADMIN, "/watch bob")
    await bridge.poll("bob")
    bridge.tg.fail_next("sendMessage", "Forbidden: bot was kicked from the group", status=403)
    bridge.sim.add_post("bob", text="cannot arrive")
    await bridge.poll("bob")
    await bridge.app.delivery.idle()

    listed = await bridge.command(GROUP, ADMIN, "/list")
    unwatched = await bridge.command(GROUP, ADMIN, "/unwatch bob")
    after = await bridge.command(GROUP, ADMIN, "/list")

    assert "(paused: " in listed.visible_text
    assert unwatched.visible_text == "Stopped watching @bob here."
    assert after.visible_text == NOTHING_WATCHED


async def test_a_delivery_queued_at_unwatch_is_never_sent(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge()
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.command(PRIVATE, PUBLISHER, "/watch bob")
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="delivered before")
    await bridge.poll("bob")
    await bridge.delivered(PRIVATE, 2)
    await bridge.app.delivery.stop()  # the next delivery waits in the outbox
    bridge.sim.add_post("bob", text="queued when unwatched")
    assert await bridge.poll("bob") == 1

    unwatched = await bridge.command(PRIVATE, PUBLISHER, "/unwatch bob")
    (adapter,) = [a for a in bridge.app.adapters if isinstance(a, TelegramAdapter)]
    worker = DeliveryWorker(bridge.app.store, {"telegram": adapter})
    bridge.app.delivery = worker  # the app stops this one at the end
    worker.start()
    await worker.idle()

    assert unwatched.visible_text == "Stopped watching @bob here."
    assert [t for t in texts(bridge, PRIVATE) if "queued when unwatched" in t] == []
