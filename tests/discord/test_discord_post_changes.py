"""Posts that change after delivery, through discord.py and the fake Discord: an edit made on
Threads inside the 15-minute window shows in the delivered embed once the window has closed
(one PATCH), a deleted post's message is deleted (channel) or marked (webhook), and an
unchanged one is left alone."""

from __future__ import annotations

from typing import Any

from tests.discord.conftest import TEXT, Bridge, BridgeFactory
from tests.fakes.discord import FakeDiscord, SentMessage
from tests.virtual_time import SkipAheadClock

PAST_THE_WINDOW = 17 * 60.0


async def delivered_post(bridge: Bridge, text: str) -> tuple[str, SentMessage]:
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")  # the baseline
    post = bridge.sim.add_post("bob", text=text)
    await bridge.poll("bob")
    (message,) = await bridge.delivered(TEXT, 1)
    await bridge.app.delivery.idle()  # recorded in the message map too
    return post.id, message


async def window_closes(bridge: Bridge, clock: SkipAheadClock) -> None:
    """Fifteen minutes and a bit pass for Threads and the bridge; the re-read job runs."""
    bridge.sim.advance(PAST_THE_WINDOW)
    clock.advance(PAST_THE_WINDOW)
    await bridge.app.post_changes.reread_due()


def description(bridge: Bridge, message: SentMessage) -> str:
    """The embed's text as it reads in the channel now."""
    current: dict[str, Any] = bridge.discord.message(message.id)
    return str(current["embeds"][0].get("description", ""))


def labels(rows: Any) -> list[str]:
    return [button["label"] for row in rows for button in row["components"]]


def channel_feed(**settings: str) -> dict[str, Any]:
    return {"profile": "bob", "discord_channel": TEXT, **settings}


async def test_an_edit_inside_the_window_updates_the_embed_once(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge: Bridge = await start_bridge(feeds=[channel_feed()])
    post_id, message = await delivered_post(bridge, "Threads is grate")
    bridge.sim.edit_post(post_id, "Threads is great")

    await window_closes(bridge, clock)
    await window_closes(bridge, clock)  # a later run reads nothing again

    assert "Threads is great" in description(bridge, message)
    assert "grate" not in description(bridge, message)
    assert [e.message_id for e in bridge.discord.edits] == [message.id]
    # The Reply / Open buttons stay under it.
    assert labels(bridge.discord.message(message.id)["components"]) == labels(message.components)


async def test_an_unchanged_post_is_left_alone(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge: Bridge = await start_bridge(feeds=[channel_feed()])
    _, message = await delivered_post(bridge, "Nothing to fix")

    await window_closes(bridge, clock)

    assert bridge.discord.edits == []
    assert "Nothing to fix" in description(bridge, message)


async def test_a_deleted_post_is_removed_from_the_channel(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge: Bridge = await start_bridge(feeds=[channel_feed()])
    post_id, message = await delivered_post(bridge, "I regret this")
    bridge.sim.delete_post(post_id)

    await window_closes(bridge, clock)

    assert bridge.discord.is_deleted(message.id)


async def test_a_deleted_post_is_marked_through_its_webhook(
    start_bridge: BridgeFactory, discord_fake: FakeDiscord, clock: SkipAheadClock
) -> None:
    _, _, url = discord_fake.add_webhook(TEXT)
    feed = {"profile": "bob", "discord_webhook": url, "deleted": "mark"}
    bridge: Bridge = await start_bridge(feeds=[feed])
    post_id, message = await delivered_post(bridge, "I regret this")
    bridge.sim.delete_post(post_id)

    await window_closes(bridge, clock)

    assert not bridge.discord.is_deleted(message.id)
    assert description(bridge, message).startswith("🗑 Deleted on Threads")
    assert "I regret this" in description(bridge, message)
