"""Modern Threads post types delivered into Discord, end to end (simulator -> bridge -> the
fake Discord): what people in the channel see."""

from __future__ import annotations

from tests.discord.conftest import FORUM, TEXT, Bridge, BridgeFactory
from tests.fakes.discord import FakeDiscord
from tests.virtual_time import SkipAheadClock


async def started(start_bridge: BridgeFactory, channel: int) -> Bridge:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_channel": channel}])
    bridge.sim.add_profile("bob", name="Bob", followers=5000)
    await bridge.poll("bob")  # the baseline
    return bridge


def description(message: object) -> str:
    return str(message.embeds[0].get("description", ""))  # type: ignore[attr-defined]


async def test_spoilers_poll_results_gif_and_audio_in_a_channel(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await started(start_bridge, TEXT)
    bridge.sim.add_post("bob", text="the butler did it", spoilers=[(4, 6)], topic_tag="Crime")
    bridge.sim.add_post(
        "bob", text="look", media_type="IMAGE", media_urls=["https://c.ex/1.jpg"],
        is_spoiler_media=True,
    )  # fmt: skip
    poll = bridge.sim.add_post("bob", text="Tea or coffee?", poll_options=["Tea", "Coffee"])
    bridge.sim.set_poll_votes(poll.id, [1, 3])
    gif = "https://media.giphy.com/media/abc/giphy.gif"
    bridge.sim.add_post("bob", text="mood", gif_url=gif)
    bridge.sim.add_post("bob", text="hear", media_type="AUDIO", media_urls=["https://c.ex/a.m4a"])
    await bridge.poll("bob")
    spoiler, photo, poll_message, gif_message, audio = await bridge.delivered(TEXT, 5)

    assert description(spoiler) == "🏷️ Crime\n\nthe ||butler|| did it"
    assert "image" not in photo.embeds[0]
    assert "🙈 Spoiler: ||[Image 1](https://c.ex/1.jpg)||" in description(photo)
    assert description(poll_message).endswith("📊 Poll\n▫️ Tea: 25%\n▫️ Coffee: 75%\n4 votes")
    assert gif_message.embeds[0]["image"]["url"] == gif
    assert description(audio).endswith("[🎵 Audio](https://c.ex/a.m4a)")


async def test_a_long_text_attachment_continues_in_the_forum_post_it_opened(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await started(start_bridge, FORUM)
    body = "".join(f"Line {n} of the essay.\n" for n in range(450))  # ~9,800 characters
    bridge.sim.add_post("bob", text="An essay", text_attachment=body)
    await bridge.poll("bob")
    await bridge.discord.wait_for(
        lambda fake: len(fake.calls_to("POST", f"/channels/{FORUM}/threads")) >= 1, timeout=30
    )
    (opened,) = bridge.discord.calls_to("POST", f"/channels/{FORUM}/threads")
    first = [m for m in bridge.discord.messages if m.via == "forum"]
    thread = first[0].channel_id
    await bridge.discord.wait_for(lambda fake: len(fake.messages_in(thread)) >= 3, timeout=30)

    messages = bridge.discord.messages_in(thread)
    assert opened.json["name"] == "An essay"
    seen = "\n".join(description(m) for m in messages)
    assert seen.startswith("An essay\n\nLine 0 of the essay.")
    assert "Line 449 of the essay." in seen
    assert [bool(m.components) for m in messages] == [True, False, False]


async def test_a_ghost_post_is_marked_and_deleted_when_it_expires(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge = await started(start_bridge, TEXT)
    ghost = bridge.sim.add_post("bob", text="here today", ghost=True)
    bridge.sim.add_post("bob", text="here to stay")
    await bridge.poll("bob")
    marked, lasting = await bridge.delivered(TEXT, 2)
    await bridge.app.delivery.idle()  # the message map (and the expiry) written
    when = int(ghost.timestamp.timestamp()) + 24 * 3600
    assert description(marked).startswith(f"👻 Ghost post: disappears <t:{when}:R>")

    assert await bridge.app.ghost_sweep.remove_expired() == 0
    clock.advance(24 * 3600)
    assert await bridge.app.ghost_sweep.remove_expired() == 1
    assert bridge.discord.is_deleted(marked.id)
    assert not bridge.discord.is_deleted(lasting.id)


async def test_a_ghost_post_sent_through_a_webhook_is_deleted_through_it(
    start_bridge: BridgeFactory, discord_fake: FakeDiscord, clock: SkipAheadClock
) -> None:
    _, _, url = discord_fake.add_webhook(TEXT)
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_webhook": url}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="here today", ghost=True)
    await bridge.poll("bob")
    (message,) = await bridge.delivered(TEXT, 1)
    await bridge.app.delivery.idle()  # the message map (and the expiry) written
    assert message.via == "webhook"

    clock.advance(24 * 3600)
    assert await bridge.app.ghost_sweep.remove_expired() == 1
    assert bridge.discord.is_deleted(message.id)


async def test_a_ghost_posts_forum_post_is_deleted_with_its_thread(
    start_bridge: BridgeFactory, clock: SkipAheadClock
) -> None:
    bridge = await started(start_bridge, FORUM)
    bridge.sim.add_post("bob", text="here today", ghost=True)
    await bridge.poll("bob")
    await bridge.discord.wait_for(lambda fake: any(m.via == "forum" for m in fake.messages))
    await bridge.app.delivery.idle()
    (opened,) = [m for m in bridge.discord.messages if m.via == "forum"]

    clock.advance(24 * 3600)
    assert await bridge.app.ghost_sweep.remove_expired() == 1
    assert bridge.discord.is_deleted(opened.id)
    assert bridge.discord.calls_to("DELETE", f"/channels/{opened.channel_id}")
