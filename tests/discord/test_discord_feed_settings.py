"""Filters and templates on Discord, end to end: /threads settings, then what the channel
shows."""

from __future__ import annotations

from typing import Any

from tests.discord.conftest import ALICE, BOB, GUILD, TEXT, Bridge


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


def labels(components: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(c["label"], c["custom_id"]) for row in components for c in row["components"]]


async def test_the_settings_switches_are_buttons_for_manage_server(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob")
    await bridge.slash(ALICE, "watch", username="bob")
    sub_id = bridge.app.store.subscriptions.for_chat("discord", str(TEXT))[0].id
    shown = await bridge.slash(ALICE, "settings", username="bob")
    message = shown.messages[-1]
    media = f"threads:button:settoggle:{sub_id}-media_only"
    assert labels(message.components) == [
        ("Replies: on", f"threads:button:settoggle:{sub_id}-replies"),
        ("Reposts: on", f"threads:button:settoggle:{sub_id}-reposts"),
        ("Quotes: on", f"threads:button:settoggle:{sub_id}-quotes"),
        ("Media only: off", media),
    ]
    fake = bridge.discord
    stranger = await bridge.answer_to(await fake.click_button(GUILD, TEXT, BOB, message.id, media))
    assert stranger.ephemeral and stranger.text.startswith("Only members with the Manage Server")

    flipped = await bridge.answer_to(
        await fake.click_button(GUILD, TEXT, ALICE, message.id, media)
    )

    assert flipped.text == "Media only now on for @bob here."
    (sub,) = bridge.app.store.subscriptions.for_chat("discord", str(TEXT))
    assert sub.settings.media_only
