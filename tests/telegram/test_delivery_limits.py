"""Delivery under pressure: Telegram's flood limits, and a chat that removed the bot."""

from __future__ import annotations

from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import GROUP, PRIVATE, Bridge, BridgeFactory

FANS = [5000 + n for n in range(60)]


async def test_burst_to_sixty_chats_arrives_without_a_429_storm(
    start_bridge: BridgeFactory, tg: FakeTelegram
) -> None:
    tg.latency = (0.1, 0.3)  # what real Telegram answers in
    for fan in FANS:
        tg.add_user(fan, f"Fan {fan}")
        tg.add_chat(fan, "private")
    bridge: Bridge = await start_bridge(
        feeds=[{"profile": "bob", "telegram_chat": fan} for fan in FANS]
    )
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    for n in range(3):
        bridge.sim.add_post("bob", text=f"burst {n}")

    assert await bridge.poll("bob") == 3 * len(FANS)
    await tg.wait_for(lambda fake: len(fake.sent) >= 3 * len(FANS), timeout=60)

    for fan in FANS:
        texts = [m.visible_text for m in tg.sent_to(fan)]
        assert [f"burst {n}" in text for n, text in enumerate(texts)] == [True] * 3
    assert tg.flood_errors <= 2
    await bridge.app.delivery.idle()
    assert bridge.app.store.outbox.counts_by_state() == {"delivered": 3 * len(FANS)}


async def test_a_chat_that_removed_the_bot_is_paused_and_others_still_get_posts(
    start_bridge: BridgeFactory, tg: FakeTelegram
) -> None:
    bridge: Bridge = await start_bridge(
        feeds=[
            {"profile": "bob", "telegram_chat": GROUP},
            {"profile": "bob", "telegram_chat": PRIVATE},
        ]
    )
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    tg.remove_bot(GROUP)
    bridge.sim.add_post("bob", text="still news")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(PRIVATE, 1)
    await tg.wait_for(
        lambda fake: any(c.status == 403 for c in fake.calls_to("sendMessage")), timeout=15
    )
    await bridge.app.delivery.idle()

    assert "still news" in message.visible_text
    store = bridge.app.store
    (group_sub,) = [s for s in store.subscriptions.for_chat("telegram", str(GROUP))]
    assert group_sub.paused_reason is not None and "kicked" in group_sub.paused_reason
    assert store.outbox.counts_by_state() == {"delivered": 1, "dropped": 1}

    bridge.sim.add_post("bob", text="next news")
    await bridge.poll("bob")
    await bridge.delivered(PRIVATE, 2)
    assert len(tg.calls_to("sendMessage")) == 3  # the paused chat is not tried again
