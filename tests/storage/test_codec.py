"""Stored feed items: versioned JSON, read back tolerantly whichever release wrote it."""

from __future__ import annotations

import json

import pytest

from bot.events import FeedItem, Media, MediaKind, Poll, Post, Profile
from storage.codec import VERSION, UnreadableItem, decode_item, encode_item
from tests.feed_items import WHEN, feed_item, images

BOB = Profile(id="1", username="bob", name="Bob", is_verified=True, follower_count=5000)


def test_what_is_written_reads_back_the_same_and_says_its_version() -> None:
    related = Post(id="7", kind=MediaKind.IMAGE, media=images(1), username="carol")
    poll = Poll(("yes", "no"), (60.0, 40.0), 10, WHEN)
    item = FeedItem(feed_item(BOB, media=images(2), poll=poll).post, BOB, related)

    text = encode_item(item)

    assert json.loads(text)["version"] == VERSION
    assert decode_item(text) == item


def test_unknown_keys_are_ignored_and_missing_ones_take_their_defaults() -> None:
    stored = {
        "post": {"id": "9", "kind": "TEXT_POST", "text": "hi", "reactions": 4},
        "author": {"username": "bob", "aura": "blue"},
        "extra": True,
    }

    item = decode_item(json.dumps(stored))

    assert item == FeedItem(Post(id="9", kind=MediaKind.TEXT, text="hi"), Profile(None, "bob"))


def test_values_of_the_wrong_type_fall_back_instead_of_failing() -> None:
    stored = {
        "version": 1,
        "post": {
            "id": 9,
            "kind": "HOLOGRAM",
            "text": None,
            "username": 12345,
            "timestamp": "yesterday",
            "media": [{"kind": "IMAGE", "url": "https://cdn.example/1.jpg"}, "junk"],
            "is_reply": "maybe",
            "poll": {"options": ["a", "b"], "total_votes": "many"},
        },
        "author": {"username": ["bob"], "follower_count": "lots"},
    }

    post = decode_item(json.dumps(stored)).post

    assert (post.id, post.kind, post.text, post.username) == ("9", MediaKind.TEXT, "", "12345")
    assert post.timestamp is None and post.is_reply is False
    assert post.media == (Media(MediaKind.IMAGE, "https://cdn.example/1.jpg"),)
    assert post.poll == Poll(("a", "b"))


@pytest.mark.parametrize(
    "text", ['{"post": {"id": "', "[]", '{"author": {}}', '{"post": {"text": "no id"}}']
)
def test_json_that_names_no_post_is_unreadable(text: str) -> None:
    with pytest.raises(UnreadableItem):
        decode_item(text)
