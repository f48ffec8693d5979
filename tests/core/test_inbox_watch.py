"""/watch replies and /watch mentions: the connected account's inbox, managed like profiles."""

from __future__ import annotations

from bot.config import FeedConfig
from bot.events import Role, SourceKind
from bot.runtime.feeds import reconcile_feeds
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import (
    GROUP,
    MEMBER,
    PRIVATE,
    PUBLISHER,
    RecordingAdapter,
    RecordingWatcher,
)


def watched(store: Store) -> list[tuple[str, str]]:
    return sorted(
        (s.source.kind.value, s.source.key)
        for s in store.subscriptions.for_chat(PRIVATE.platform, PRIVATE.chat_id)
    )


async def test_watch_replies_and_mentions_then_list_and_unwatch(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    store: Store,
    watcher: RecordingWatcher,
) -> None:
    replies = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch replies", role=Role.OWNER)
    mentions = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch Mentions", role=Role.OWNER)
    again = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch replies", role=Role.OWNER)

    assert replies.text == (
        "Now watching replies to @alice's posts. New replies will appear here; publishers can "
        "hide, unhide and answer them with the buttons underneath."
    )
    assert mentions.text == (
        "Now watching mentions of @alice. New posts that mention the account will appear here."
    )
    assert again.text == "This chat already watches replies."
    assert watched(store) == [("mentions", "mentions"), ("replies", "replies")]
    assert watcher.watched == ["replies", "mentions"]
    # No profile was looked up: neither costs discovery quota.
    assert not [r for r in sim.requests if r.path.endswith("/profile_lookup")]

    listed = await telegram_chat.send(PRIVATE, PUBLISHER, "/list")
    assert listed.text == ("This chat watches:\n• mentions of @alice\n• replies to @alice's posts")

    stopped = await telegram_chat.send(PRIVATE, PUBLISHER, "/unwatch replies", role=Role.OWNER)
    missing = await telegram_chat.send(PRIVATE, PUBLISHER, "/unwatch replies", role=Role.OWNER)
    assert stopped.text == "Stopped watching replies here."
    assert (missing.text, missing.ok) == ("This chat does not watch replies.", False)
    assert watched(store) == [("mentions", "mentions")]
    assert watcher.unwatched == ["replies"]


async def test_at_replies_is_the_profile_of_that_name(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("replies", name="Replies Guy", followers=2000)

    answer = await telegram_chat.send(PRIVATE, PUBLISHER, "/watch @replies", role=Role.OWNER)

    assert answer.text == (
        "Now watching Replies Guy (@replies), 2,000 followers. New posts will appear here."
    )
    (subscription,) = store.subscriptions.for_chat(PRIVATE.platform, PRIVATE.chat_id)
    assert subscription.source.kind is SourceKind.PROFILE
    inbox = await telegram_chat.send(PRIVATE, PUBLISHER, "/unwatch replies", role=Role.OWNER)
    assert inbox.text == "This chat does not watch replies."


async def test_watching_the_inbox_in_a_group_needs_an_admin(
    telegram_chat: RecordingAdapter, store: Store
) -> None:
    refused = await telegram_chat.send(GROUP, MEMBER, "/watch mentions")
    assert (refused.ok, refused.private) == (False, True)
    assert store.subscriptions.for_chat(GROUP.platform, GROUP.chat_id) == []


def test_feeds_declare_the_inbox_by_its_word_and_a_profile_by_at(store: Store) -> None:
    feeds = [
        FeedConfig(profile="replies", telegram_chat=-1001),
        FeedConfig(profile="mentions", telegram_chat=-1001),
        FeedConfig(profile="@replies", telegram_chat=-1001),
    ]
    reconcile_feeds(store, feeds, me_username="alice")

    kinds = sorted(
        (s.source.kind.value, s.source.key, s.origin)
        for s in store.subscriptions.for_chat("telegram", "-1001")
    )
    assert kinds == [
        ("mentions", "mentions", "config"),
        ("profile", "replies", "config"),
        ("replies", "replies", "config"),
    ]
