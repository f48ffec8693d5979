"""Approvals through the real python-telegram-bot: a contributor's /post in a group is answered
"sent for review", the review group gets the preview with Approve / Reject inline buttons, a
non-publisher's Approve is an alert that changes nothing, and a publisher's Approve publishes it
once: the preview keeps its text with the outcome added, and the contributor's group is told,
then given the link."""

from __future__ import annotations

from tests.telegram.conftest import ADMIN, GROUP, MEMBER, PUBLISHER, BridgeFactory, reads

REVIEWS = -1009000000001  # the review group: Pat (a publisher) and Ada (not one) are in it


async def test_a_contributors_post_is_published_on_a_publishers_approve(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await start_bridge(telegram={"contributors": [MEMBER], "review_chat": REVIEWS})
    tg, sim = bridge.tg, bridge.sim
    tg.add_chat(REVIEWS, "supergroup", title="Editors")
    tg.set_member(REVIEWS, PUBLISHER, "member")
    tg.set_member(REVIEWS, ADMIN, "administrator")

    answer = await bridge.command(GROUP, MEMBER, "/post Open day on Saturday #Bakery")
    (preview,) = await bridge.delivered(REVIEWS, 1)

    assert reads(answer) == "Sent for review as #1; you will hear here when it is decided."
    shown = (
        f"Review #1: a post from Mel (telegram chat {GROUP}), to be published on Threads as:\n"
        "\n"
        "Open day on Saturday #Bakery\n"
        "\n"
        "Topic: #Bakery\n"
        "Who may reply: everyone"
    )
    assert reads(preview) == shown
    ((approve, reject),) = preview.reply_markup["inline_keyboard"]
    assert (approve["text"], approve["callback_data"]) == ("Approve", "approve:1")
    assert (reject["text"], reject["callback_data"]) == ("Reject", "reject:1")
    assert sim.posts_by("alice") == []

    stranger = tg.send_callback_query(REVIEWS, ADMIN, preview.message_id, "approve:1")
    await tg.wait_for(lambda fake: fake.callback_answered(stranger["id"]), timeout=15)
    assert sim.posts_by("alice") == []
    click = tg.send_callback_query(REVIEWS, PUBLISHER, preview.message_id, "approve:1")
    told = await bridge.delivered(GROUP, 3)  # the answer, "approved", the link
    await tg.wait_for(lambda fake: bool(fake.calls_to("editMessageText")), timeout=15)

    refused, answered = [c.params for c in tg.calls_to("answerCallbackQuery")]
    assert refused["callback_query_id"] == stranger["id"]
    assert (refused["text"], refused["show_alert"]) == (
        "Only configured publishers can approve or reject posts waiting for review.",
        "true",
    )
    assert answered["callback_query_id"] == click["id"]
    assert answered["text"] == "Approved by Pat: #1 goes to Threads."
    (post,) = sim.posts_by("alice")
    assert post.text == "Open day on Saturday #Bakery"
    assert [reads(m) for m in told[-2:]] == [
        "Your post #1 was approved by Pat; the link follows here once it is published.",
        f"Published on Threads (queued #1): {post.permalink}",
    ]
    edited = tg.message(REVIEWS, preview.message_id)
    assert edited is not None
    assert edited["text"] == f"{shown}\n\nApproved by Pat: #1 goes to Threads."
    assert "reply_markup" not in edited  # decided: the buttons are gone
    audit = [(a["user_id"], a["action"], a["result"]) for a in bridge.app.store.audit.entries()]
    assert list(reversed(audit)) == [
        (str(MEMBER), "post", "proposed"),
        (str(ADMIN), "approve", "refused"),
        (str(PUBLISHER), "approve", "ok"),
        (str(MEMBER), "post", "ok"),
    ]


async def test_a_rejected_post_tells_its_proposer_and_a_late_click_is_already_decided(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await start_bridge(telegram={"contributors": [MEMBER], "review_chat": REVIEWS})
    tg = bridge.tg
    tg.add_chat(REVIEWS, "supergroup", title="Editors")
    tg.set_member(REVIEWS, PUBLISHER, "member")

    await bridge.command(GROUP, MEMBER, "/post Half-baked idea")
    (preview,) = await bridge.delivered(REVIEWS, 1)
    # Two clicks before the bridge saw either (the buttons are still there for both).
    tg.send_callback_query(REVIEWS, PUBLISHER, preview.message_id, "reject:1")
    late = tg.send_callback_query(REVIEWS, PUBLISHER, preview.message_id, "approve:1")
    told = await bridge.delivered(GROUP, 2)
    await tg.wait_for(lambda fake: fake.callback_answered(late["id"]), timeout=15)

    assert reads(told[-1]) == "Your post #1 was not approved by Pat."
    rejected, again = [c.params for c in tg.calls_to("answerCallbackQuery")]
    assert rejected["text"] == "Rejected by Pat: #1 will not be published."
    assert (again["text"], again["show_alert"]) == ("Already decided: #1 was rejected.", "true")
    assert bridge.sim.posts_by("alice") == []
    edited = tg.message(REVIEWS, preview.message_id)
    assert edited is not None and "reply_markup" not in edited
    assert edited["text"].endswith("\n\nRejected by Pat: #1 will not be published.")
