"""/schedule end to end: the real python-telegram-bot against the fake Telegram, BridgeApp with
its publish worker, the simulator as Threads.

The harness's SkipAheadClock skips every wait: the worker's wait for a row's time moves the
bridge's clock forward to that time at once (as an hour of waiting would), so the post goes
out as soon as it is queued, at its time as the bridge counts, and the chat gets the link."""

from __future__ import annotations

from typing import Any

import pytest

from bot.commands.when import show_time
from simulator import ThreadsSimulator
from tests.media_samples import JPEG, sha256
from tests.telegram.conftest import GROUP, PRIVATE, PUBLISHER, Bridge, reads
from tests.telegram.test_media_posts import free_port
from tests.virtual_time import SkipAheadClock


async def schedule(bridge: Bridge, chat: int, text: str, **media: Any) -> tuple[str, str]:
    """Send `text` (or media captioned `text`), and wait for the two messages it brings: the
    answer and, once the post is published, the link. In either order: the worker may
    publish before the answer is sent."""
    before = len(bridge.tg.sent_to(chat))
    if media:
        bridge.tg.send_media(chat, PUBLISHER, media["files"], text)
    else:
        bridge.tg.send_command(chat, PUBLISHER, text)
    await bridge.tg.wait_for(lambda fake: len(fake.sent_to(chat)) >= before + 2, timeout=30)
    first, second = (reads(m) for m in bridge.tg.sent_to(chat)[before:])
    return (first, second) if first.startswith("Scheduled") else (second, first)


async def test_a_scheduled_post_goes_out_at_its_time_and_the_chat_gets_the_link(
    bridge: Bridge, sim: ThreadsSimulator, clock: SkipAheadClock
) -> None:
    asked_at = clock.time()
    answer, told = await schedule(bridge, PRIVATE, "/schedule in 1h hello from earlier")

    row = bridge.app.store.queue.get(1)
    assert row is not None and row.state == "published"
    assert asked_at + 3600 <= row.due_at <= clock.time()  # published once it was due
    assert answer == f"Scheduled as #1 for {show_time(row.due_at, 'UTC', now=asked_at)} (UTC)."
    (post,) = sim.posts_by("alice")
    assert post.text == "hello from earlier"
    assert told == f"Published on Threads (queued #1): {post.permalink}"


@pytest.fixture
async def media_bridge(start_bridge: Any) -> Bridge:
    port = free_port()
    media = {"public_url": f"http://127.0.0.1:{port}", "listen_port": port}
    result: Bridge = await start_bridge(media=media)
    return result


async def test_a_photo_captioned_schedule_is_fetched_when_due(
    media_bridge: Bridge, sim: ThreadsSimulator
) -> None:
    zone = await media_bridge.command(GROUP, 1003, "/timezone Europe/Berlin")  # an admin
    assert reads(zone).startswith("This chat's times are now in Europe/Berlin")

    answer, told = await schedule(
        media_bridge, GROUP, "/schedule in 2h Sunrise, later", files=[("photo", JPEG)]
    )

    assert answer.startswith("Scheduled as #1 for ") and answer.endswith(" (Europe/Berlin).")
    (post,) = sim.posts_by("alice")
    assert (post.media_type, post.text) == ("IMAGE", "Sunrise, later")
    assert post.spec.fetched is not None and post.spec.fetched.sha256 == sha256(JPEG)
    assert told == f"Published on Threads (queued #1): {post.permalink}"
