"""/watch, /unwatch and /list through the real Bridge, without a chat platform."""

from __future__ import annotations

import pytest

from bot.commands import Context
from bot.events import Destination, Platform, Role, SourceKind
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import (
    ADMIN,
    GROUP,
    MEMBER,
    PRIVATE,
    PUBLISHER,
    TOPIC,
    RecordingAdapter,
    RecordingWatcher,
)

ADMINS_ONLY = "Only chat admins can change what this chat watches."
WATCH_USAGE = (
    'Usage: /watch USERNAME | "WORDS" | #TAG\nDeliver a Threads profile\'s new posts to this '
    "chat, or new public posts with those words or that topic tag."
)
OTHER_GROUP = Destination(Platform.TELEGRAM, "-1001000000002")


def watched_keys(store: Store, chat: Destination) -> list[str]:
    return [
        s.source.key
        for s in store.subscriptions.for_chat(chat.platform, chat.chat_id)
        if s.destination == chat
    ]


async def test_watch_needs_a_chat_admin(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    store: Store,
    watcher: RecordingWatcher,
) -> None:
    sim.add_profile("bob", name="Bob", followers=5000)

    refused = await telegram_chat.send(GROUP, MEMBER, "/watch bob")
    assert (refused.text, refused.ok, refused.private) == (ADMINS_ONLY, False, True)
    assert watched_keys(store, GROUP) == [] and watcher.watched == []

    accepted = await telegram_chat.send(GROUP, ADMIN, "/watch @bob", role=Role.ADMIN)
    again = await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)

    assert accepted.text == "Now watching Bob (@bob), 5,000 followers. New posts will appear here."
    assert accepted.ok and not accepted.private
    assert again.text == "This chat already watches @bob." and again.ok
    (subscription,) = store.subscriptions.for_chat("telegram", GROUP.chat_id)
    assert subscription.source.key == "bob" and subscription.origin == "chat"
    assert not subscription.paused
    assert watcher.watched == ["bob"]  # asked once: the second /watch changed nothing


async def test_in_a_private_chat_its_owner_decides(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob", followers=12)
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch bob", role=Role.OWNER)
    assert answer.text == "Now watching @bob, 12 followers. New posts will appear here."
    assert watched_keys(store, PRIVATE) == ["bob"]


@pytest.mark.parametrize(
    "typed", ["bob", "@bob", "BOB", "https://www.threads.com/@Bob", "https://threads.net/@bob/"]
)
async def test_a_username_is_read_however_it_is_typed(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, typed: str
) -> None:
    sim.add_profile("bob")
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/watch {typed}", role=Role.OWNER)
    assert answer.text.startswith("Now watching @bob, 5,000 followers.")
    assert watched_keys(store, PRIVATE) == ["bob"]


@pytest.mark.parametrize("args", ["", "not a name!", "bob carol", "@"])
async def test_watch_without_one_username_answers_its_usage(
    telegram_chat: RecordingAdapter, store: Store, watcher: RecordingWatcher, args: str
) -> None:
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/watch {args}", role=Role.OWNER)
    assert (answer.text, answer.ok, answer.private) == (WATCH_USAGE, False, False)
    assert watched_keys(store, PRIVATE) == [] and watcher.watched == []


async def test_an_unknown_profile_is_caught_at_watch_time(
    telegram_chat: RecordingAdapter, store: Store, watcher: RecordingWatcher
) -> None:
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch nobody_here", role=Role.OWNER)
    assert answer.text.startswith("Threads refused the request: ") and not answer.ok
    assert store.sources.find(SourceKind.PROFILE, "nobody_here") is None
    assert watcher.watched == []


async def test_a_forum_topic_watches_on_its_own(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob")
    await telegram_chat.send(TOPIC, ADMIN, "/watch bob", role=Role.ADMIN)

    in_topic = await telegram_chat.send(TOPIC, MEMBER, "/list")
    in_group = await telegram_chat.send(GROUP, MEMBER, "/list")
    also_group = await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)

    assert in_topic.text == "This chat watches:\n• @bob"
    assert in_group.text.startswith("This chat watches no Threads profiles yet.")
    assert also_group.text.startswith("Now watching @bob")  # not "already watches"
    assert watched_keys(store, TOPIC) == ["bob"] and watched_keys(store, GROUP) == ["bob"]


async def test_the_connected_account_is_watched_through_me(
    telegram_chat: RecordingAdapter, store: Store, watcher: RecordingWatcher
) -> None:
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch me", role=Role.OWNER)
    by_name = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch alice", role=Role.OWNER)
    listed = await telegram_chat.send(PRIVATE, PUBLISHER, "/list")

    assert answer.text == (
        "Now watching @alice (the connected account). New posts will appear here."
    )
    assert by_name.text == "This chat already watches @alice."
    assert listed.text == "This chat watches:\n• @alice"
    (subscription,) = store.subscriptions.for_chat("telegram", PRIVATE.chat_id)
    assert subscription.source.kind is SourceKind.ME
    assert watcher.watched == ["me"]  # no discovery quota: /me/threads, not profile_posts


async def test_watching_me_before_the_account_is_known_says_it_once(
    ctx: Context, telegram_chat: RecordingAdapter
) -> None:
    ctx.me = None  # /me could not be read at start-up
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch me", role=Role.OWNER)
    assert answer.ok
    assert answer.text.count("the connected account") == 1, answer.text


async def test_watch_again_resumes_a_paused_subscription(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob")
    await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)
    (subscription,) = store.subscriptions.for_chat("telegram", GROUP.chat_id)
    store.subscriptions.pause(subscription.id, "the bot cannot post here")

    paused = await telegram_chat.send(GROUP, MEMBER, "/list")
    resumed = await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)

    assert paused.text == "This chat watches:\n• @bob (paused: the bot cannot post here)"
    assert resumed.text.startswith("Now watching @bob")
    (again,) = store.subscriptions.for_chat("telegram", GROUP.chat_id)
    assert again.id == subscription.id and not again.paused


