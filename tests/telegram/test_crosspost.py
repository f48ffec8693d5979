"""Cross-posting a Telegram channel to Threads, end to end: channel posts reach the real
python-telegram-bot from the fake Bot API, the bridge queues them, its worker publishes them on
the simulator (photos through the media relay)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from bot.crosspost import EDITED_AFTER
from bot.loop_guard import MARK
from simulator import SimUser, ThreadsSimulator
from tests.fakes.telegram import FakeTelegram
from tests.logwait import LogWatch, watching_logs
from tests.media_samples import JPEG, PNG, sha256
from tests.telegram.conftest import GROUP, PRIVATE, PUBLISHER, Bridge, reads

CHANNEL = -1002000000002


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def logs() -> Any:
    with watching_logs() as watch:
        yield watch


@pytest.fixture
def channel(tg: FakeTelegram) -> int:
    tg.add_chat(CHANNEL, "channel", title="News", username="news")
    return CHANNEL


def crossposting(**rule: Any) -> dict[str, Any]:
    port = free_port()
    return {
        "media": {"public_url": f"http://127.0.0.1:{port}", "listen_port": port},
        "crosspost": [{"telegram_chat": CHANNEL, **rule}],
    }


def top_level(sim: ThreadsSimulator) -> list[Any]:
    return [p for p in sim.posts_by("alice") if not p.is_carousel_item]


async def published(bridge: Bridge, logs: LogWatch, row_id: int) -> Any:
    await logs.wait_for(f"queued as #{row_id}")
    return await bridge.app.publishing.settled(row_id)


async def test_a_channel_album_is_one_carousel_exactly_once_across_a_restart(
    start_bridge: Any,
    channel: int,
    tg: FakeTelegram,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    config = crossposting()
    bridge = await start_bridge(**config)
    photos = [("photo", JPEG), ("photo", PNG), ("photo", JPEG)]
    album = tg.send_channel_media(channel, photos, "Three views of the lake")

    row = await published(bridge, logs, 1)

    (carousel,) = top_level(sim)
    assert (carousel.media_type, carousel.text) == ("CAROUSEL_ALBUM", "Three views of the lake")
    children = [sim.get_post(child) for child in carousel.children]
    assert [c.spec.fetched.sha256 for c in children if c and c.spec.fetched] == [
        sha256(JPEG),
        sha256(PNG),
        sha256(JPEG),
    ]
    assert row.permalink == carousel.permalink
    assert tg.sent_to(channel) == []  # nothing said in the channel itself

    # A restart, and Telegram handing the same updates over again (as after a crash before
    # they were confirmed): the album is recognised, not published again.
    await bridge.app.stop()
    again = await start_bridge(**config)
    for message in album:
        tg.updates.push({"channel_post": message})
    await logs.wait_for(f"message {album[0]['message_id']}: queued before as #1; not again")
    assert len(top_level(sim)) == 1
    assert again.app.store.queue.waiting() == []


async def test_an_edit_before_publishing_changes_the_published_text(
    start_bridge: Any,
    channel: int,
    tg: FakeTelegram,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge = await start_bridge(**crossposting())
    sim.set_processing(text_seconds=3600)  # the first post keeps the worker busy
    tg.send_channel_post(channel, "Opening hours change tomorrow")
    await logs.wait_for("queued as #1")
    await sim.containers_created(1)
    second = tg.send_channel_post(channel, "Meeting at 5")
    await logs.wait_for("queued as #2")

    tg.edit_message(channel, second["message_id"], "Meeting at 6 (moved)")
    await logs.wait_for("edited before publishing; the new text goes")
    sim.set_processing(text_seconds=0)
    sim.advance(3600)

    assert (await bridge.app.publishing.settled(2)).state == "published"
    assert [p.text for p in reversed(top_level(sim))] == [
        "Opening hours change tomorrow",
        "Meeting at 6 (moved)",
    ]


async def test_a_marked_channel_publishes_only_marked_posts(
    start_bridge: Any,
    channel: int,
    tg: FakeTelegram,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge = await start_bridge(**crossposting(mode="marked", footer="More: {link}"))
    unmarked = tg.send_channel_post(channel, "Internal note, not for Threads")
    await logs.wait_for(f"message {unmarked['message_id']}: not cross-posted: not marked")
    marked = tg.send_channel_post_with(
        channel,
        "New release #threads: read the notes",
        [{"type": "text_link", "offset": 31, "length": 5, "url": "https://example.com/notes"}],
    )

    await published(bridge, logs, 1)

    (post,) = top_level(sim)
    assert post.text == (
        "New release: read the notes (https://example.com/notes)\n\n"
        f"More: https://t.me/news/{marked['message_id']}"
    )


async def test_autopost_off_from_the_channel(
    start_bridge: Any,
    channel: int,
    tg: FakeTelegram,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
) -> None:
    bridge = await start_bridge(**crossposting(), telegram={"publishers": [CHANNEL]})
    tg.send_channel_post(channel, "/autopost off")
    await tg.wait_for(lambda fake: len(fake.sent_to(channel)) >= 1, timeout=15)
    assert "off here" in (tg.sent_to(channel)[0].visible_text or "")
    quiet = tg.send_channel_post(channel, "not now")
    await logs.wait_for(f"message {quiet['message_id']}: not cross-posted, /autopost is off")
    assert bridge.app.store.queue.waiting() == [] and top_level(sim) == []


@pytest.mark.parametrize("echo", ["skip", "mark"])
async def test_the_post_does_not_come_back_into_the_channel_it_came_from(
    start_bridge: Any,
    channel: int,
    tg: FakeTelegram,
    sim: ThreadsSimulator,
    alice: SimUser,
    logs: LogWatch,
    echo: str,
) -> None:
    # The channel also watches the connected account, as does a group: the cross-post comes
    # back through "me".
    feeds = [
        {"profile": "me", "telegram_chat": CHANNEL},
        {"profile": "me", "telegram_chat": GROUP},
    ]
    bridge = await start_bridge(**crossposting(echo=echo), feeds=feeds)
    await bridge.poll("me")  # the baseline
    tg.send_channel_post(channel, "Hello from the channel")
    await published(bridge, logs, 1)

    await bridge.poll("me")

    (in_group,) = await bridge.delivered(GROUP, 1)
    assert "Hello from the channel" in reads(in_group) and MARK not in reads(in_group)
    if echo == "skip":
        (post,) = top_level(sim)
        await logs.wait_for(f"post {post.id} was cross-posted from telegram:{CHANNEL}")
        assert tg.sent_to(CHANNEL) == []
    else:
        (in_channel,) = await bridge.delivered(CHANNEL, 1)
        assert "Hello from the channel" in reads(in_channel) and MARK in reads(in_channel)


async def test_a_group_message_edited_after_publishing_is_reported_to_its_author(
    start_bridge: Any, tg: FakeTelegram, sim: ThreadsSimulator, alice: SimUser, logs: LogWatch
) -> None:
    tg.set_member(GROUP, tg.bot_user.id, "administrator")  # it sees every message
    port = free_port()
    bridge = await start_bridge(
        media={"public_url": f"http://127.0.0.1:{port}", "listen_port": port},
        crosspost=[{"telegram_chat": GROUP}],
    )
    sent = tg.send_text(GROUP, PUBLISHER, "Doors open at 7")
    row = await published(bridge, logs, 1)

    tg.edit_message(GROUP, sent["message_id"], "Doors open at 8")
    (told,) = await bridge.delivered(PRIVATE, 1)

    assert reads(told) == EDITED_AFTER.format(link=row.permalink)
    assert [p.text for p in top_level(sim)] == ["Doors open at 7"]
    assert tg.sent_to(GROUP) == []
