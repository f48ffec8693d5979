"""Posts that change after delivery, through python-telegram-bot and the fake Telegram: an edit
made on Threads inside the 15-minute window shows in the chat message once the window has
closed (one editMessageText), a deleted post's message is deleted or marked, a /reply to a
post deleted meanwhile takes its message away too, and a holding feed sends the final text."""

from __future__ import annotations

from typing import Any

from tests.fakes.telegram import SentMessage
from tests.telegram.conftest import GROUP, PUBLISHER, Bridge, BridgeFactory, reads
from tests.virtual_time import SkipAheadClock

PAST_THE_WINDOW = 17 * 60.0


def feed(**settings: str) -> dict[str, Any]:
    return {"profile": "bob", "telegram_chat": GROUP, **settings}


async def delivered_post(bridge: Bridge, text: str) -> tuple[str, SentMessage]:
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")  # the baseline
    post = bridge.sim.add_post("bob", text=text)
    await bridge.poll("bob")
    (message,) = await bridge.delivered(GROUP, 1)
    await bridge.app.delivery.idle()  # recorded in the message map too
    return post.id, message


async def window_closes(bridge: Bridge, clock: SkipAheadClock) -> None:
    """Fifteen minutes and a bit pass for Threads and the bridge; the re-read job runs."""
    bridge.sim.advance(PAST_THE_WINDOW)
    clock.advance(PAST_THE_WINDOW)
    await bridge.app.post_changes.reread_due()


def shown(bridge: Bridge, message: SentMessage) -> str | None:
    """What the chat shows in that message now (None: it is gone)."""
    current = bridge.tg.state.message(GROUP, message.message_id)
    if current is None:
        return None
    return str(current.get("text", current.get("caption", ""))).replace("\u2060", "")


def edits_of(bridge: Bridge) -> list[SentMessage]:
    return [m for m in bridge.tg.sent_to(GROUP) if m.method.startswith("edit")]


async def test_an_edit_inside_the_window_updates_the_message_once(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed()])
    post_id, message = await delivered_post(bridge, "Threads is grate")
    bridge.sim.edit_post(post_id, "Threads is great")

    await window_closes(bridge, clock)
    await window_closes(bridge, clock)  # a later run reads nothing again

    assert "Threads is great" in (shown(bridge, message) or "")
    assert "grate" not in (shown(bridge, message) or "")
    assert len(edits_of(bridge)) == 1


async def test_an_unchanged_post_is_left_alone(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed()])
    _, message = await delivered_post(bridge, "Nothing to fix")

    await window_closes(bridge, clock)

    assert edits_of(bridge) == []
    assert "Nothing to fix" in (shown(bridge, message) or "")


async def test_a_deleted_post_is_removed_from_the_chat(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed()])
    post_id, message = await delivered_post(bridge, "I regret this")
    bridge.sim.delete_post(post_id)

    await window_closes(bridge, clock)

    assert shown(bridge, message) is None


async def test_a_deleted_post_is_marked_where_the_feed_says_mark(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed(deleted="mark")])
    post_id, message = await delivered_post(bridge, "I regret this")
    bridge.sim.delete_post(post_id)

    await window_closes(bridge, clock)

    now = shown(bridge, message) or ""
    assert "🗑 Deleted on Threads" in now
    assert "I regret this" in now


async def test_a_reply_to_a_deleted_post_takes_its_message_away(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed()])
    post_id, message = await delivered_post(bridge, "Reply to me")
    bridge.sim.delete_post(post_id)

    answer = await bridge.command(GROUP, PUBLISHER, "/reply sure", reply_to=message.message_id)

    assert not reads(answer).startswith("Replied on Threads")
    assert shown(bridge, message) is None
    assert bridge.sim.posts_by("alice") == []


async def test_a_holding_feed_sends_the_final_text_after_the_window(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed(edits="hold")])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    post = bridge.sim.add_post("bob", text="first draft")
    await bridge.poll("bob")
    await bridge.app.delivery.idle()
    nothing_yet = list(bridge.tg.sent_to(GROUP))
    bridge.sim.edit_post(post.id, "final words")

    await window_closes(bridge, clock)
    (message,) = await bridge.delivered(GROUP, 1)

    assert nothing_yet == []
    assert "final words" in reads(message)
    assert "first draft" not in reads(message)


async def test_an_edited_post_keeps_its_feed_template(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    """The edit re-renders the post as its delivery did: through the feed's template."""
    bridge: Bridge = await start_bridge(feeds=[{**feed(), "template": "Said: {text}"}])
    post_id, message = await delivered_post(bridge, "Threads is grate")
    assert "Said: Threads is grate" in (shown(bridge, message) or "")
    bridge.sim.edit_post(post_id, "Threads is great")

    await window_closes(bridge, clock)

    assert "Said: Threads is great" in (shown(bridge, message) or "")
    assert len(edits_of(bridge)) == 1
