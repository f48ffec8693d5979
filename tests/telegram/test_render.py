"""Telegram rendering (pure): escaping, captions that overflow, media groups, context lines."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

from adapters.telegram.render import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    WORD_JOINER,
    _header,
    render_item,
    unmention,
    utf16_length,
)
from bot.events import FeedItem, Media, MediaKind, Post, Profile
from bot.render import Relation, view_of
from tests.feed_items import feed_item, images

BOB = Profile("1", "bob", name="Bob <B>")


def visible(html: str) -> str:
    """What a person reads (the word joiners that defuse @names are invisible)."""
    return unescape(re.sub(r"<[^>]+>", "", html)).replace(WORD_JOINER, "")


def visible_links(html: str) -> str:
    return html.replace(WORD_JOINER, "")


def item(text: str = "hello", media: tuple[Media, ...] = (), **post: object) -> FeedItem:
    return feed_item(BOB, text, media, **post)


def test_text_is_escaped_and_names_author_and_link() -> None:
    (message,) = render_item(item("<b>@everyone</b> & friends"))
    assert message.kind == "text"
    assert f"&lt;b&gt;@{WORD_JOINER}everyone&lt;/b&gt; &amp; friends" in message.html
    assert visible(message.html).splitlines()[0] == "Bob <B> (@bob)"
    assert "<b>@everyone</b> & friends" in visible(message.html)
    assert '<a href="https://www.threads.com/@bob/post/AbC">Open on Threads</a>' in message.html


def test_long_text_continues_in_more_messages() -> None:
    text = " ".join(["word"] * 2000)  # ~10,000 characters
    messages = render_item(item(text))
    assert len(messages) == 3
    assert all(utf16_length(visible(m.html)) <= MESSAGE_LIMIT for m in messages)
    body = " ".join(visible(m.html) for m in messages)
    assert body.count("word") == 2000
    assert "Open on Threads" in messages[-1].html and "Open on Threads" not in messages[0].html


def test_photo_caption_overflow_continues_below() -> None:
    text = "é🙂 " * 400  # 1,200 characters, 1,600 UTF-16 units
    photo, *rest = render_item(item(text, images(1), kind=MediaKind.IMAGE))
    assert (photo.kind, photo.media) == ("photo", (("photo", "https://cdn.example/0.jpg"),))
    assert utf16_length(visible(photo.html)) <= CAPTION_LIMIT
    assert [m.kind for m in rest] == ["text"]
    assert "Open on Threads" in rest[0].html
    together = visible(photo.html) + " " + visible(rest[0].html)
    assert together.count("🙂") == 400


def test_carousel_goes_in_groups_of_ten_with_the_caption_first() -> None:
    messages = render_item(item("album", images(12), kind=MediaKind.CAROUSEL))
    assert [(m.kind, len(m.media)) for m in messages] == [("media_group", 10), ("media_group", 2)]
    assert "album" in messages[0].html and messages[1].html == ""


def test_video_is_sent_as_video() -> None:
    (message,) = render_item(
        item("clip", (Media(MediaKind.VIDEO, "https://cdn.example/v.mp4"),), kind=MediaKind.VIDEO)
    )
    assert message.kind == "video"
    assert 'href="https://cdn.example/v.mp4">Video</a>' in message.fallback_html


def test_quote_repost_and_reply_say_what_they_relate_to() -> None:
    original = Post(
        id="1",
        kind=MediaKind.TEXT,
        text="the original thought",
        username="carol",
        permalink="https://www.threads.com/@carol/post/X",
    )
    quote = FeedItem(
        Post(id="2", kind=MediaKind.TEXT, text="so true", username="bob", quoted_post_id="1"),
        BOB,
        original,
    )
    repost = FeedItem(
        Post(id="3", kind=MediaKind.REPOST, username="bob", reposted_post_id="1"), BOB, original
    )
    reply = FeedItem(
        Post(
            id="4",
            kind=MediaKind.TEXT,
            text="agreed",
            username="bob",
            is_reply=True,
            replied_to_id="1",
        ),
        BOB,
        original,
    )

    quote_html = render_item(quote)[0].html
    repost_html = render_item(repost)[0].html
    reply_html = render_item(reply)[0].html

    assert '<a href="https://www.threads.com/@carol/post/X">Quoting @carol</a>' in visible_links(
        quote_html
    )
    assert "the original thought" in quote_html
    assert "Reposted from @carol" in visible(repost_html) and "the original thought" in repost_html
    assert "Open on Threads" in repost_html and "@carol/post/X" in repost_html
    assert (
        '<a href="https://www.threads.com/@carol/post/X">Replying to @carol</a>: '
        "“the original thought”" in visible_links(reply_html)
    )


def test_a_reply_opens_with_the_first_words_of_what_it_answers() -> None:
    parent = Post(
        id="1",
        kind=MediaKind.TEXT,
        text="So here is a rather long question about <b>markup</b> and @dave, which goes on "
        "and on past what a context line holds",
        username="alice",
        permalink="https://www.threads.com/@alice/post/P",
    )
    reply = FeedItem(
        Post(id="2", kind=MediaKind.TEXT, text="yes", username="bob", replied_to_id="1"),
        None,
        parent,
    )
    html = render_item(reply)[0].html
    assert "&lt;b&gt;markup&lt;/b&gt; and @\u2060dave" in html  # escaped, and pings nobody
    assert visible(html).splitlines()[1] == (
        "↩️ Replying to @alice: “So here is a rather long question about <b>markup</b> "
        "and @dave, which…”"
    )


def test_at_names_are_defused_but_links_and_addresses_kept() -> None:
    wj = WORD_JOINER
    assert unmention("ping @someone, (@x_y) @@bob") == f"ping @{wj}someone, (@{wj}x_y) @@{wj}bob"
    kept = "mail me@example.com or see https://www.threads.com/@bob/post/X and www.x.io/@a"
    assert unmention(kept) == kept
    assert unmention("@ alone") == "@ alone"


def test_the_icon_follows_the_relation_not_the_wording_of_the_context_line() -> None:
    # The renderer switches on PostView.relation; reworded (or translated) context lines
    # keep their icon.
    original = Post(id="1", kind=MediaKind.TEXT, text="x", username="carol")
    reply = FeedItem(
        Post(id="4", kind=MediaKind.TEXT, text="agreed", username="bob", is_reply=True),
        BOB,
        original,
    )
    view = view_of(reply)
    assert view.relation is Relation.REPLY
    assert visible(_header(replace(view, context="Antwort an @carol"))).splitlines()[1] == (
        "↩️ Antwort an @carol: “x”"
    )
    for relation, icon in [(Relation.QUOTE, "💬"), (Relation.REPOST, "🔁")]:
        header = _header(replace(view, relation=relation))
        assert visible(header).splitlines()[1] == f"{icon} Replying to @carol: “x”"
