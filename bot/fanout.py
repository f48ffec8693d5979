"""The fan-out, the heart of the bridge: new posts x active subscriptions -> routes, each
becoming one outbox row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from bot.events import FeedItem, Subscription


class Route(NamedTuple):
    """A new post owed to one subscription (storage turns it into an outbox row)."""

    item: FeedItem
    subscription: Subscription


def fan_out(new_items: Sequence[FeedItem], subscriptions: Sequence[Subscription]) -> list[Route]:
    """The deliveries of these new posts (oldest first, as given) to these active
    subscriptions (paused and ended ones are not passed in), post by post, each in the
    order of the subscriptions.

    A post goes to each subscription that had started by the post's timestamp, to the
    second as Threads stamps: a subscription announces nothing made before it. A post
    without a timestamp goes to every subscription.
    """
    routes = []
    for item in new_items:
        stamp = item.post.timestamp
        second = int(stamp.timestamp()) if stamp else None
        for sub in subscriptions:
            if second is not None and second < int(sub.started_at):
                continue  # made before this chat started watching
            routes.append(Route(item, sub))
    return routes
