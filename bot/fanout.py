"""The fan-out, the heart of the bridge: new posts x active subscriptions -> deliveries owed,
each becoming one outbox row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.events import Destination, FeedItem, Subscription


@dataclass(frozen=True, slots=True)
class Owed:
    """A new post owed to one subscription's destination (storage writes it as an outbox row)."""

    item: FeedItem
    subscription_id: int
    destination: Destination


def fan_out(items: Sequence[FeedItem], subscriptions: Sequence[Subscription]) -> list[Owed]:
    """The deliveries of these new posts (oldest first, as given) to these active
    subscriptions (paused and ended ones are not passed in), post by post, each in the
    order of the subscriptions.

    A post goes to each subscription that had started by the post's timestamp, to the
    second as Threads stamps: a subscription announces nothing made before it. A post
    without a timestamp goes to every subscription.
    """
    owed = []
    for item in items:
        stamp = item.post.timestamp
        second = int(stamp.timestamp()) if stamp else None
        for sub in subscriptions:
            if second is not None and second < int(sub.started_at):
                continue  # made before this chat started watching
            owed.append(Owed(item, sub.id, sub.destination))
    return owed
