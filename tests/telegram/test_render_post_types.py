"""Telegram rendering of modern post types (pure): what a person sees of a text attachment,
spoilers, a poll and its results, a GIF, a topic tag, a link attachment, a ghost post, audio
and media types the bridge does not know."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

from adapters.telegram.render import MESSAGE_LIMIT, WORD_JOINER, render_item, utf16_length
from bot.events import FeedItem, Media, MediaKind, Poll, Profile
from tests.feed_items import feed_item, images

BOB = Profile("1", "bob", name="Bob")


def visible(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace(WORD_JOINER, "")


def item(text: str = "hello", media: tuple[Media, ...] = (), **post: object) -> FeedItem:
    return feed_item(BOB, text, media, **post)


def test_a_text_attachment_is_delivered_whole_across_messages() -> None:
    body = "".join(f"Sentence {n} of the long story. " for n in range(400))  # ~12,800
    parts = render_item(item("Read this", text_attachment=body))
    assert len(parts) >= 3
    assert all(p.kind == "text" for p in parts)
    assert all(utf16_length(visible(p.html)) <= MESSAGE_LIMIT for p in parts)
    seen = " ".join(visible(p.html) for p in parts)
    assert "Read this" in visible(parts[0].html)
    for n in (0, 199, 399):  # the start, the middle and the end of the body all arrive
        assert f"Sentence {n} of the long story." in seen
    assert "Open on Threads" in visible(parts[-1].html)


def test_a_short_text_attachment_is_folded_in_an_expandable_block() -> None:
    (message,) = render_item(item("Read this", text_attachment="The <whole> story."))
    assert "<blockquote expandable>The &lt;whole&gt; story.</blockquote>" in message.html
    assert visible(message.html).splitlines()[2:5] == ["Read this", "", "The <whole> story."]


def test_spoiler_ranges_become_telegram_spoilers_and_survive_mentions() -> None:
    (message,) = render_item(item("@ann: the butler did it!", spoilers=((10, 6),)))
    assert "<tg-spoiler>butler</tg-spoiler>" in message.html
    assert visible(message.html).endswith("@ann: the butler did it!\n\nOpen on Threads")


def test_a_spoiler_cut_between_messages_stays_hidden_in_both() -> None:
    text = "a " * 2100 + "end"
    parts = render_item(item(text, spoilers=((4000, 203),)))
    assert len(parts) == 2
    assert parts[0].html.count("<tg-spoiler>") == parts[0].html.count("</tg-spoiler>") == 1
    assert parts[1].html.startswith("<tg-spoiler>")


def test_spoiler_media_is_sent_with_has_spoiler() -> None:
    (album,) = render_item(item("look", images(3), is_spoiler_media=True))
    assert album.kind == "media_group" and album.spoiler
    (photo,) = render_item(item("look", images(1), is_spoiler_media=True))
    assert photo.kind == "photo" and photo.spoiler
    (plain,) = render_item(item("look", images(1)))
    assert not plain.spoiler


def test_a_poll_shows_its_options_then_its_results() -> None:
    fresh = Poll(("Tea", "Coffee"), (0.0, 0.0), total_votes=0)
    (message,) = render_item(item("Tea or coffee?", poll=fresh))
    assert "📊 Poll\n▫️ Tea\n▫️ Coffee" in visible(message.html)
    assert "vote" not in visible(message.html)
    read_later = Poll(("Tea", "Coffee"), (0.25, 0.75), total_votes=4)
    (message,) = render_item(item("Tea or coffee?", poll=read_later))
    assert "▫️ Tea: 25%\n▫️ Coffee: 75%\n4 votes" in visible(message.html)


def test_gif_topic_tag_and_link_attachment() -> None:
    gif = "https://media.giphy.com/media/abc/giphy.gif"
    (message,) = render_item(item("mood", gif_url=gif, topic_tag="Cats"))
    lines = visible(message.html).splitlines()
    assert lines[:2] == ["Bob (@bob)", "🏷️ Cats"]
    assert f'<a href="{gif}">GIF</a>' in message.html
    assert message.preview_url == gif  # Telegram shows the animation in the preview

    link = "https://example.com/story"
    (message,) = render_item(item("a story", link_attachment_url=link))
    assert f"🔗 {link}" in visible(message.html)
    assert message.preview_url == link


def test_a_ghost_post_is_marked() -> None:
    expires = datetime(2026, 5, 2, 12, 0, tzinfo=UTC)
    (message,) = render_item(item("gone soon", ghost_expires_at=expires))
    assert "👻 Ghost post: disappears 2026-05-02 12:00 UTC" in visible(message.html)


def test_audio_and_unknown_media_are_links_never_a_crash() -> None:
    audio = Media(MediaKind.AUDIO, "https://cdn.example/a.m4a")
    (message,) = render_item(item("listen", (audio,), kind=MediaKind.AUDIO))
    assert message.kind == "text"
    assert '🎵 <a href="https://cdn.example/a.m4a">Audio</a>' in message.html
    other = Media(MediaKind.OTHER, "https://cdn.example/h")
    (message,) = render_item(item("", (other,), kind=MediaKind.OTHER))
    assert '📎 <a href="https://cdn.example/h">Media</a>' in message.html
