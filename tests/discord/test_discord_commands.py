"""The /threads commands, the Reply button and its modal, through the real discord.py."""

from __future__ import annotations

from adapters.discord.adapter import DISCORD_REFUSALS
from tests.discord.conftest import (
    ALICE,
    BOB,
    EDITOR,
    GUILD,
    PUBLISHER,
    TEXT,
    Bridge,
    BridgeFactory,
)

DEFERRED, ANSWERED = 5, 4


async def test_watch_needs_manage_server_and_refusals_are_ephemeral(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob_builds", name="Bob", followers=5000)

    refused = await bridge.slash(BOB, "watch", username="bob_builds")
    accepted = await bridge.slash(ALICE, "watch", username="bob_builds")

    assert refused.callbacks == [ANSWERED] and refused.ephemeral
    assert refused.text == (
        "Only members with the Manage Server permission can change what is watched here."
    )
    assert accepted.callbacks == [DEFERRED] and not accepted.ephemeral
    # Markdown is escaped, so the underscore shows instead of starting italics.
    assert accepted.text == (
        "Now watching Bob (@bob\\_builds), 5,000 followers. New posts will appear here.\n"
        "@bob\\_builds will be checked about every 1 h: the only profile drawing on Meta's "
        "1,000 daily lookups."
    )
    (subscription,) = bridge.app.store.subscriptions.for_chat("discord", str(TEXT))
    assert subscription.source.key == "bob_builds"


async def test_autocomplete_suggests_usernames_watched_in_the_server(bridge: Bridge) -> None:
    for name in ("bob", "bobby", "carol"):
        bridge.sim.add_profile(name, followers=5000)
        await bridge.slash(ALICE, "watch", username=name)

    sent = await bridge.discord.autocomplete(
        GUILD, TEXT, ALICE, "threads", "unwatch", "username", "bo"
    )
    await bridge.discord.wait_for(
        lambda fake: fake.autocomplete_choices(sent.id) is not None, timeout=10
    )

    assert bridge.discord.autocomplete_choices(sent.id) == [
        {"name": "@bob", "value": "bob"},
        {"name": "@bobby", "value": "bobby"},
    ]


async def test_unwatch_and_list(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.slash(ALICE, "watch", username="bob")

    listed = await bridge.slash(BOB, "list")
    refused = await bridge.slash(BOB, "unwatch", username="bob")
    removed = await bridge.slash(ALICE, "unwatch", username="bob")

    assert listed.text == "This chat watches:\n• @bob"
    assert refused.ephemeral
    assert removed.text == "Stopped watching @bob here."
    assert bridge.app.store.subscriptions.for_chat("discord", str(TEXT)) == []


async def test_post_by_a_publisher_answers_with_the_link(bridge: Bridge) -> None:
    answer = await bridge.slash(PUBLISHER, "post", text="Hello from Discord @everyone")

    (post,) = bridge.sim.posts_by("alice")
    assert post.text == "Hello from Discord @everyone"
    assert answer.callbacks == [DEFERRED]
    assert answer.text == f"Published on Threads: {post.permalink}"
    assert all(not m.pings.anyone for m in answer.messages)


async def test_a_publisher_role_is_enough_and_a_stranger_is_refused(bridge: Bridge) -> None:
    by_role = await bridge.slash(EDITOR, "post", text="from an editor")
    stranger = await bridge.slash(BOB, "post", text="let me in")

    assert [p.text for p in bridge.sim.posts_by("alice")] == ["from an editor"]
    assert by_role.text.startswith("Published on Threads: ")
    assert stranger.ephemeral and stranger.callbacks == [ANSWERED]
    assert stranger.text.startswith("Only configured publishers can publish to Threads.")
    assert "discord.publisher\\_roles" in stranger.text
    audit = bridge.app.store.audit.entries()
    assert [(a["user_id"], a["result"]) for a in reversed(audit)] == [
        (str(EDITOR), "ok"),
        (str(BOB), "refused"),
    ]


async def test_reply_by_link(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", followers=5000)
    original = bridge.sim.add_post("bob", text="thoughts?")

    answer = await bridge.slash(PUBLISHER, "reply", link=original.permalink, text="agreed")

    (reply,) = bridge.sim.posts_by("alice")
    assert (await bridge.app.threads.media(reply.id)).replied_to_id == original.id
    assert answer.text == f"Replied on Threads: {reply.permalink}"


async def test_reply_button_opens_a_modal_and_publishes_the_reply(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_channel": TEXT}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    original = bridge.sim.add_post("bob", text="reply to me")
    await bridge.poll("bob")
    (delivered,) = await bridge.delivered(TEXT, 1)
    custom_id = f"threads:reply:{original.id}"

    stranger = await bridge.discord.click_button(GUILD, TEXT, BOB, delivered.id, custom_id)
    refusal = await bridge.answer_to(stranger)
    click = await bridge.discord.click_button(GUILD, TEXT, PUBLISHER, delivered.id, custom_id)
    await bridge.discord.wait_for(lambda fake: fake.modal_opened(click.id) is not None)
    modal = bridge.discord.modal_opened(click.id)
    assert modal is not None
    submitted = await bridge.discord.submit_modal(
        GUILD, TEXT, PUBLISHER, modal["custom_id"], {"text": "my reply"}
    )
    answer = await bridge.answer_to(submitted)

    assert refusal.ephemeral and refusal.text.startswith("Only configured publishers")
    audit = [(a["user_id"], a["action"], a["result"]) for a in bridge.app.store.audit.entries()]
    assert (str(BOB), "reply", "refused") in audit  # the refused click is on record too
    (reply,) = bridge.sim.posts_by("alice")
    assert reply.text == "my reply"
    assert (await bridge.app.threads.media(reply.id)).replied_to_id == original.id
    assert answer.ephemeral and answer.text == f"Replied on Threads: {reply.permalink}"


async def test_profile_and_status(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", name="Bob B.", followers=1234, biography="builds")
    await bridge.slash(ALICE, "watch", username="bob")

    profile = await bridge.slash(BOB, "profile", username="bob")
    status = await bridge.slash(BOB, "status")

    assert profile.text == "Bob B. (@bob)\n1,234 followers\nbuilds\nhttps://www.threads.com/@bob"
    assert status.text.splitlines()[0] == "Watching 1 Threads source."
    assert "Publishing quota left today: 250 of 250 posts" in status.text


async def test_global_commands_work_in_a_direct_message(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(discord={"guild_ids": []})
    synced = [(c["name"], c["type"]) for c in bridge.discord.commands()]
    assert synced == [("threads", 1), ("Cross-post to Threads", 3)]  # 3: a message command
    bridge.sim.add_profile("bob", followers=5000)
    bridge.discord.add_user(PUBLISHER + 100, "dm_user")
    answer = await bridge.slash(PUBLISHER + 100, "watch", channel=None, guild=None, username="bob")
    assert answer.text.startswith("Now watching @bob")


async def test_the_refusals_are_worded_by_the_discord_adapter(bridge: Bridge) -> None:
    # The core's Bridge names no platform: the Discord adapter hands it Discord's wording.
    refused = await bridge.slash(BOB, "watch", username="bob")
    stranger = await bridge.slash(BOB, "post", text="let me in")
    assert refused.text == DISCORD_REFUSALS.admins_only
    assert stranger.text.endswith(
        "to discord.publishers (or one of your roles to discord.publisher\\_roles)."
    )
