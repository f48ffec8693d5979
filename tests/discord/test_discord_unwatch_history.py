"""Discord `/threads unwatch` after a delivery (issue 8, item 1): the subscription ends with
its history kept instead of failing on the outbox rows that reference it."""

from __future__ import annotations

from tests.discord.conftest import ALICE, TEXT, Bridge, BridgeFactory


async def test_unwatch_after_a_delivery_then_watch_again(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge()
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.slash(ALICE, "watch", username="bob")
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="delivered before the unwatch")
    await bridge.poll("bob")
    await bridge.delivered(TEXT, 1)

    removed = await bridge.slash(ALICE, "unwatch", username="bob")
    listed = await bridge.slash(ALICE, "list")
    again = await bridge.slash(ALICE, "watch", username="bob")
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="after watching again")
    await bridge.poll("bob")
    messages = await bridge.delivered(TEXT, 2)

    assert removed.text == "Stopped watching @bob here."
    assert listed.text.startswith("This chat watches no Threads profiles yet.")
    assert again.text.startswith("Now watching")
    assert len(messages) == 2
