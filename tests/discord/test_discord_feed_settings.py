"""Filters and templates on Discord, end to end: /threads settings, then what the channel
shows."""

from __future__ import annotations

from tests.discord.conftest import ALICE, BOB, TEXT, Bridge


async def test_a_filter_keeps_a_post_out_and_a_template_words_the_rest(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", name="Bob Builder", followers=5000)
    await bridge.slash(ALICE, "watch", username="bob")
    quotes_off = await bridge.slash(ALICE, "settings", username="bob", change="quotes: off")
    worded = await bridge.slash(
        ALICE, "settings", username="bob", change="template: {text} ({media_count} media)"
    )
    refused = await bridge.slash(BOB, "settings", username="bob", change="replies: on")
    bad = await bridge.slash(ALICE, "settings", username="bob", change="template: {txt}")
    assert "• replies: on · reposts: on · quotes: off · media\\_only: off" in quotes_off.text
    assert "template: {text} ({media\\_count} media)" in worded.text
    assert refused.ephemeral and refused.text.startswith("Only members with the Manage Server")
    assert bad.text.startswith("Not changed: template: unknown placeholder {txt}")
    await bridge.poll("bob")  # the baseline
    first = bridge.sim.add_post("bob", text="first *post*")
    quote = bridge.sim.add_post("bob", text="look at this", quote_of=first.id)
    bridge.sim.add_post("bob", text="second")

    await bridge.poll("bob")
    messages = await bridge.delivered(TEXT, 2)

    assert [m.embeds[0]["description"] for m in messages] == [
        "first \\*post\\* (0 media)",
        "second (0 media)",
    ]
    shown = await bridge.slash(ALICE, "settings", username="bob")
    assert f"{quote.permalink}: quotes are off" in shown.text.replace("\\", "")
