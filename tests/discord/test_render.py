"""Discord rendering (pure): embeds, galleries, videos, context, names."""

from __future__ import annotations

from dataclasses import replace

from adapters.discord.render import _description, render_item, webhook_name
from bot.events import FeedItem, Media, MediaKind, Post, Profile
from bot.render import Relation, view_of
from tests.feed_items import WHEN, feed_item, images

BOB = Profile("1", "bob", name="Bob Builder", picture_url="https://cdn.example/bob.jpg")


def item(text: str = "hello", media: tuple[Media, ...] = (), **post: object) -> FeedItem:
    return feed_item(BOB, text, media, **post)


def test_embed_has_author_text_time_and_link() -> None:
    message = render_item(item("*not bold* @everyone"))
    (embed,) = message.embeds
    assert embed.author.name == "Bob Builder (@bob)"
    assert embed.author.url == "https://www.threads.com/@bob"
    assert embed.author.icon_url == "https://cdn.example/bob.jpg"
    assert embed.description == "\\*not bold\\* @everyone"
    assert embed.url == message.permalink == "https://www.threads.com/@bob/post/AbC"
    assert embed.timestamp == WHEN
    assert (message.username, message.avatar_url) == ("Bob Builder", BOB.picture_url)


def test_carousel_shows_four_as_a_gallery_and_links_the_rest() -> None:
    message = render_item(item("album", images(6), kind=MediaKind.CAROUSEL))
    assert [e.image.url for e in message.embeds] == [
        f"https://cdn.example/{i}.jpg" for i in range(4)
    ]
    assert {e.url for e in message.embeds} == {message.permalink}
    assert "[Image 5](https://cdn.example/4.jpg)" in (message.embeds[0].description or "")
    assert "[Image 6](https://cdn.example/5.jpg)" in (message.embeds[0].description or "")


def test_video_shows_its_thumbnail_and_a_link() -> None:
    video = Media(
        MediaKind.VIDEO, "https://cdn.example/v.mp4", thumbnail_url="https://cdn.example/t.jpg"
    )
    (embed,) = render_item(item("clip", (video,), kind=MediaKind.VIDEO)).embeds
    assert embed.image.url == "https://cdn.example/t.jpg"
    assert "[▶️ Video](https://cdn.example/v.mp4)" in (embed.description or "")


def test_forum_title_comes_from_the_text() -> None:
    assert render_item(item("First line\nsecond")).thread_name == "First line"
    assert render_item(item("x" * 300)).thread_name == "x" * 99 + "…"
    assert render_item(item("", images(1), kind=MediaKind.IMAGE)).thread_name == (
        "New post by Bob Builder"
    )


def test_quote_names_what_it_quotes() -> None:
    original = Post(
        id="1",
        kind=MediaKind.TEXT,
        text="the original",
        username="carol",
        permalink="https://www.threads.com/@carol/post/X",
    )
    quote = FeedItem(
        Post(id="2", kind=MediaKind.TEXT, text="so true", username="bob", quoted_post_id="1"),
        BOB,
        original,
    )
    (embed,) = render_item(quote).embeds
    assert (embed.description or "").startswith(
        "💬 [Quoting @carol](https://www.threads.com/@carol/post/X)\n\nso true"
    )
    assert "> the original" in (embed.description or "")


def test_webhook_names_discord_would_refuse_are_broken_up() -> None:
    assert webhook_name("Discord Fans") == "D\u200biscord Fans"
    assert webhook_name("clyde") == "c\u200blyde"
    assert webhook_name("") == "Threads"


def test_the_icon_follows_the_relation_not_the_wording_of_the_context_line() -> None:
    original = Post(id="1", kind=MediaKind.TEXT, text="x", username="carol")
    repost = FeedItem(
        Post(id="3", kind=MediaKind.REPOST, username="bob", reposted_post_id="1"), BOB, original
    )
    view = view_of(repost)
    assert view.relation is Relation.REPOST
    reworded = replace(view, context="Geteilt von @carol", context_url=None)
    assert _description(reworded, []).startswith("🔁 Geteilt von @carol")
    assert _description(replace(reworded, relation=Relation.REPLY), []).startswith("↩️ Geteilt")


def test_a_reply_opens_with_the_first_words_of_what_it_answers() -> None:
    parent = Post(
        id="1",
        kind=MediaKind.TEXT,
        text="What *do* you think?",
        username="alice",
        permalink="https://www.threads.com/@alice/post/P",
    )
    reply = FeedItem(
        Post(id="2", kind=MediaKind.TEXT, text="yes", username="bob", replied_to_id="1"),
        None,
        parent,
    )
    description = render_item(reply).embeds[0].description or ""
    assert description.splitlines()[0] == (
        "↩️ [Replying to @alice](https://www.threads.com/@alice/post/P): “What \\*do\\* you think?”"
    )
