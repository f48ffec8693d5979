"""bot/loop_guard.py on a real Store: a post cross-posted from a chat is recognised by its
media id when the connected account's feed brings it back, and kept out of (or marked in)
that chat only."""

from __future__ import annotations

from bot.commands import Context
from bot.config import CrosspostConfig
from bot.crosspost import Autopost
from bot.events import (
    ChatUser,
    Destination,
    FeedItem,
    MediaKind,
    Platform,
    Post,
    SourceKind,
    Subscription,
)
from bot.loop_guard import MARK, LoopGuard
from storage.store import Store

CHANNEL = Destination(Platform.TELEGRAM, "-1002000000001")
GROUP = Destination(Platform.TELEGRAM, "-1001000000001")
DISCORD = Destination(Platform.DISCORD, "4001")
NEWS = ChatUser(CHANNEL.chat_id, "News")


async def _noop(chat: Destination, text: str) -> None:
    """Nobody is told anything here."""


def guard(ctx: Context, echo: str) -> LoopGuard:
    rule = CrosspostConfig(telegram_chat=int(CHANNEL.chat_id), echo=echo)
    return LoopGuard(ctx.store.publications, Autopost(ctx, [rule], _noop))


def published(store: Store, chat: Destination, kind: str, media_id: str) -> FeedItem:
    publication = store.publications.start(chat, NEWS, kind, "hello")
    store.publications.add_published(publication, media_id, None)
    return FeedItem(Post(media_id, MediaKind.TEXT, text="hello"))


def watching_me(store: Store, *chats: Destination) -> list[Subscription]:
    source = store.sources.ensure(SourceKind.ME, "me")
    return [
        store.subscriptions.add(source, chat, origin="config", created_by=None)[0]
        for chat in chats
    ]


def test_a_cross_post_is_not_delivered_back_into_its_chat(ctx: Context, store: Store) -> None:
    item = published(store, CHANNEL, "autopost", "m1")
    subscriptions = watching_me(store, CHANNEL, GROUP, DISCORD)

    owed = guard(ctx, "skip").fan_out([item], subscriptions)

    assert [o.destination for o in owed] == [GROUP, DISCORD]


def test_marked_instead_where_the_rule_says_mark(ctx: Context, store: Store) -> None:
    item = published(store, CHANNEL, "autopost", "m1")
    subscriptions = watching_me(store, CHANNEL, GROUP)
    loop_guard = guard(ctx, "mark")

    owed = loop_guard.fan_out([item], subscriptions)

    assert [o.destination for o in owed] == [CHANNEL, GROUP]
    assert loop_guard.mark(item, CHANNEL).post.text == f"hello\n\n{MARK}"
    assert loop_guard.mark(item, GROUP) is item


def test_posts_published_by_commands_flow_as_before(ctx: Context, store: Store) -> None:
    # A /post typed in the channel is answered with its link and delivered like any post.
    item = published(store, CHANNEL, "post", "m2")
    other = FeedItem(Post("m3", MediaKind.TEXT, text="someone else's"))
    subscriptions = watching_me(store, CHANNEL)

    owed = guard(ctx, "skip").fan_out([item, other], subscriptions)

    assert [o.item.post.id for o in owed] == ["m2", "m3"]
