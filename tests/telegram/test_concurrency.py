"""Updates from different chats are handled concurrently; one chat's stay in order."""

from __future__ import annotations

import asyncio

from tests.telegram.conftest import GROUP, MEMBER, PRIVATE, PUBLISHER, Bridge


async def test_a_slow_post_does_not_hold_up_other_chats(bridge: Bridge) -> None:
    # Text containers stay IN_PROGRESS until the simulator clock moves: /post waits.
    bridge.sim.set_processing(text_seconds=3600)
    bridge.tg.send_command(PRIVATE, PUBLISHER, "/post slow going")
    bridge.tg.send_command(PRIVATE, PUBLISHER, "/help")  # same chat: after the /post

    other_chat = await bridge.command(GROUP, MEMBER, "/help")
    await asyncio.wait_for(bridge.sim.containers_created(1), 10)  # the /post waits on it

    assert "/watch USERNAME" in other_chat.visible_text
    assert bridge.tg.sent_to(PRIVATE) == []  # the /post is still waiting, and so is its /help
    assert bridge.sim.posts_by("alice") == []

    bridge.sim.advance(3600)
    published, helped = await bridge.delivered(PRIVATE, 2)

    (post,) = bridge.sim.posts_by("alice")
    assert published.visible_text == f"Published on Threads: {post.permalink}"
    assert "/watch USERNAME" in helped.visible_text
