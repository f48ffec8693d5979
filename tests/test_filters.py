"""Subscription filters at fan-out (pure): each filter, and the reason a kept-out post gets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.events import (
    Destination,
    FeedItem,
    FeedSettings,
    Media,
    MediaKind,
    Post,
    Source,
    SourceKind,
    Subscription,
)
from bot.fanout import Owed, fan_out
from bot.filters import FilterError, check_regex

BOB = Source(1, SourceKind.PROFILE, "bob")
START = 1_700_000_000.0
STAMP = datetime.fromtimestamp(START + 5, UTC)


def post(text: str = "hello", **fields: object) -> FeedItem:
    return FeedItem(Post(id="p1", kind=MediaKind.TEXT, text=text, timestamp=STAMP, **fields))  # type: ignore[arg-type]


def sub(settings: FeedSettings, sub_id: int = 1) -> Subscription:
    destination = Destination("telegram", str(10 * sub_id))
    return Subscription(sub_id, BOB, destination, "chat", started_at=START, settings=settings)


def outcome(item: FeedItem, settings: FeedSettings) -> str | None:
    """None: delivered; else the recorded reason."""
    (owed,) = fan_out([item], [sub(settings)])
    return owed.filtered


def test_no_settings_lets_everything_through() -> None:
    assert outcome(post("anything"), FeedSettings()) is None


def test_exclude_matches_whole_words_in_any_case() -> None:
    settings = FeedSettings(exclude=("spam", "ads"))
    assert outcome(post("Buy now! SPAM inside"), settings) == "contains the excluded word “spam”"
    assert outcome(post("Ads, everywhere"), settings) == "contains the excluded word “ads”"
    # Part of a word is not the word.
    assert outcome(post("spammer loads of roads"), settings) is None


def test_include_needs_one_of_the_words() -> None:
    settings = FeedSettings(include=("release", "launch"))
    assert outcome(post("The LAUNCH is today"), settings) is None
    assert (
        outcome(post("releases are weekly"), settings)
        == "has none of the words “release”, “launch”"
    )


def test_a_phrase_is_a_whole_word_sequence() -> None:
    settings = FeedSettings(include=("new feature",))
    assert outcome(post("A new feature!"), settings) is None
    assert outcome(post("a renew featured"), settings) is not None


def test_regex_must_match() -> None:
    settings = FeedSettings(regex=r"v\d+\.\d+")
    assert outcome(post("shipping v2.1 now"), settings) is None
    assert (
        outcome(post("shipping soon"), settings)
        == r"does not match the regular expression v\d+\.\d+"
    )


def test_kinds_switched_off() -> None:
    reply = post("yes", is_reply=True, replied_to_id="r")
    quote = post("look", quoted_post_id="q")
    repost = FeedItem(
        Post(id="p2", kind=MediaKind.REPOST, timestamp=STAMP, reposted_post_id="o"),
        related=Post(id="o", kind=MediaKind.TEXT, text="original"),
    )
    assert outcome(reply, FeedSettings(replies=False)) == "replies are off"
    assert outcome(quote, FeedSettings(quotes=False)) == "quotes are off"
    assert outcome(repost, FeedSettings(reposts=False)) == "reposts are off"
    # Each switch only its own kind.
    assert outcome(post("plain"), FeedSettings(replies=False, quotes=False, reposts=False)) is None
    assert outcome(quote, FeedSettings(replies=False)) is None


def test_media_only() -> None:
    photo = post("pic", media=(Media(MediaKind.IMAGE, "https://cdn.example/1.jpg"),))
    settings = FeedSettings(media_only=True)
    assert outcome(photo, settings) is None
    assert outcome(post("words only"), settings) == "media only: the post has no image or video"


def test_a_repost_is_filtered_on_what_it_reposts() -> None:
    repost = FeedItem(
        Post(id="p2", kind=MediaKind.REPOST, timestamp=STAMP, reposted_post_id="o"),
        related=Post(id="o", kind=MediaKind.TEXT, text="buy spam"),
    )
    assert outcome(repost, FeedSettings(exclude=("spam",))) == "contains the excluded word “spam”"


def test_each_subscription_has_its_own_filters() -> None:
    item = post("spam again")
    owed = fan_out([item], [sub(FeedSettings(exclude=("spam",)), 1), sub(FeedSettings(), 2)])
    assert [(o.destination.chat_id, o.filtered) for o in owed] == [
        ("10", "contains the excluded word “spam”"),
        ("20", None),
    ]
    assert all(isinstance(o, Owed) for o in owed)


@pytest.mark.parametrize("pattern", [r"(a)\1", r"foo(?=bar)", r"(?<!x)y"])
def test_patterns_the_linear_engine_cannot_run_are_refused_in_words(pattern: str) -> None:
    with pytest.raises(FilterError, match="backreferences and lookahead/lookbehind"):
        check_regex(pattern)
