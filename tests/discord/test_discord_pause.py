"""`/threads pause`, `resume` and `preview` end to end on Discord: the real discord.py against
the fake Discord, posts made on the simulator and polled by the bridge's own job."""

from __future__ import annotations

from tests.discord.conftest import ALICE, BOB, NEWS, TEXT, Bridge
from tests.fakes.discord import SentMessage


def descriptions(messages: list[SentMessage]) -> list[str]:
    return [embed.get("description", "") for m in messages for embed in m.embeds]


async def test_pause_then_resume_without_a_flood_then_resume_with_the_last_two(
    bridge: Bridge,
) -> None:
    bridge.sim.add_profile("bob", name="Bob")
    await bridge.slash(ALICE, "watch", username="bob")
    await bridge.slash(ALICE, "watch", channel=NEWS, username="bob")
    await bridge.poll("bob")  # the baseline

    refused = await bridge.slash(BOB, "pause", username="bob")
    paused = await bridge.slash(ALICE, "pause", username="bob")
    listed = await bridge.slash(ALICE, "list")
    for n in range(3):
        bridge.sim.add_post("bob", text=f"during the first pause {n}")
    assert await bridge.poll("bob") == 3  # all three to the other channel
    await bridge.delivered(NEWS, 3)

    resumed = await bridge.slash(ALICE, "resume", username="bob")
    bridge.sim.add_post("bob", text="after the resume")
    assert await bridge.poll("bob") == 2
    await bridge.delivered(TEXT, 1)
    await bridge.delivered(NEWS, 4)

    assert (refused.text, refused.ephemeral) == (
        "Only members with the Manage Server permission can change what is watched here.",
        True,
    )
    assert paused.text == (
        "Paused @bob here: nothing more arrives until /resume bob. Other chats watching it "
        "are not affected."
    )
    assert listed.text == "This chat watches:\n• @bob (paused)"
    assert resumed.text == "Resumed @bob; the 3 posts of the pause are skipped."
    assert descriptions(bridge.feed_messages(TEXT)) == ["after the resume"]
    assert descriptions(bridge.feed_messages(NEWS)) == [
        "during the first pause 0",
        "during the first pause 1",
        "during the first pause 2",
        "after the resume",
    ]

    await bridge.slash(ALICE, "pause", username="bob")
    for n in range(4):
        bridge.sim.advance(60)
        bridge.sim.add_post("bob", text=f"during the second pause {n}")
    await bridge.poll("bob")
    resumed = await bridge.slash(ALICE, "resume", username="bob", last=2)  # type: ignore[arg-type]
    await bridge.delivered(TEXT, 3)
    await bridge.app.delivery.idle()

    assert resumed.text == (
        "Resumed @bob; here are the last 2 posts of the pause (2 older skipped)."
    )
    assert descriptions(bridge.feed_messages(TEXT)) == [
        "after the resume",
        "during the second pause 2",
        "during the second pause 3",
    ]


async def test_preview_shows_the_latest_post_as_it_was_delivered_and_records_nothing(
    bridge: Bridge,
) -> None:
    bridge.sim.add_profile("bob", name="Bob")
    await bridge.slash(ALICE, "watch", channel=NEWS, username="bob")
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="older news")
    bridge.sim.advance(60)
    bridge.sim.add_post("bob", text="the *latest* news")
    await bridge.poll("bob")
    delivered = (await bridge.delivered(NEWS, 2))[-1]
    await bridge.app.delivery.idle()

    answer = await bridge.slash(ALICE, "preview", username="bob")
    (shown,) = await bridge.delivered(TEXT, 1)

    assert answer.text == "Preview: @bob's latest post, as this chat would receive it."
    # As a delivery would be: the same embed and buttons, posted in this channel.
    assert (shown.content, shown.embeds, shown.components) == (
        delivered.content,
        delivered.embeds,
        delivered.components,
    )
    assert "the \\*latest\\* news" in descriptions([shown])[0]
    assert bridge.app.store.outbox.counts_by_state() == {"delivered": 2}
    assert bridge.app.store.feed.post_for_message("discord", str(TEXT), str(shown.id)) is None
    assert bridge.app.store.subscriptions.for_chat("discord", str(TEXT)) == []
