"""Posts Graph serves in a shape that cannot be stored or shown as it is: they are repaired on
the way in, delivered, and the profile's later posts still arrive."""

from __future__ import annotations

from tests.telegram.conftest import PRIVATE, Bridge, BridgeFactory


async def watch_bob(start_bridge: BridgeFactory) -> Bridge:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    bridge.sim.add_profile("bob", name="Bob", followers=5000)
    await bridge.poll("bob")  # the baseline
    return bridge


async def test_half_an_emoji_is_replaced_and_later_posts_still_arrive(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await watch_bob(start_bridge)
    bridge.sim.add_post("bob", text="cut short \ud83d")  # Graph sends "cut short \ud83d"

    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="the next one")
    await bridge.poll("bob")
    first, second = await bridge.delivered(PRIVATE, 2)

    assert "cut short \N{REPLACEMENT CHARACTER}" in first.visible_text
    assert "the next one" in second.visible_text


async def test_a_number_where_graph_should_send_a_username_is_shown_as_text(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await watch_bob(start_bridge)
    bridge.sim.add_post("bob", text="who am I", served_fields={"username": 12345})

    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="the next one")
    await bridge.poll("bob")
    first, second = await bridge.delivered(PRIVATE, 2)

    assert first.visible_text.splitlines()[0] == "Bob (@12345)"
    assert "who am I" in first.visible_text
    assert "the next one" in second.visible_text
