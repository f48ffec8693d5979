"""A chat that removed the bot. (Bursts against Telegram's flood limits are paced on
virtual time in tests/jobs/test_delivery_pacing.py.)"""

from __future__ import annotations

from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import GROUP, PRIVATE, Bridge, BridgeFactory


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