async def test_unwatch_and_list(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    store: Store,
    watcher: RecordingWatcher,
) -> None:
    carol = store.sources.ensure(SourceKind.PROFILE, "carol")
    store.subscriptions.add(carol, GROUP, origin="config", created_by=None)  # a [[feeds]] entry
    sim.add_profile("bob")
    await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)

    listed = await telegram_chat.send(GROUP, MEMBER, "/list")
    refused = await telegram_chat.send(GROUP, MEMBER, "/unwatch bob")
    from_file = await telegram_chat.send(GROUP, ADMIN, "/unwatch carol", role=Role.ADMIN)
    removed = await telegram_chat.send(GROUP, ADMIN, "/unwatch @bob", role=Role.ADMIN)
    missing = await telegram_chat.send(GROUP, ADMIN, "/unwatch bob", role=Role.ADMIN)
    after = await telegram_chat.send(GROUP, MEMBER, "/list")

    assert listed.text == "This chat watches:\n• @bob\n• @carol (from the configuration file)"
    assert (refused.text, refused.ok, refused.private) == (ADMINS_ONLY, False, True)
    assert from_file.text == (
        "@carol is watched here because the bridge's configuration file says so; "
        "the operator can remove it there."
    )
    assert not from_file.ok
    assert (removed.text, removed.ok) == ("Stopped watching @bob here.", True)
    assert (missing.text, missing.ok) == ("This chat does not watch @bob.", False)
    assert after.text == "This chat watches:\n• @carol (from the configuration file)"
    bob = store.sources.find(SourceKind.PROFILE, "bob")
    assert bob is not None and store.subscriptions.of_source(bob.id) == []
    assert watcher.unwatched == ["bob"]  # nobody else receives it: stop polling


async def test_unwatch_keeps_polling_what_another_chat_still_watches(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    store: Store,
    watcher: RecordingWatcher,
) -> None:
    sim.add_profile("bob")
    await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)
    await telegram_chat.send(OTHER_GROUP, ADMIN, "/watch bob", role=Role.ADMIN)

    removed = await telegram_chat.send(GROUP, ADMIN, "/unwatch bob", role=Role.ADMIN)

    assert removed.text == "Stopped watching @bob here."
    assert watched_keys(store, GROUP) == [] and watched_keys(store, OTHER_GROUP) == ["bob"]
    assert watcher.unwatched == []


async def test_unwatch_in_a_topic_leaves_the_group_s_own_watch(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob")
    await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)

    missing = await telegram_chat.send(TOPIC, ADMIN, "/unwatch bob", role=Role.ADMIN)

    assert missing.text == "This chat does not watch @bob." and not missing.ok
    assert watched_keys(store, GROUP) == ["bob"]


async def test_unwatch_usage_and_an_empty_list(telegram_chat: RecordingAdapter) -> None:
    usage = await telegram_chat.send(GROUP, ADMIN, "/unwatch", role=Role.ADMIN)
    empty = await telegram_chat.send(GROUP, MEMBER, "/list")

    assert usage.text == (
        'Usage: /unwatch USERNAME | "WORDS" | #TAG\n'
        "Stop delivering a profile's or a search's posts here."
    )
    assert not usage.ok
    assert empty.text == "This chat watches no Threads profiles yet. Add one with /watch USERNAME."
    assert empty.ok
