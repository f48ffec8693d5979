"""/delete through the real python-telegram-bot: the question with its inline Delete button,
a click by someone else (an alert, nothing deleted), and the asker's click, which deletes the
post on Threads, answers the callback query and turns the question into the outcome."""

from __future__ import annotations

from tests.telegram.conftest import GROUP, MEMBER, PUBLISHER, Bridge, reads


async def test_delete_by_link_asks_and_the_button_deletes(bridge: Bridge) -> None:
    post = bridge.sim.add_post("alice", text="Posted by mistake")

    question = await bridge.command(GROUP, PUBLISHER, f"/delete {post.permalink}")

    assert reads(question) == (
        f"Delete this post from Threads? “Posted by mistake”\n{post.permalink}\n"
        "This cannot be undone. Only you can confirm, within 10 minutes."
    )
    ((button,),) = question.reply_markup["inline_keyboard"]
    assert button["text"] == "Delete"
    assert bridge.sim.get_post(post.id) is not None  # nothing deleted without the click

    tg = bridge.tg
    stranger = tg.send_callback_query(GROUP, MEMBER, question.message_id, button["callback_data"])
    await tg.wait_for(lambda fake: fake.callback_answered(stranger["id"]), timeout=15)
    assert bridge.sim.get_post(post.id) is not None
    click = tg.send_callback_query(GROUP, PUBLISHER, question.message_id, button["callback_data"])
    await tg.wait_for(lambda fake: bool(fake.calls_to("editMessageText")), timeout=15)

    refused, answered = [c.params for c in tg.calls_to("answerCallbackQuery")]
    assert refused["callback_query_id"] == stranger["id"]
    assert (refused["text"], refused["show_alert"]) == (
        "Only the person who asked can confirm.",
        "true",
    )
    assert answered["callback_query_id"] == click["id"]
    assert answered["text"] == "Deleted from Threads: “Posted by mistake”"
    assert bridge.sim.get_post(post.id) is None
    shown = tg.message(GROUP, question.message_id)
    assert shown is not None and shown["text"] == "Deleted from Threads: “Posted by mistake”"
    assert "reply_markup" not in shown  # the spent button is gone
    audit = [(a["user_id"], a["action"], a["result"]) for a in bridge.app.store.audit.entries()]
    assert audit[:2] == [(str(PUBLISHER), "delete", "ok"), (str(MEMBER), "delete", "refused")]
