"""The inbox through the real python-telegram-bot: a reply to the connected account's post
arrives in the group that watches replies, saying what it answers, with Reply and Hide under
it; a non-publisher's Hide is an alert that changes nothing; a publisher's Hide hides it on
Threads and the message says so and by whom, with Unhide in place of Hide."""

from __future__ import annotations

from datetime import timedelta

from tests.telegram.conftest import ADMIN, GROUP, MEMBER, PUBLISHER, BridgeFactory, reads

PUBLISHERS_ONLY = "Only configured publishers can hide, unhide or answer replies."


def buttons(markup: dict[str, object] | None) -> list[list[tuple[str, str]]]:
    rows = markup["inline_keyboard"] if markup else []
    assert isinstance(rows, list)
    return [[(b["text"], b.get("callback_data") or "link") for b in row] for row in rows]


async def test_a_reply_arrives_with_its_buttons_and_a_publisher_hides_it(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await start_bridge(feeds=[{"profile": "replies", "telegram_chat": GROUP}])
    tg, sim = bridge.tg, bridge.sim
    sim.add_profile("bob")
    question = sim.add_post(
        "alice", text="What should we bake next?", timestamp=sim.now() - timedelta(minutes=5)
    )
    await bridge.poll("replies")  # the baseline: nothing to answer yet
    answer = sim.add_post("bob", text="Rye bread, please", reply_to=question.id)

    await bridge.poll("replies")
    (message,) = await bridge.delivered(GROUP, 1)

    assert reads(message).splitlines()[:4] == [
        "@bob",
        "↩️ Replying to @alice: “What should we bake next?”",
        "",
        "Rye bread, please",
    ]
    assert question.permalink in (message.text or "")
    assert buttons(message.reply_markup) == [
        [("Reply on Threads", "link"), ("Quote on Threads", "link")],
        [("Reply", f"replyto:{answer.id}"), ("Hide", f"hide:{answer.id}")],
    ]

    stranger = tg.send_callback_query(GROUP, MEMBER, message.message_id, f"hide:{answer.id}")
    await tg.wait_for(lambda fake: fake.callback_answered(stranger["id"]), timeout=15)
    (refused,) = [c.params for c in tg.calls_to("answerCallbackQuery")]
    assert (refused["text"], refused["show_alert"]) == (PUBLISHERS_ONLY, "true")
    assert sim.get_post(answer.id).hide_status == "NOT_HUSHED"  # type: ignore[union-attr]
    assert not tg.calls_to("editMessageText")

    hint = tg.send_callback_query(GROUP, PUBLISHER, message.message_id, f"replyto:{answer.id}")
    await tg.wait_for(lambda fake: fake.callback_answered(hint["id"]), timeout=15)
    assert tg.calls_to("answerCallbackQuery")[-1].params["text"] == (
        "Answer this message with /reply and your text: it is published on Threads as a "
        "reply to this post."
    )

    click = tg.send_callback_query(GROUP, PUBLISHER, message.message_id, f"hide:{answer.id}")
    await tg.wait_for(lambda fake: bool(fake.calls_to("editMessageText")), timeout=15)

    assert sim.get_post(answer.id).hide_status == "HIDDEN"  # type: ignore[union-attr]
    answered = tg.calls_to("answerCallbackQuery")[-1].params
    assert answered["callback_query_id"] == click["id"]
    assert answered["text"] == "Hidden on Threads by Pat."
    edited = tg.message(GROUP, message.message_id)
    assert edited is not None
    assert edited["text"].replace("\u2060", "") == (
        f"{reads(message)}\n\n🙈 Hidden on Threads by Pat"
    )
    # Still the same message: its links (the parent, the post) are kept.
    links = {e.get("url") for e in edited["entities"]}
    assert {question.permalink, answer.permalink} <= links
    assert buttons(edited.get("reply_markup")) == [
        [("Reply on Threads", "link"), ("Quote on Threads", "link")],
        [("Unhide", f"unhide:{answer.id}")],
    ]

    tg.send_callback_query(GROUP, PUBLISHER, message.message_id, f"unhide:{answer.id}")
    await tg.wait_for(lambda fake: len(fake.calls_to("editMessageText")) == 2, timeout=15)

    assert sim.get_post(answer.id).hide_status == "UNHUSHED"  # type: ignore[union-attr]
    shown = tg.message(GROUP, message.message_id)
    assert shown is not None
    assert shown["text"].replace("\u2060", "") == reads(message)
    assert buttons(shown.get("reply_markup"))[-1] == [("Hide", f"hide:{answer.id}")]
    audit = [(a["user_id"], a["action"], a["result"]) for a in bridge.app.store.audit.entries()]
    assert list(reversed(audit)) == [
        (str(MEMBER), "hide", "refused"),
        (str(PUBLISHER), "hide", "ok"),
        (str(PUBLISHER), "unhide", "ok"),
    ]


async def test_watch_replies_from_the_group(start_bridge: BridgeFactory) -> None:
    bridge = await start_bridge()
    answer = await bridge.command(GROUP, ADMIN, "/watch replies")
    assert reads(answer).startswith("Now watching replies to @alice's posts.")


async def test_a_photo_reply_is_hidden_in_its_caption(start_bridge: BridgeFactory) -> None:
    bridge = await start_bridge(feeds=[{"profile": "replies", "telegram_chat": GROUP}])
    tg, sim = bridge.tg, bridge.sim
    sim.add_profile("bob")
    question = sim.add_post("alice", text="Show me your loaf")
    await bridge.poll("replies")
    answer = sim.add_post(
        "bob",
        text="Here it is",
        media_type="IMAGE",
        media_urls=("https://c.ex/loaf.jpg",),
        reply_to=question.id,
    )
    await bridge.poll("replies")
    (photo,) = await bridge.delivered(GROUP, 1)
    assert photo.method == "sendPhoto"
    assert buttons(photo.reply_markup)[-1] == [
        ("Reply", f"replyto:{answer.id}"),
        ("Hide", f"hide:{answer.id}"),
    ]

    tg.send_callback_query(GROUP, PUBLISHER, photo.message_id, f"hide:{answer.id}")
    await tg.wait_for(lambda fake: bool(fake.calls_to("editMessageCaption")), timeout=15)

    assert sim.get_post(answer.id).hide_status == "HIDDEN"  # type: ignore[union-attr]
    edited = tg.message(GROUP, photo.message_id)
    assert edited is not None and "photo" in edited
    assert edited["caption"].replace("\u2060", "") == (
        f"{reads(photo)}\n\n🙈 Hidden on Threads by Pat"
    )
    assert buttons(edited.get("reply_markup"))[-1] == [("Unhide", f"unhide:{answer.id}")]


async def test_a_reply_waiting_for_approval_is_approved_from_the_chat(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await start_bridge(feeds=[{"profile": "replies", "telegram_chat": GROUP}])
    tg, sim = bridge.tg, bridge.sim
    sim.add_profile("bob")
    question = sim.add_post("alice", text="Approvals on here", reply_approvals=True)
    await bridge.poll("replies")
    waiting = sim.add_post("bob", text="May I?", reply_to=question.id)

    await bridge.poll("replies")
    (message,) = await bridge.delivered(GROUP, 1)

    assert "May I?" in reads(message)
    assert reads(message).endswith("Open on Threads\n\n⏳ Waiting for approval on Threads")
    assert buttons(message.reply_markup)[-1] == [
        ("Approve", f"approvereply:{waiting.id}"),
        ("Ignore", f"ignorereply:{waiting.id}"),
    ]
    stranger = tg.send_callback_query(
        GROUP, MEMBER, message.message_id, f"approvereply:{waiting.id}"
    )
    await tg.wait_for(lambda fake: fake.callback_answered(stranger["id"]), timeout=15)
    assert tg.calls_to("answerCallbackQuery")[-1].params["text"] == (
        "Only configured publishers can approve or ignore replies."
    )
    assert sim.state.conversation(question.id) == []

    tg.send_callback_query(GROUP, PUBLISHER, message.message_id, f"approvereply:{waiting.id}")
    await tg.wait_for(lambda fake: bool(fake.calls_to("editMessageText")), timeout=15)

    assert [p.id for p in sim.state.conversation(question.id)] == [waiting.id]
    edited = tg.message(GROUP, message.message_id)
    assert edited is not None
    assert edited["text"].endswith("Open on Threads\n\n✅ Approved on Threads by Pat")
    assert buttons(edited.get("reply_markup"))[-1] == [("Hide", f"hide:{waiting.id}")]
    await bridge.poll("replies")  # now shown on Threads: not delivered a second time
    assert [s.method for s in tg.sent_to(GROUP)] == ["sendMessage", "editMessageText"]
