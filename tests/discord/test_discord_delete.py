"""/threads delete through the real discord.py: the answer with its Delete button, a stranger's
click refused ephemerally, the asker's click deleting the post on Threads, and a button that
still works after the bridge restarted (the pending action lives in the database)."""

from __future__ import annotations

from typing import Any

from tests.discord.conftest import BOB, GUILD, PUBLISHER, TEXT, Bridge, BridgeFactory

ANSWERED, DEFERRED = 4, 5


def confirm_button(answer: Any) -> dict[str, Any]:
    (message,) = answer.messages
    ((button,),) = [row["components"] for row in message.components]
    return button


async def test_delete_asks_with_a_button_and_the_asker_s_click_deletes(bridge: Bridge) -> None:
    post = bridge.sim.add_post("alice", text="Posted from the wrong account")

    question = await bridge.slash(PUBLISHER, "delete", link=post.permalink)
    button = confirm_button(question)
    (message,) = question.messages

    assert question.callbacks == [DEFERRED] and not question.ephemeral
    assert question.text == (
        f"Delete this post from Threads? “Posted from the wrong account”\n{post.permalink}\n"
        "This cannot be undone. Only you can confirm, within 10 minutes."
    )
    assert button["label"] == "Delete" and button["custom_id"].startswith("threads:confirm:")
    assert bridge.sim.get_post(post.id) is not None  # nothing deleted without the click

    stranger = await bridge.discord.click_button(GUILD, TEXT, BOB, message.id, button["custom_id"])
    refusal = await bridge.answer_to(stranger)
    assert bridge.sim.get_post(post.id) is not None
    click = await bridge.discord.click_button(
        GUILD, TEXT, PUBLISHER, message.id, button["custom_id"]
    )
    outcome = await bridge.answer_to(click)
    again = await bridge.discord.click_button(
        GUILD, TEXT, PUBLISHER, message.id, button["custom_id"]
    )
    spent = await bridge.answer_to(again)

    assert refusal.callbacks == [ANSWERED] and refusal.ephemeral
    assert refusal.text == "Only the person who asked can confirm."
    assert outcome.callbacks == [DEFERRED]
    assert outcome.text == "Deleted from Threads: “Posted from the wrong account”"
    assert bridge.sim.get_post(post.id) is None
    assert spent.ephemeral and spent.text == "This confirmation has expired; run /delete again."
    audit = [(a["user_id"], a["action"], a["result"]) for a in bridge.app.store.audit.entries()]
    assert audit == [
        (str(PUBLISHER), "delete", "refused"),
        (str(PUBLISHER), "delete", "ok"),
        (str(BOB), "delete", "refused"),
    ]


async def test_the_button_works_after_a_restart(start_bridge: BridgeFactory) -> None:
    first: Bridge = await start_bridge()
    post = first.sim.add_post("alice", text="still to go")
    question = await first.slash(PUBLISHER, "delete", link=post.permalink)
    button = confirm_button(question)
    await first.app.stop()

    second: Bridge = await start_bridge()
    (message,) = question.messages
    click = await second.discord.click_button(
        GUILD, TEXT, PUBLISHER, message.id, button["custom_id"]
    )
    outcome = await second.answer_to(click)

    assert outcome.text == "Deleted from Threads: “still to go”"
    assert second.sim.get_post(post.id) is None
