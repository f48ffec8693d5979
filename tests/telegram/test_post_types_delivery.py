"""Modern Threads post types delivered into Telegram, end to end (simulator -> bridge -> the
fake Bot API, which parses the HTML as Telegram does): what people in the chat see."""

from __future__ import annotations

import json

from tests.telegram.conftest import PRIVATE, Bridge, BridgeFactory
from tests.virtual_time import SkipAheadClock


async def started(start_bridge: BridgeFactory) -> Bridge:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    bridge.sim.add_profile("bob", name="Bob", followers=5000)
    await bridge.poll("bob")  # the baseline
    return bridge


async def test_spoiler_text_and_spoiler_photos_arrive_hidden(start_bridge: BridgeFactory) -> None:
    bridge = await started(start_bridge)
    bridge.sim.add_post("bob", text="the butler did it", spoilers=[(4, 6)])
    bridge.sim.add_post(
        "bob",
        text="two views",
        media_type="CAROUSEL_ALBUM",
        media_urls=("https://c.ex/1.jpg", "https://c.ex/2.jpg"),
        is_spoiler_media=True,
    )
    await bridge.poll("bob")
    text, album = await bridge.delivered(PRIVATE, 2)

    assert "<tg-spoiler>butler</tg-spoiler>" in (text.text or "")
    assert "the butler did it" in (text.visible_text or "")
    assert album.method == "sendMediaGroup"
    assert [item.get("has_spoiler") for item in json.loads(album.params["media"])] == [True, True]


async def test_a_long_text_attachment_a_poll_with_results_and_a_tag(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await started(start_bridge)
    body = "".join(f"Line {n} of the essay.\n" for n in range(500))  # ~11,000 characters
    bridge.sim.add_post("bob", text="An essay", text_attachment=body[:10_000], topic_tag="Essays")
    poll = bridge.sim.add_post("bob", text="Tea or coffee?", poll_options=["Tea", "Coffee"])
    bridge.sim.set_poll_votes(poll.id, [3, 1])
    await bridge.poll("bob")
    messages = await bridge.delivered(PRIVATE, 4)

    *essay, poll_message = messages
    assert len(essay) == 3  # 10,000 characters cannot go in one 4,096-character message
    assert essay[0].visible_text.splitlines()[:2] == ["Bob (@bob)", "🏷️ Essays"]
    seen = "\n".join(m.visible_text or "" for m in essay)
    assert "Line 0 of the essay." in seen and body[:10_000].rstrip().splitlines()[-1] in seen
    assert "📊 Poll\n▫️ Tea: 75%\n▫️ Coffee: 25%\n4 votes" in (poll_message.visible_text or "")


async def test_a_short_text_attachment_arrives_folded(start_bridge: BridgeFactory) -> None:
    bridge = await started(start_bridge)
    bridge.sim.add_post("bob", text="A note", text_attachment="More than 500 bytes, folded.")
    await bridge.poll("bob")
    (message,) = await bridge.delivered(PRIVATE, 1)
    assert "A note\n\nMore than 500 bytes, folded." in (message.visible_text or "")
    shown = bridge.tg.message(PRIVATE, message.message_id)
    assert shown is not None
    assert "expandable_blockquote" in [entity["type"] for entity in shown["entities"]]


async def test_gif_link_attachment_and_audio(start_bridge: BridgeFactory) -> None:
    bridge = await started(start_bridge)
    gif = "https://media.giphy.com/media/abc/giphy.gif"
    bridge.sim.add_post("bob", text="mood", gif_url=gif)
    bridge.sim.add_post("bob", text="read", link_attachment_url="https://example.com/a")
    bridge.sim.add_post("bob", text="hear", media_type="AUDIO", media_urls=["https://c.ex/a.m4a"])
    await bridge.poll("bob")
    gif_message, link_message, audio = await bridge.delivered(PRIVATE, 3)

    assert json.loads(gif_message.params["link_preview_options"]) == {"url": gif}
    assert "🎞️ GIF" in (gif_message.visible_text or "")
    assert json.loads(link_message.params["link_preview_options"]) == {
        "url": "https://example.com/a"
    }
    assert "🔗 https://example.com/a" in (link_message.visible_text or "")
    assert audio.method == "sendMessage"
    assert "🎵 Audio" in (audio.visible_text or "")
    assert 'href="https://c.ex/a.m4a"' in (audio.text or "")


async def test_a_ghost_post_is_marked_and_removed_from_the_chat_when_it_expires(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    first = await started(start_bridge)
    ghost = first.sim.add_post("bob", text="here today", ghost=True)
    first.sim.add_post("bob", text="here to stay")
    await first.poll("bob")
    marked, lasting = await first.delivered(PRIVATE, 2)
    await first.app.delivery.idle()  # the message map (and the expiry) written
    assert "👻 Ghost post: disappears" in (marked.visible_text or "")
    assert "Ghost" not in (lasting.visible_text or "")

    clock.advance(23 * 3600)  # a day is not over yet: nothing goes
    assert await first.app.ghost_sweep.remove_expired() == 0
    assert first.tg.message(PRIVATE, marked.message_id) is not None

    await first.app.stop()  # what to remove, and when, outlives a restart
    again = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    clock.advance(3600)
    first.sim.advance(24 * 3600)
    assert ghost.timestamp.timestamp() + 24 * 3600 <= clock.time()
    assert await again.app.ghost_sweep.remove_expired() == 1
    assert again.tg.message(PRIVATE, marked.message_id) is None
    assert again.tg.message(PRIVATE, lasting.message_id) is not None
    assert await again.app.ghost_sweep.remove_expired() == 0  # once


async def test_a_ghost_post_found_after_it_expired_is_not_delivered(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    first = await started(start_bridge)
    await first.app.stop()
    first.sim.add_post("bob", text="gone before anyone saw it", ghost=True)
    first.sim.add_post("bob", text="still here")
    first.sim.advance(25 * 3600)  # the bridge was down for more than a day
    clock.advance(25 * 3600)

    again = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    await again.poll("bob")
    (message,) = await again.delivered(PRIVATE, 1)
    await again.app.delivery.idle()

    assert "still here" in (message.visible_text or "")
    assert again.tg.sent_to(PRIVATE) == [message]
    assert again.app.store.outbox.counts_by_state() == {"delivered": 1, "dropped": 1}
