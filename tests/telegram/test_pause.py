"""/pause, /resume and /preview end to end on Telegram: the real python-telegram-bot against
the fake Telegram, posts made on the simulator and polled by the bridge's own job."""

from __future__ import annotations

from tests.telegram.conftest import ADMIN, GROUP, PRIVATE, PUBLISHER, Bridge, BridgeFactory, reads


def texts_after(bridge: Bridge, chat: int, count: int) -> list[str]:
    return [reads(m) for m in bridge.tg.sent_to(chat)[count:]]


async def test_pause_then_resume_without_a_flood_then_resume_with_the_last_two(
    bridge: Bridge,
) -> None:
    bridge.sim.add_profile("bob", name="Bob")
    await bridge.command(GROUP, ADMIN, "/watch bob")
    await bridge.command(PRIVATE, PUBLISHER, "/watch bob")
    await bridge.poll("bob")  # the baseline

    paused = await bridge.command(GROUP, ADMIN, "/pause bob")
    listed = await bridge.command(GROUP, ADMIN, "/list")
    for n in range(3):
        bridge.sim.add_post("bob", text=f"during the first pause {n}")
    # Three deliveries queued: all to the private chat, none to the paused group.
    assert await bridge.poll("bob") == 3
    await bridge.delivered(PRIVATE, 4)  # the /watch answer and the three posts
    group_seen = len(bridge.tg.sent_to(GROUP))

    resumed = await bridge.command(GROUP, ADMIN, "/resume bob")
    bridge.sim.add_post("bob", text="after the resume")
    assert await bridge.poll("bob") == 2
    await bridge.delivered(GROUP, group_seen + 2)

    assert reads(paused) == (
        "Paused @bob here: nothing more arrives until /resume bob. Other chats watching it "
        "are not affected."
    )
    assert reads(listed) == "This chat watches:\n• @bob (paused)"
    assert reads(resumed) == "Resumed @bob; the 3 posts of the pause are skipped."
    # Nothing old flooded in: after the answer, only the post made after the resume.
    group = texts_after(bridge, GROUP, group_seen)
    assert len(group) == 2 and "after the resume" in group[1]
    assert not any("during the first pause" in reads(m) for m in bridge.tg.sent_to(GROUP))
    private = [reads(m) for m in bridge.tg.sent_to(PRIVATE)]
    assert sum("during the first pause" in text for text in private) == 3

    await bridge.command(GROUP, ADMIN, "/pause bob")
    for n in range(4):
        bridge.sim.advance(60)
        bridge.sim.add_post("bob", text=f"during the second pause {n}")
    await bridge.poll("bob")
    group_seen = len(bridge.tg.sent_to(GROUP))
    resumed = await bridge.command(GROUP, ADMIN, "/resume bob 2")
    await bridge.delivered(GROUP, group_seen + 3)
    await bridge.app.delivery.idle()

    assert reads(resumed) == (
        "Resumed @bob; here are the last 2 posts of the pause (2 older skipped)."
    )
    group = texts_after(bridge, GROUP, group_seen + 1)
    assert len(group) == 2
    assert "during the second pause 2" in group[0] and "during the second pause 3" in group[1]


async def test_preview_shows_the_latest_post_as_it_was_delivered_and_records_nothing(
    bridge: Bridge,
) -> None:
    bridge.sim.add_profile("bob", name="Bob")
    await bridge.command(PRIVATE, PUBLISHER, "/watch bob")
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="older news")
    bridge.sim.advance(60)
    bridge.sim.add_post("bob", text="the <latest> news & more")
    await bridge.poll("bob")
    delivered = (await bridge.delivered(PRIVATE, 3))[-1]  # the answer, then both posts
    await bridge.app.delivery.idle()

    answer = await bridge.command(GROUP, ADMIN, "/preview bob")
    (shown,) = (await bridge.delivered(GROUP, 2))[1:]  # after the answer

    assert reads(answer) == "Preview: @bob's latest post, as this chat would receive it."
    # As a delivery would be: the same message, buttons and all, in this chat.
    assert (shown.text, shown.visible_text, shown.reply_markup) == (
        delivered.text,
        delivered.visible_text,
        delivered.reply_markup,
    )
    assert "the <latest> news & more" in reads(shown)
    # Nothing recorded: no delivery, and no message that /reply could map to the post.
    assert bridge.app.store.outbox.counts_by_state() == {"delivered": 2}
    assert (
        bridge.app.store.feed.post_for_message("telegram", str(GROUP), str(shown.message_id))
        is None
    )
    assert bridge.app.store.subscriptions.for_chat("telegram", str(GROUP)) == []


async def test_a_pause_outlasts_a_restart(start_bridge: BridgeFactory) -> None:
    first: Bridge = await start_bridge()
    first.sim.add_profile("bob", name="Bob")
    await first.command(GROUP, ADMIN, "/watch bob")
    await first.poll("bob")
    await first.command(GROUP, ADMIN, "/pause bob")
    await first.app.stop()

    second: Bridge = await start_bridge()
    second.sim.add_post("bob", text="made after the restart")
    queued = await second.poll("bob")
    listed = await second.command(GROUP, ADMIN, "/list")
    resumed = await second.command(GROUP, ADMIN, "/resume bob 1")
    # Before: /watch's and /pause's answers; since the restart: /list's and /resume's.
    await second.delivered(GROUP, 5)
    await second.app.delivery.idle()

    assert queued == 0
    assert reads(listed) == "This chat watches:\n• @bob (paused)"
    assert reads(resumed) == "Resumed @bob; here is the last post of the pause."
    *_, last = second.tg.sent_to(GROUP)
    assert len(second.tg.sent_to(GROUP)) == 5 and "made after the restart" in reads(last)
