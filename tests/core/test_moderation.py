"""Hide / Unhide (the buttons under a delivered reply) through the real Bridge: publishers
only, manage_reply on the simulator, the answer carrying what the message turns into."""

from __future__ import annotations

from bot.events import Button, MessageUpdate
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import (
    CHANNEL,
    DISCORD_MEMBER,
    GROUP,
    MEMBER,
    PUBLISHER,
    RecordingAdapter,
)

PUBLISHERS_ONLY = "Only configured publishers can hide, unhide or answer replies."


def thread(sim: ThreadsSimulator) -> tuple[str, str]:
    """A post of the connected account with a reply by bob, and a reply to that reply."""
    sim.add_profile("bob")
    sim.add_profile("carol")
    root = sim.add_post("alice", text="What should we bake?")
    reply = sim.add_post("bob", text="Rye", reply_to=root.id)
    nested = sim.add_post("carol", text="Seconded", reply_to=reply.id)
    return reply.id, nested.id


async def test_a_publisher_hides_and_unhides_a_reply(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    reply_id, nested_id = thread(sim)

    hidden = await telegram_chat.send(GROUP, PUBLISHER, f"/hide {reply_id}")

    assert (hidden.text, hidden.ok, hidden.private) == ("Hidden on Threads by Pat.", True, False)
    assert hidden.update == MessageUpdate(
        "🙈 Hidden on Threads by Pat", (Button("Unhide", "unhide", reply_id),)
    )
    # Meta hides the replies below it too.
    assert [sim.get_post(i).hide_status for i in (reply_id, nested_id)] == ["HIDDEN"] * 2  # type: ignore[union-attr]

    shown = await telegram_chat.send(GROUP, PUBLISHER, f"/unhide {reply_id}")

    assert shown.text == "Shown again on Threads by Pat."
    assert shown.update == MessageUpdate(None, (Button("Hide", "hide", reply_id, danger=True),))
    assert sim.get_post(reply_id).hide_status == "UNHUSHED"  # type: ignore[union-attr]
    audit = [(a["action"], a["result"]) for a in store.audit.entries()]
    assert list(reversed(audit)) == [("hide", "ok"), ("unhide", "ok")]


async def test_anyone_else_is_refused_and_nothing_changes(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    discord_chat: RecordingAdapter,
    store: Store,
) -> None:
    reply_id, _ = thread(sim)
    sim.clear_requests()

    refused = await telegram_chat.send(GROUP, MEMBER, f"/hide {reply_id}")

    assert (refused.text, refused.ok, refused.private) == (PUBLISHERS_ONLY, False, True)
    assert refused.update is None
    assert sim.get_post(reply_id).hide_status == "NOT_HUSHED"  # type: ignore[union-attr]
    assert not [r for r in sim.requests if r.path.endswith("/manage_reply")]
    on_discord = await discord_chat.send(CHANNEL, DISCORD_MEMBER, f"/unhide {reply_id}")
    assert (on_discord.text, on_discord.private) == (PUBLISHERS_ONLY, True)
    audit = [(a["action"], a["result"]) for a in store.audit.entries()]
    assert sorted(audit) == [("hide", "refused"), ("unhide", "refused")]


async def test_what_threads_refuses_is_told_to_the_clicker_alone(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    _, nested_id = thread(sim)

    answer = await telegram_chat.send(GROUP, PUBLISHER, f"/hide {nested_id}")

    assert (answer.ok, answer.private, answer.update) == (False, True, None)
    assert answer.text == (
        "Threads refused the request: Only replies to the user's own posts can be hidden or "
        "unhidden"
    )
    assert [(a["action"], a["result"]) for a in store.audit.entries()] == [("hide", "error")]
