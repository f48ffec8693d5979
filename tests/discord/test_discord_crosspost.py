"""Cross-posting a Discord channel to Threads, end to end: members' messages reach the real
discord.py as MESSAGE_CREATE / MESSAGE_UPDATE / MESSAGE_DELETE from the fake gateway (the
bridge asks for the message intents only because a [[crosspost]] names the channel), and the
bridge's worker publishes them on the simulator."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import SimUser, ThreadsSimulator
from tests.discord.conftest import ALICE, BOB, NEWS, TEXT, Bridge
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.cdn import Upload
from tests.fakes.discord.gateway import DISALLOWED_INTENTS, MESSAGE_CONTENT, PRIVILEGED
from tests.logwait import LogWatch, watching_logs
from tests.media_samples import JPEG, sha256


@pytest.fixture
async def logs() -> Any:
    with watching_logs() as watch:
        yield watch


def rule(**options: Any) -> dict[str, Any]:
    return {"crosspost": [{"discord_channel": NEWS, **options}]}


def identify_intents(fake: FakeDiscord) -> int:
    frames = [f for f in fake.recorder.gateway if f.direction == "in" and f.op == 2]
    return int(frames[-1].d["intents"])


async def test_a_marked_message_is_published_without_the_marker_and_an_unmarked_one_not(
    start_bridge: Any,
    discord_fake: FakeDiscord,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge: Bridge = await start_bridge(**rule(mode="marked", footer="{link}"))
    assert identify_intents(discord_fake) & MESSAGE_CONTENT

    unmarked = await discord_fake.post_message(NEWS, BOB, "Chatting about **nothing**")
    await logs.wait_for(f"message {unmarked}: not cross-posted: not marked with #threads")
    marked = await discord_fake.post_message(
        NEWS, BOB, "**Release 2.0** is out #threads: see [the notes](https://example.com/2)"
    )
    await logs.wait_for("queued as #1")
    row = await bridge.app.publishing.settled(1)

    (post,) = sim.posts_by("alice")
    link = f"https://discord.com/channels/{1_300_000_000_000_000_100}/{NEWS}/{marked}"
    assert post.text == f"Release 2.0 is out: see the notes (https://example.com/2)\n\n{link}"
    assert row.permalink == post.permalink
    # Nothing said in the channel: the bridge's own messages there are none.
    assert discord_fake.messages_in(NEWS) == []


async def test_photos_go_from_discord_s_own_url(
    start_bridge: Any,
    discord_fake: FakeDiscord,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge: Bridge = await start_bridge(**rule())
    await discord_fake.post_message(NEWS, BOB, "Sunrise", [Upload("lake.jpg", JPEG, "image/jpeg")])
    await logs.wait_for("queued as #1")
    await bridge.app.publishing.settled(1)
    (post,) = sim.posts_by("alice")
    assert (post.media_type, post.text) == ("IMAGE", "Sunrise")
    assert post.spec.fetched is not None and post.spec.fetched.sha256 == sha256(JPEG)


async def test_an_edit_before_publishing_changes_the_text_and_a_deletion_cancels(
    start_bridge: Any,
    discord_fake: FakeDiscord,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge: Bridge = await start_bridge(**rule())
    sim.set_processing(text_seconds=3600)  # the first post keeps the worker busy
    await discord_fake.post_message(NEWS, BOB, "First")
    await logs.wait_for("queued as #1")
    await sim.containers_created(1)
    second = await discord_fake.post_message(NEWS, BOB, "Meeting at 5")
    third = await discord_fake.post_message(NEWS, BOB, "Never mind")
    await logs.wait_for("queued as #3")

    await discord_fake.edit_message(second, "Meeting at 6")
    await logs.wait_for("edited before publishing; the new text goes")
    await discord_fake.delete_message(third)
    await logs.wait_for("deleted before publishing; cancelled")
    sim.set_processing(text_seconds=0)
    sim.advance(3600)

    assert (await bridge.app.publishing.settled(3)).state == "cancelled"
    assert (await bridge.app.publishing.settled(2)).state == "published"
    assert [p.text for p in reversed(sim.posts_by("alice"))] == ["First", "Meeting at 6"]


async def test_a_deletion_after_publishing_deletes_the_post_when_delete_follows(
    start_bridge: Any,
    discord_fake: FakeDiscord,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge: Bridge = await start_bridge(**rule(delete_follows=True))
    message = await discord_fake.post_message(NEWS, BOB, "Short-lived")
    await logs.wait_for("queued as #1")
    await bridge.app.publishing.settled(1)
    assert len(sim.posts_by("alice")) == 1

    await discord_fake.delete_message(message)
    await logs.wait_for("deleted in chat, so deleted on Threads too (1 posts)")
    assert sim.posts_by("alice") == []


async def test_other_channels_are_not_read(
    start_bridge: Any,
    discord_fake: FakeDiscord,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge: Bridge = await start_bridge(**rule())
    await discord_fake.post_message(TEXT, BOB, "general chatter")
    marker = await discord_fake.post_message(NEWS, BOB, "news")
    await logs.wait_for(f"message {marker}: queued as #1")
    await bridge.app.publishing.settled(1)
    assert [p.text for p in sim.posts_by("alice")] == ["news"]


async def test_without_a_crosspost_the_bot_asks_for_no_message_intents(
    start_bridge: Any, discord_fake: FakeDiscord
) -> None:
    await start_bridge()
    assert not identify_intents(discord_fake) & PRIVILEGED
    assert DISALLOWED_INTENTS == 4014  # what Discord answers when the portal switch is off


async def test_autopost_off_and_status_from_the_channel(
    start_bridge: Any,
    discord_fake: FakeDiscord,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge: Bridge = await start_bridge(**rule(), discord={"publishers": [ALICE]})
    off = await bridge.slash(ALICE, "autopost", channel=NEWS, action="off")
    assert off.text == "Cross-posting to Threads is off here. /autopost on starts it again."
    refused = await bridge.slash(BOB, "autopost", channel=NEWS, action="on")
    assert refused.ephemeral and refused.text.startswith("Only members with the Manage Server")
    quiet = await discord_fake.post_message(NEWS, BOB, "not now")
    await logs.wait_for(f"message {quiet}: not cross-posted, /autopost is off there")

    on = await bridge.slash(ALICE, "autopost", channel=NEWS, action="on")
    assert on.text == "Cross-posting to Threads is on here: every message goes to Threads."
    assert (await bridge.slash(ALICE, "autopost", channel=NEWS)).text == on.text
    # The bot's own answers in the channel came back over the gateway too, and were not
    # taken for messages to cross-post: the first row is the next member's message.
    back = await discord_fake.post_message(NEWS, BOB, "back on")
    await logs.wait_for(f"message {back}: queued as #1")
