"""Approvals through the real discord.py: a contributor's /threads post is answered "sent for
review", the review channel gets the preview with persistent Approve / Reject buttons, a
non-publisher's click is refused ephemerally and publishes nothing, and a publisher's click
publishes the post once and tells the contributor's channel, with the link."""

from __future__ import annotations

from tests.discord.conftest import BOB, GUILD, PUBLISHER, TEXT, Bridge, BridgeFactory
from tests.fakes.discord import SentMessage

REVIEWS = 1_300_000_000_000_000_104  # the review channel
ANSWERED = 4  # a click on a review button is answered at once, never deferred


async def review_message(bridge: Bridge) -> SentMessage:
    await bridge.discord.wait_for(lambda fake: bool(fake.messages_in(REVIEWS)), timeout=15)
    (message,) = bridge.discord.messages_in(REVIEWS)
    return message


async def test_a_contributors_post_is_published_on_a_publishers_approve(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(discord={"contributors": [BOB], "review_chat": REVIEWS})
    fake = bridge.discord
    fake.add_channel(GUILD, REVIEWS, "reviews")  # made after the bridge connected

    answer = await bridge.slash(BOB, "post", text="Open day on Saturday")
    preview = await review_message(bridge)

    assert answer.text == "Sent for review as #1; you will hear here when it is decided."
    assert not answer.ephemeral
    assert preview.content == (
        f"Review #1: a post from bob (discord chat {TEXT}), to be published on Threads as:\n"
        "\n"
        "Open day on Saturday\n"
        "\n"
        "Who may reply: everyone"
    )
    ((approve, reject),) = [row["components"] for row in preview.components]
    assert (approve["label"], approve["custom_id"]) == ("Approve", "threads:button:approve:1")
    assert (reject["label"], reject["custom_id"], reject["style"]) == (
        "Reject",
        "threads:button:reject:1",
        4,  # danger
    )
    assert bridge.sim.posts_by("alice") == []

    stranger = await fake.click_button(GUILD, REVIEWS, BOB, preview.id, approve["custom_id"])
    refusal = await bridge.answer_to(stranger)
    assert (refusal.callbacks, refusal.ephemeral) == ([ANSWERED], True)
    assert (
        refusal.text
        == "Only configured publishers can approve or reject posts waiting for review."
    )
    assert bridge.sim.posts_by("alice") == []

    click = await fake.click_button(GUILD, REVIEWS, PUBLISHER, preview.id, approve["custom_id"])
    outcome = await bridge.answer_to(click)
    assert outcome.callbacks == [ANSWERED] and not outcome.ephemeral
    assert outcome.text == "Approved by pat: #1 goes to Threads."

    def told(count: int) -> list[str]:
        return [m.content or "" for m in fake.messages_in(TEXT) if m.via == "channel"][:count]

    await fake.wait_for(lambda _: len(told(2)) == 2, timeout=15)
    (post,) = bridge.sim.posts_by("alice")
    assert post.text == "Open day on Saturday"
    assert told(2) == [
        "Your post #1 was approved by pat; the link follows here once it is published.",
        f"Published on Threads (queued #1): {post.permalink}",
    ]

    again = await fake.click_button(GUILD, REVIEWS, PUBLISHER, preview.id, reject["custom_id"])
    spent = await bridge.answer_to(again)
    assert spent.ephemeral
    assert spent.text == f"Already decided: #1 was approved and published: {post.permalink}"
    assert len(bridge.sim.posts_by("alice")) == 1
    audit = [(a["user_id"], a["action"], a["result"]) for a in bridge.app.store.audit.entries()]
    assert list(reversed(audit)) == [
        (str(BOB), "post", "proposed"),
        (str(BOB), "approve", "refused"),
        (str(PUBLISHER), "approve", "ok"),
        (str(BOB), "post", "ok"),
    ]


async def test_the_review_buttons_work_after_a_restart(start_bridge: BridgeFactory) -> None:
    config = {"discord": {"contributors": [BOB], "review_chat": REVIEWS}}
    first: Bridge = await start_bridge(**config)
    first.discord.add_channel(GUILD, REVIEWS, "reviews")
    await first.slash(BOB, "post", text="Waiting over the weekend")
    preview = await review_message(first)
    ((approve, _),) = [row["components"] for row in preview.components]
    await first.app.stop()

    second: Bridge = await start_bridge(**config)
    click = await second.discord.click_button(
        GUILD, REVIEWS, PUBLISHER, preview.id, approve["custom_id"]
    )
    outcome = await second.answer_to(click)
    await second.discord.wait_for(
        lambda fake: any(
            "Published on Threads" in (m.content or "") for m in fake.messages_in(TEXT)
        ),
        timeout=15,
    )

    assert outcome.text == "Approved by pat: #1 goes to Threads."
    assert [p.text for p in second.sim.posts_by("alice")] == ["Waiting over the weekend"]
