"""Feed items for the renderers' tests: one post by `author`, with whatever a test changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.events import FeedItem, Media, MediaKind, Post, Profile

WHEN = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
BASE = Post(
    id="9",
    kind=MediaKind.TEXT,
    username="bob",
    timestamp=WHEN,
    permalink="https://www.threads.com/@bob/post/AbC",
)


def feed_item(
    author: Profile, text: str = "hello", media: tuple[Media, ...] = (), **post: object
) -> FeedItem:
    return FeedItem(replace(BASE, text=text, media=media, **post), author)


def images(n: int) -> tuple[Media, ...]:
    return tuple(Media(MediaKind.IMAGE, f"https://cdn.example/{i}.jpg") for i in range(n))
