"""Feeds declared in the configuration file become subscriptions at start-up.

They sit beside the subscriptions made from chat: a feed added to the file is subscribed (or
its old subscription re-activated), one removed from the file is ended (its delivery history
kept), and chat-made subscriptions are left alone. A feed's `edits` and `deleted` settings
(posts that change after delivery) are written to its subscription at every start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.config import FeedConfig
from bot.events import Destination, Platform, Source, SourceKind
from bot.links import parse_username, parse_webhook_url
from storage.store import Store

log = logging.getLogger(__name__)

INBOX_FEEDS = {"replies": SourceKind.REPLIES, "mentions": SourceKind.MENTIONS}


def feed_destinations(feed: FeedConfig) -> list[Destination]:
    destinations = []
    if feed.telegram_chat is not None:
        topic = str(feed.telegram_topic) if feed.telegram_topic is not None else ""
        destinations.append(Destination(Platform.TELEGRAM, str(feed.telegram_chat), topic))
    if feed.discord_channel is None and feed.discord_webhook is None:
        return destinations
    # Discord's destination encoding lives in its adapter; imported here, as in wiring, so
    # a bridge without Discord feeds never loads discord.py.
    from adapters.discord.destinations import channel_destination, webhook_destination

    if feed.discord_channel is not None:
        destinations.append(channel_destination(feed.discord_channel))
    if feed.discord_webhook is not None:
        parsed = parse_webhook_url(feed.discord_webhook.reveal())
        if parsed is not None:  # the config loader already refused anything else
            destinations.append(webhook_destination(parsed[0]))
    return destinations


def source_of(store: Store, profile: str, me_username: str | None) -> Source:
    """`profile = "replies"` / `"mentions"` (the bare word) is the connected account's inbox;
    `"@replies"` is the profile of that name."""
    inbox = INBOX_FEEDS.get(profile.strip().lower())
    if inbox is not None:
        return store.sources.ensure(inbox, inbox.value)
    username = "me" if profile == "me" else parse_username(profile) or profile
    if username == "me" or (me_username is not None and username == me_username.lower()):
        return store.sources.ensure(SourceKind.ME, "me")
    return store.sources.ensure(SourceKind.PROFILE, username)


def reconcile_feeds(store: Store, feeds: Sequence[FeedConfig], me_username: str | None) -> None:
    wanted: set[tuple[int, Destination]] = set()
    for feed in feeds:
        source = source_of(store, feed.profile, me_username)
        for configured in feed_destinations(feed):
            destination = store.chat_moves.current(configured)
            if destination != configured:
                log.warning(
                    "the configuration names %s chat %s, which moved to %s: "
                    "write %s in the feed for %s instead",
                    configured.platform,
                    configured.chat_id,
                    destination.chat_id,
                    destination.chat_id,
                    feed.profile,
                )
            wanted.add((source.id, destination))
            subscription, created = store.subscriptions.add(
                source, destination, origin="config", created_by=None
            )
            store.changes.set_policy(subscription.id, edits=feed.edits, deleted=feed.deleted)
            # The file is the truth for its feeds' settings: applied at every start.
            store.settings.set(subscription.id, feed.settings())
            if created:
                log.info("feed %s -> %s added from the configuration", source.label, destination)
    for subscription in store.subscriptions.from_config():
        if (subscription.source.id, subscription.destination) not in wanted:
            store.subscriptions.end(subscription.source, subscription.destination)
            log.info(
                "feed %s -> %s removed (no longer in the configuration)",
                subscription.source.label,
                subscription.destination,
            )
