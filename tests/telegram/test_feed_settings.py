"""Filters and templates on Telegram, end to end: what people in the group see after a chat
admin sets them with /settings."""

from __future__ import annotations

from tests.telegram.conftest import ADMIN, GROUP, MEMBER, Bridge, reads


async def test_a_filter_keeps_a_post_out_and_a_template_words_the_rest(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", name="Bob Builder", followers=5000)
    await bridge.command(GROUP, ADMIN, "/watch bob")
    excluded = await bridge.command(GROUP, ADMIN, "/settings bob exclude: spam")
    worded = await bridge.command(GROUP, ADMIN, "/settings bob template: {text}\n— {time} {topic}")
    refused = await bridge.command(GROUP, MEMBER, "/settings bob exclude: nothing")
    assert "• exclude: spam" in reads(excluded)
    assert "• template: {text}\n— {time} {topic}" in reads(worded)
    assert reads(refused) == "Only chat admins can change what this chat watches."
    await bridge.poll("bob")  # the baseline
    spam = bridge.sim.add_post("bob", text="Cheap SPAM, buy now")
    post = bridge.sim.add_post("bob", text="Launch day <3", topic_tag="News")

    await bridge.poll("bob")
    messages = await bridge.delivered(GROUP, 5)

    (delivery,) = messages[4:]
    when = post.timestamp.strftime("%Y-%m-%d %H:%M UTC")
    assert reads(delivery).split("\n\n") == [
        "Bob Builder (@bob)\n🏷️ News",  # the post's topic tag line
        f"Launch day <3\n— {when} #News",
        "Open on Threads",
    ]
    assert all("SPAM" not in reads(m) for m in messages)

    why = await bridge.command(GROUP, ADMIN, "/settings bob")
    assert f"{spam.permalink}: contains the excluded word “spam”" in reads(why)


def keyboard(markup: dict[str, object] | None) -> list[tuple[str, str]]:
    rows = markup["inline_keyboard"] if markup else []
    assert isinstance(rows, list)
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


async def test_the_settings_switches_are_an_inline_keyboard_for_admins(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob")
    await bridge.command(GROUP, ADMIN, "/watch bob")
    sub_id = bridge.app.store.subscriptions.for_chat("telegram", str(GROUP))[0].id
    shown = await bridge.command(GROUP, ADMIN, "/settings bob")
    assert keyboard(shown.reply_markup) == [
        ("Replies: on", f"settoggle:{sub_id}-replies"),
        ("Reposts: on", f"settoggle:{sub_id}-reposts"),
        ("Quotes: on", f"settoggle:{sub_id}-quotes"),
        ("Media only: off", f"settoggle:{sub_id}-media_only"),
    ]
    tg = bridge.tg
    stranger = tg.send_callback_query(
        GROUP, MEMBER, shown.message_id, f"settoggle:{sub_id}-replies"
    )
    await tg.wait_for(lambda fake: fake.callback_answered(stranger["id"]), timeout=15)
    assert tg.calls_to("answerCallbackQuery")[-1].params["text"] == (
        "Only chat admins can change what this chat watches."
    )

    tg.send_callback_query(GROUP, ADMIN, shown.message_id, f"settoggle:{sub_id}-replies")
    await tg.wait_for(lambda fake: bool(fake.calls_to("editMessageText")), timeout=15)

    edited = tg.message(GROUP, shown.message_id)
    assert edited is not None
    assert edited["text"].replace("\u2060", "").endswith("\n\nReplies now off for @bob here.")
    assert "reply_markup" not in edited or not edited["reply_markup"]  # the switches went
    (sub,) = bridge.app.store.subscriptions.for_chat("telegram", str(GROUP))
    assert not sub.settings.replies
