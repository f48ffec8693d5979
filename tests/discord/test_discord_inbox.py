"""The inbox through the real discord.py: a reply to the connected account's post arrives in
the channel that watches replies, saying what it answers, with Reply and Hide under it; a
non-publisher's Hide is refused ephemerally and changes nothing; a publisher's Hide hides it
on Threads and the message itself says so and by whom, with Unhide in place of Hide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.discord.conftest import BOB, GUILD, PUBLISHER, TEXT, Bridge, BridgeFactory

PUBLISHERS_ONLY = "Only configured publishers can hide, unhide or answer replies."
DEFERRED_UPDATE = 6  # the click is acknowledged, then its message edited (@original)


def buttons(components: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    return [
        [(b["label"], b.get("custom_id") or "link") for b in row["components"]]
        for row in components
    ]


async def test_a_reply_arrives_with_its_buttons_and_a_publisher_hides_it(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "replies", "discord_channel": TEXT}])
    fake, sim = bridge.discord, bridge.sim
    sim.add_profile("bob")
    question = sim.add_post(
        "alice", text="What should we bake next?", timestamp=sim.now() - timedelta(minutes=5)
    )
    await bridge.poll("replies")  # the baseline
    answer = sim.add_post("bob", text="Rye bread, please", reply_to=question.id)

    await bridge.poll("replies")
    (message,) = await bridge.delivered(TEXT, 1)

    (embed,) = message.embeds
    assert embed["author"]["name"] == "@bob"
    assert embed["description"] == (
        f"↩️ [Replying to @alice]({question.permalink}): “What should we bake next?”\n\n"
        "Rye bread, please"
    )
    assert buttons(message.components) == [
        [
            ("Open on Threads", "link"),
            ("Reply on Threads", "link"),
            ("Quote on Threads", "link"),
            ("Reply", f"threads:reply:{answer.id}"),
        ],
        [("Hide", f"threads:button:hide:{answer.id}")],
    ]

    hide = f"threads:button:hide:{answer.id}"
    stranger = await fake.click_button(GUILD, TEXT, BOB, message.id, hide)
    refusal = await bridge.answer_to(stranger)
    assert (refusal.ephemeral, refusal.text) == (True, PUBLISHERS_ONLY)
    assert sim.get_post(answer.id).hide_status == "NOT_HUSHED"  # type: ignore[union-attr]
    assert fake.edits == []

    click = await fake.click_button(GUILD, TEXT, PUBLISHER, message.id, hide)
    await fake.wait_for(lambda f: bool(f.edits), timeout=15)

    answers = [(r.kind, r.type) for r in fake.responses_to(click.id)]
    assert answers == [("callback", DEFERRED_UPDATE), ("edit", None)]
    assert sim.get_post(answer.id).hide_status == "HIDDEN"  # type: ignore[union-attr]
    shown = fake.message(message.id)
    assert shown["content"] == "🙈 Hidden on Threads by pat"
    assert shown["embeds"][0]["description"] == embed["description"]  # the post stays
    assert buttons(shown["components"])[-1] == [("Unhide", f"threads:button:unhide:{answer.id}")]
    assert buttons(shown["components"])[0] == buttons(message.components)[0]

    unhide = f"threads:button:unhide:{answer.id}"
    await fake.click_button(GUILD, TEXT, PUBLISHER, message.id, unhide)
    await fake.wait_for(lambda f: len(f.edits) == 2, timeout=15)

    assert sim.get_post(answer.id).hide_status == "UNHUSHED"  # type: ignore[union-attr]
    shown = fake.message(message.id)
    assert not shown["content"]
    assert buttons(shown["components"])[-1] == [("Hide", hide)]
    audit = [(a["user_id"], a["action"], a["result"]) for a in bridge.app.store.audit.entries()]
    assert list(reversed(audit)) == [
        (str(BOB), "hide", "refused"),
        (str(PUBLISHER), "hide", "ok"),
        (str(PUBLISHER), "unhide", "ok"),
    ]


async def test_a_post_of_a_profile_has_no_hide(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "mentions", "discord_channel": TEXT}])
    bridge.sim.add_profile("bob")
    await bridge.poll("mentions")
    bridge.sim.add_post("bob", text="Thanks @alice for the bread")

    await bridge.poll("mentions")
    (message,) = await bridge.delivered(TEXT, 1)

    assert "Thanks @alice for the bread" in message.embeds[0]["description"]
    assert all("hide" not in label for row in buttons(message.components) for _, label in row)


async def test_a_reply_waiting_for_approval_is_ignored_then_approved(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "replies", "discord_channel": TEXT}])
    fake, sim = bridge.discord, bridge.sim
    sim.add_profile("bob")
    question = sim.add_post("alice", text="Approvals on here", reply_approvals=True)
    await bridge.poll("replies")
    waiting = sim.add_post("bob", text="May I?", reply_to=question.id)
    await bridge.poll("replies")
    (message,) = await bridge.delivered(TEXT, 1)

    approve = f"threads:button:approvereply:{waiting.id}"
    ignore = f"threads:button:ignorereply:{waiting.id}"
    assert buttons(message.components)[-1] == [("Approve", approve), ("Ignore", ignore)]
    assert message.content == "⏳ Waiting for approval on Threads"

    await fake.click_button(GUILD, TEXT, PUBLISHER, message.id, ignore)
    await fake.wait_for(lambda f: len(f.edits) == 1, timeout=15)
    assert fake.message(message.id)["content"] == "🚫 Ignored on Threads by pat"
    assert buttons(fake.message(message.id)["components"])[-1] == [("Approve", approve)]
    assert sim.get_post(waiting.id).approval_status == "ignored"  # type: ignore[union-attr]

    await fake.click_button(GUILD, TEXT, PUBLISHER, message.id, approve)
    await fake.wait_for(lambda f: len(f.edits) == 2, timeout=15)
    assert fake.message(message.id)["content"] == "✅ Approved on Threads by pat"
    assert buttons(fake.message(message.id)["components"])[-1] == [
        ("Hide", f"threads:button:hide:{waiting.id}")
    ]
    assert [p.id for p in sim.state.conversation(question.id)] == [waiting.id]


async def test_a_hide_threads_fails_is_told_to_the_clicker_alone(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "replies", "discord_channel": TEXT}])
    fake, sim = bridge.discord, bridge.sim
    sim.add_profile("bob")
    question = sim.add_post("alice", text="Anyone?")
    await bridge.poll("replies")
    answer = sim.add_post("bob", text="Me", reply_to=question.id)
    await bridge.poll("replies")
    (message,) = await bridge.delivered(TEXT, 1)
    sim.fail_next("POST", f"/{answer.id}/manage_reply", "server_error")

    click = await fake.click_button(
        GUILD, TEXT, PUBLISHER, message.id, f"threads:button:hide:{answer.id}"
    )
    told = await bridge.answer_to(click)

    assert told.ephemeral
    assert told.text == "Threads is having trouble right now. Try again in a minute."
    assert fake.edits == []
    assert sim.get_post(answer.id).hide_status == "NOT_HUSHED"  # type: ignore[union-attr]


async def test_hide_still_works_after_a_restart(start_bridge: BridgeFactory) -> None:
    feeds = [{"profile": "replies", "discord_channel": TEXT}]
    first: Bridge = await start_bridge(feeds=feeds)
    sim = first.sim
    sim.add_profile("bob")
    question = sim.add_post("alice", text="Still there?")
    await first.poll("replies")
    answer = sim.add_post("bob", text="Yes", reply_to=question.id)
    await first.poll("replies")
    (message,) = await first.delivered(TEXT, 1)
    await first.app.stop()

    second: Bridge = await start_bridge(feeds=feeds)
    hide = f"threads:button:hide:{answer.id}"
    await second.discord.click_button(GUILD, TEXT, PUBLISHER, message.id, hide)
    await second.discord.wait_for(lambda f: bool(f.edits), timeout=15)

    assert sim.get_post(answer.id).hide_status == "HIDDEN"  # type: ignore[union-attr]
    assert second.discord.message(message.id)["content"] == "🙈 Hidden on Threads by pat"
