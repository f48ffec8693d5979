"""The baseline is the moment of the subscription (issue 8, item 9): when the first poll fails,
a post made after "Now watching" (or after a start during an outage) still arrives."""

from __future__ import annotations

from datetime import timedelta

from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, BridgeFactory

OUTAGE = 1000  # failed requests: more than any number of polls in these tests


async def test_a_post_after_now_watching_arrives_though_the_first_poll_failed(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge()
    bridge.sim.add_profile("bob", followers=5000)
    bridge.sim.add_post("bob", text="old news", timestamp=bridge.sim.now() - timedelta(hours=1))
    bridge.sim.fail_next("GET", "/profile_posts", kind="rate_limit", times=OUTAGE)

    watched = await bridge.command(PRIVATE, PUBLISHER, "/watch bob")
    assert await bridge.poll("bob") == 0  # rate limited
    bridge.sim.failures.clear()
    bridge.sim.add_post("bob", text="posted after Now watching")
    await bridge.poll("bob")
    messages = await bridge.delivered(PRIVATE, 2)

    assert watched.visible_text.startswith("Now watching")
    assert "posted after Now watching" in (messages[1].visible_text or "")
    assert all("old news" not in (m.visible_text or "") for m in messages)


async def test_a_config_feed_started_during_an_outage_misses_nothing(
    start_bridge: BridgeFactory,
) -> None:
    feed = {"profile": "bob", "telegram_chat": PRIVATE}
    first: Bridge = await start_bridge(feeds=[feed])
    first.sim.add_profile("bob", followers=5000)
    first.sim.add_post("bob", text="old news", timestamp=first.sim.now() - timedelta(hours=1))
    first.sim.fail_next("GET", "/profile_posts", kind="server_error", times=OUTAGE)
    assert await first.poll("bob") == 0  # Threads is down at the first start
    await first.app.stop()
    first.sim.add_post("bob", text="posted during the outage")
    first.sim.failures.clear()

    second: Bridge = await start_bridge(feeds=[feed])
    await second.poll("bob")
    (message,) = await second.delivered(PRIVATE, 1)

    assert "posted during the outage" in (message.visible_text or "")


async def test_a_prompt_first_listing_still_announces_posts_stamped_after_the_watch(
    start_bridge: BridgeFactory,
) -> None:
    # The first listing of a watch can come after "Now watching" and a post made since (its
    # request retried through 5xx answers, all within one poll): what the profile shows then
    # is the baseline only as far as it was posted before the watch began.
    bridge: Bridge = await start_bridge()
    bridge.sim.add_profile("bob", followers=5000)
    bridge.sim.add_post("bob", text="old news", timestamp=bridge.sim.now() - timedelta(hours=1))
    bridge.sim.add_post(
        "bob", text="posted after Now watching", timestamp=bridge.sim.now() + timedelta(seconds=5)
    )
    bridge.sim.fail_next("GET", "/profile_posts", kind="server_error", times=2)  # then it answers

    watched = await bridge.command(PRIVATE, PUBLISHER, "/watch bob")
    await bridge.poll("bob")
    await bridge.app.delivery.idle()

    texts = [m.visible_text or "" for m in bridge.tg.sent_to(PRIVATE)]
    assert watched.visible_text.startswith("Now watching")
    assert [t for t in texts if "posted after Now watching" in t] != []
    assert [t for t in texts if "old news" in t] == []
