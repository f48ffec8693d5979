"""Every chat command through the real python-telegram-bot, as a chat member sees it."""

from __future__ import annotations

from bot.events import SourceKind
from simulator.quotas import Quota
from tests.telegram.conftest import (
    ADMIN,
    GROUP,
    MEMBER,
    PRIVATE,
    PUBLISHER,
    Bridge,
    BridgeFactory,
    reads,
)

CHANNEL = -1002000000002


async def test_help_lists_every_command(bridge: Bridge) -> None:
    for command in ("/start", "/help"):
        answer = await bridge.command(PRIVATE, PUBLISHER, command)
        for usage in (
            "/watch USERNAME",
            "/unwatch USERNAME",
            "/list",
            "/post TEXT",
            "/reply [LINK] TEXT",
            "/profile USERNAME",
            "/status",
        ):
            assert usage in reads(answer)


async def test_watch_needs_a_chat_admin(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", name="Bob", followers=5000)

    refused = await bridge.command(GROUP, MEMBER, "/watch bob")
    accepted = await bridge.command(GROUP, ADMIN, "/watch @bob")
    again = await bridge.command(GROUP, ADMIN, "/watch bob")

    assert reads(refused) == "Only chat admins can change what this chat watches."
    assert reads(accepted) == (
        "Now watching Bob (@bob), 5,000 followers. New posts will appear here.\n"
        "@bob will be checked about every 1 h: the only profile drawing on Meta's 1,000 "
        "daily lookups."
    )
    assert reads(again) == "This chat already watches @bob."
    subscriptions = bridge.app.store.subscriptions.for_chat("telegram", str(GROUP))
    assert [s.source.key for s in subscriptions] == ["bob"]


async def test_watched_profile_posts_arrive_after_watch(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", followers=5000)
    bridge.sim.add_post("bob", text="before the watch")
    await bridge.command(PRIVATE, PUBLISHER, "/watch bob")  # a private chat: the user decides
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="after the watch")

    await bridge.poll("bob")
    messages = await bridge.delivered(PRIVATE, 2)

    assert "after the watch" in messages[1].visible_text
    assert all("before the watch" not in reads(m) for m in messages)


async def test_watch_from_a_forum_topic_delivers_into_that_topic(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", followers=5000)
    answer = await bridge.command(GROUP, ADMIN, "/watch bob", topic=42)
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="for the topic")

    await bridge.poll("bob")
    _, delivered = await bridge.delivered(GROUP, 2)

    assert answer.message_thread_id == 42
    assert delivered.message_thread_id == 42
    assert "for the topic" in reads(delivered)


async def test_watch_in_a_channel_as_its_admin(bridge: Bridge) -> None:
    bridge.tg.add_chat(CHANNEL, "channel", title="News")
    bridge.sim.add_profile("bob", followers=5000)
    bridge.tg.send_channel_post(CHANNEL, "/watch bob")
    await bridge.tg.wait_for(lambda fake: len(fake.sent_to(CHANNEL)) >= 1, timeout=15)
    assert reads(bridge.tg.sent_to(CHANNEL)[0]).startswith("Now watching @bob, 5,000")


async def test_watch_mistakes_get_clear_answers(bridge: Bridge) -> None:
    usage = await bridge.command(PRIVATE, PUBLISHER, "/watch")
    nonsense = await bridge.command(PRIVATE, PUBLISHER, "/watch not a name!")
    unknown = await bridge.command(PRIVATE, PUBLISHER, "/watch nobody_here")

    assert reads(usage).startswith("Usage: /watch USERNAME")
    assert reads(nonsense).startswith("Usage: /watch USERNAME")
    assert reads(unknown).startswith("Threads refused the request:")
    assert bridge.app.store.subscriptions.for_chat("telegram", str(PRIVATE)) == []


async def test_unwatch_and_list(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "carol", "telegram_chat": GROUP}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.command(GROUP, ADMIN, "/watch bob")

    listed = await bridge.command(GROUP, MEMBER, "/list")
    refused = await bridge.command(GROUP, MEMBER, "/unwatch bob")
    from_file = await bridge.command(GROUP, ADMIN, "/unwatch carol")
    removed = await bridge.command(GROUP, ADMIN, "/unwatch bob")
    missing = await bridge.command(GROUP, ADMIN, "/unwatch bob")
    after = await bridge.command(GROUP, MEMBER, "/list")

    assert reads(listed) == ("This chat watches:\n• @bob\n• @carol (from the configuration file)")
    assert reads(refused) == "Only chat admins can change what this chat watches."
    assert "configuration file" in reads(from_file)
    assert reads(removed) == "Stopped watching @bob here."
    assert reads(missing) == "This chat does not watch @bob."
    assert reads(after) == "This chat watches:\n• @carol (from the configuration file)"
    bob = bridge.app.store.sources.find(SourceKind.PROFILE, "bob")
    assert bob is not None and bridge.app.store.subscriptions.of_source(bob.id) == []


async def test_post_only_for_publishers_and_audited(bridge: Bridge) -> None:
    refused = await bridge.command(GROUP, MEMBER, "/post hello world")
    published = await bridge.command(GROUP, PUBLISHER, "/post hello <world>")

    assert reads(refused).startswith("Only configured publishers can publish to Threads.")
    assert f"({MEMBER})" in reads(refused)
    (post,) = bridge.sim.posts_by("alice")
    assert post.text == "hello <world>"
    assert reads(published) == f"Published on Threads: {post.permalink}"
    audit = bridge.app.store.audit.entries()
    assert [(a["user_id"], a["action"], a["result"]) for a in reversed(audit)] == [
        (str(MEMBER), "post", "refused"),
        (str(PUBLISHER), "post", "ok"),
    ]
    assert audit[0]["chat_id"] == str(GROUP) and audit[0]["detail"] == "hello <world>"


async def test_long_post_becomes_a_chain(bridge: Bridge) -> None:
    text = "\n\n".join(f"Part {n}. " + "lorem ipsum " * 35 for n in range(3))
    answer = await bridge.command(PRIVATE, PUBLISHER, f"/post {text}")

    posts = list(reversed(bridge.sim.posts_by("alice")))
    assert len(posts) == 3
    assert reads(answer) == (f"Published on Threads as a chain of 3 posts: {posts[0].permalink}")


async def test_post_without_text_shows_usage(bridge: Bridge) -> None:
    answer = await bridge.command(PRIVATE, PUBLISHER, "/post")
    assert reads(answer).startswith("Usage: /post TEXT")
    assert bridge.sim.posts_by("alice") == []


async def test_reply_to_a_bridged_post(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": GROUP}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    original = bridge.sim.add_post("bob", text="what do you think?")
    await bridge.poll("bob")
    (delivered,) = await bridge.delivered(GROUP, 1)

    answer = await bridge.command(
        GROUP, PUBLISHER, "/reply I agree", reply_to=delivered.message_id
    )

    (reply,) = bridge.sim.posts_by("alice")
    assert reply.text == "I agree"
    threads_reply = await bridge.app.threads.media(reply.id)
    assert threads_reply.replied_to_id == original.id
    assert reads(answer) == f"Replied on Threads: {reply.permalink}"


async def test_reply_by_link_and_mistakes(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", followers=5000)
    original = bridge.sim.add_post("bob", text="a post")

    by_link = await bridge.command(PRIVATE, PUBLISHER, f"/reply {original.permalink} nice one")
    no_text = await bridge.command(PRIVATE, PUBLISHER, f"/reply {original.permalink}")
    stranger = await bridge.command(GROUP, MEMBER, f"/reply {original.permalink} hi")

    (reply,) = bridge.sim.posts_by("alice")
    assert (await bridge.app.threads.media(reply.id)).replied_to_id == original.id
    assert reads(by_link) == f"Replied on Threads: {reply.permalink}"
    assert reads(no_text).startswith("Usage: /reply [LINK] TEXT")
    assert reads(stranger).startswith("Only configured publishers")


async def test_reply_to_a_message_that_is_not_a_post(bridge: Bridge) -> None:
    note = bridge.tg.send_text(GROUP, MEMBER, "just chatting")
    answer = await bridge.command(GROUP, PUBLISHER, "/reply hi", reply_to=note["message_id"])
    assert reads(answer).startswith("That message is not a bridged Threads post.")


async def test_profile_card(bridge: Bridge) -> None:
    bridge.sim.add_profile(
        "bob", name="Bob B.", followers=12345, biography="I build.", is_verified=True
    )
    answer = await bridge.command(GROUP, MEMBER, "/profile bob")
    assert reads(answer) == (
        "Bob B. (@bob) ✓\n12,345 followers\nI build.\nhttps://www.threads.com/@bob"
    )


async def test_status(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": GROUP}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    await bridge.command(PRIVATE, PUBLISHER, "/post counting")

    answer = await bridge.command(GROUP, MEMBER, "/status")

    lines = reads(answer).splitlines()
    assert lines[0] == "Watching 1 Threads source."
    assert lines[1].startswith("• @bob: checked every 1 h, last polled ")
    # Every discovery request the simulator saw is counted by the bridge.
    lookups = [
        r for r in bridge.sim.requests if r.path.endswith(("/profile_posts", "/profile_lookup"))
    ]
    assert lookups
    assert lines[2] == (
        f"Profile lookups (Meta allows 1,000 a day): {len(lookups)} used in the last 24 h, "
        f"{1000 - len(lookups)} left"
    )
    assert lines[3] == "Deliveries waiting: 0"
    assert lines[4] == "Posts waiting to be published: 0"
    assert lines[5] == "Publishing quota left today: 249 of 250 posts, 1000 of 1000 replies"


async def test_threads_errors_in_plain_words(bridge: Bridge) -> None:
    bridge.sim.fail_next("GET", "/profile_lookup", kind="auth")
    expired = await bridge.command(PRIVATE, PUBLISHER, "/profile bob")
    bridge.sim.fail_next("POST", "/*/threads", kind="rate_limit")
    limited = await bridge.command(PRIVATE, PUBLISHER, "/post hello")

    assert reads(expired).startswith("The bridge's Threads login has expired")
    # Meta said slow down: nothing is lost, the post waits in the queue and goes later.
    assert reads(limited).startswith(
        "Queued as #1: Threads is limiting how often the bridge can publish right now; it "
        "tries again at about "
    )
    *_, published = await bridge.delivered(PRIVATE, 3)
    (post,) = bridge.sim.posts_by("alice")
    assert reads(published) == f"Published on Threads (queued #1): {post.permalink}"


async def test_a_spent_daily_quota_queues_the_post_says_when_and_publishes_it_later(
    bridge: Bridge,
) -> None:
    bridge.sim.set_quota(Quota.POSTS, 1)  # Meta's 250 posts a day, used up early
    first = await bridge.command(PRIVATE, PUBLISHER, "/post one")
    second = await bridge.command(PRIVATE, PUBLISHER, "/post two")

    assert reads(first).startswith("Published on Threads: ")
    assert reads(second).startswith(
        "Queued as #2: Threads' daily publishing limit is used up; it goes out at about "
    )
    assert [p.text for p in bridge.sim.posts_by("alice")] == ["one"]

    bridge.sim.advance(24 * 3600 + 1)  # the rolling window moves on
    *_, published = await bridge.delivered(PRIVATE, 3)
    two = next(p for p in bridge.sim.posts_by("alice") if p.text == "two")
    assert reads(published) == f"Published on Threads (queued #2): {two.permalink}"
