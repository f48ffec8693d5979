"""The fan-out, the heart of the bridge: new posts x active subscriptions -> deliveries owed,
each becoming one outbox row (or, kept out by the subscription's filters, a filtered record
with the reason)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.events import Destination, FeedItem, FeedSettings, Subscription
from bot.filters import filtered_reason

_UNFILTERED = FeedSettings()


@dataclass(frozen=True, slots=True)
class Owed:
    """A new post owed to one subscription's destination (storage writes it as an outbox row)."""

    item: FeedItem
    subscription_id: int
    destination: Destination
    # Set when the subscription's filters keep the post out: no outbox row, the reason kept.
    filtered: str | None = None


def fan_out(items: Sequence[FeedItem], subscriptions: Sequence[Subscription]) -> list[Owed]:
    """The deliveries of these new posts (oldest first, as given) to these active
    subscriptions (paused and ended ones are not passed in), post by post, each in the
    order of the subscriptions.

    A post goes to each subscription that had started by the post's timestamp, to the
    second as Threads stamps: a subscription announces nothing made before it. A post
    without a timestamp goes to every subscription. A post the subscription's filters keep
    out is owed with `filtered` set to the reason (bot/filters.py).
    """
    owed = []
    for item in items:
        stamp = item.post.timestamp
        second = int(stamp.timestamp()) if stamp else None
        for sub in subscriptions:
            if second is not None and second < int(sub.started_at):
                continue  # made before this chat started watching
            reason = None if sub.settings == _UNFILTERED else filtered_reason(item, sub.settings)
            owed.append(Owed(item, sub.id, sub.destination, reason))
    return owed
