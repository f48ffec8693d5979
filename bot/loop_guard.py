"""No loops: a post the bridge cross-posted from a chat, coming back through a watched source
(the connected account, "me", watched in that same chat), is not delivered into the chat it
came from (`echo = "skip"`), or is delivered marked (`echo = "mark"`). Other chats get it as
any post.

The post is recognised by its Threads media id, which the publish recorded in `publications`
with the chat it was published from (before the poll that finds it can run: the id is written
as soon as Threads answers the publish).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from bot.crosspost import KIND, Autopost
from bot.events import Destination, FeedItem, Subscription
from bot.fanout import Owed, fan_out
from storage.publications import Publications

log = logging.getLogger(__name__)

MARK = "(cross-posted from here)"


class LoopGuard:
    def __init__(self, publications: Publications, autopost: Autopost) -> None:
        self._publications = publications
        self._autopost = autopost

    def echo(self, item: FeedItem, destination: Destination) -> str | None:
        """The rule's echo ("skip" or "mark") when the post was cross-posted from this
        chat; else None."""
        rule = self._autopost.rule(destination)
        if rule is None:
            return None  # only [[crosspost]] chats cross-post: no lookup for the others
        chats = self._publications.chats_of(item.post.id, (KIND,))
        if (destination.platform, destination.chat_id) not in chats:
            return None
        return rule.echo

    def fan_out(
        self, items: Sequence[FeedItem], subscriptions: Sequence[Subscription]
    ) -> list[Owed]:
        """bot.fanout.fan_out, without the deliveries back into the chat a post came from
        (where its rule says skip)."""
        owed = []
        for delivery in fan_out(items, subscriptions):
            if self.echo(delivery.item, delivery.destination) == "skip":
                log.info(
                    "post %s was cross-posted from %s: not delivered back there",
                    delivery.item.post.id,
                    delivery.destination,
                )
                continue
            owed.append(delivery)
        return owed

    def mark(self, item: FeedItem, destination: Destination) -> FeedItem:
        """The item as this chat reads it: marked when it was cross-posted from here."""
        if self.echo(item, destination) != "mark":
            return item
        text = f"{item.post.text}\n\n{MARK}".strip()
        return replace(item, post=replace(item.post, text=text))
