"""The fan-out on its own: which new posts go to which active subscriptions, in what order."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.events import Destination, FeedItem, MediaKind, Post, Source, SourceKind, Subscription
from bot.fanout import Owed, fan_out

BOB = Source(1, SourceKind.PROFILE, "bob")
START = 1_700_000_000.0


def item(post_id: str, at: float | None) -> FeedItem:
    stamp = datetime.fromtimestamp(at, UTC) if at is not None else None
    return FeedItem(Post(id=post_id, kind=MediaKind.TEXT, text=post_id, timestamp=stamp))


def sub(sub_id: int, chat: str, started_at: float = START) -> Subscription:
    destination = Destination("telegram", chat)
    return Subscription(sub_id, BOB, destination, "chat", started_at=started_at)


def routed(deliveries: list[Owed]) -> list[tuple[str, str]]:
    return [(d.item.post.id, d.destination.chat_id) for d in deliveries]


def test_posts_go_to_every_subscription_oldest_first_post_by_post() -> None:
    posts = [item("old", START + 1), item("new", START + 2)]
    subs = [sub(1, "10"), sub(2, "20")]
    assert routed(fan_out(posts, subs)) == [
        ("old", "10"),
        ("old", "20"),
        ("new", "10"),
        ("new", "20"),
    ]


def test_a_subscription_receives_only_posts_stamped_at_or_after_its_start() -> None:
    # Threads stamps to the second: a post in the subscription's starting second counts.
    posts = [item("before", START - 1), item("same second", START), item("after", START + 5)]
    late = sub(2, "20", started_at=START + 0.5)
    assert routed(fan_out(posts, [late])) == [("same second", "20"), ("after", "20")]


def test_each_subscription_has_its_own_start() -> None:
    posts = [item("p", START + 10)]
    subs = [sub(1, "early", START), sub(2, "later", START + 60)]
    assert routed(fan_out(posts, subs)) == [("p", "early")]


def test_a_post_without_timestamp_goes_to_everyone() -> None:
    subs = [sub(1, "10"), sub(2, "20", started_at=START + 1e6)]
    assert routed(fan_out([item("undated", None)], subs)) == [("undated", "10"), ("undated", "20")]


def test_nothing_to_send_without_subscriptions_or_posts() -> None:
    # Paused and ended subscriptions are never passed in: storage reads only active ones.
    assert fan_out([item("p", START)], []) == []
    assert fan_out([], [sub(1, "10")]) == []


def test_each_delivery_carries_the_subscription_and_its_destination() -> None:
    subscription = sub(7, "-100")
    p = item("p", START)
    assert fan_out([p], [subscription]) == [Owed(p, 7, Destination("telegram", "-100"))]
