"""Discord rendering of modern post types (pure): what a person sees of a text attachment,
spoilers, a poll and its results, a GIF, a topic tag, a link attachment, a ghost post, audio
and media types the bridge does not know."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.discord.render import DESCRIPTION_LIMIT, render_item, render_items
from bot.events import FeedItem, Media, MediaKind, Poll, Profile
from tests.feed_items import feed_item, images

BOB = Profile("1", "bob", name="Bob")


def item(text: str = "hello", media: tuple[Media, ...] = (), **post: object) -> FeedItem:
    return feed_item(BOB, text, media, **post)


def description(message: object) -> str:
    return message.embeds[0].description or ""  # type: ignore[attr-defined]


def test_a_text_attachment_continues_in_further_messages_without_buttons() -> None:
    body = "".join(f"Sentence {n} of the long story. " for n in range(300))  # ~9,600
    first, *rest = render_items(item("Read this", text_attachment=body))
    assert len(rest) == 2
    assert all(len(description(m)) <= DESCRIPTION_LIMIT for m in (first, *rest))
    assert description(first).startswith("Read this\n\nSentence 0 of")
    assert all(m.continues and not m.actions for m in rest)
    assert not first.continues
    assert "Sentence 299 of the long story." in description(rest[-1])
    assert len(render_items(item("short", text_attachment="just a bit"))) == 1


def test_spoiler_text_uses_discord_spoiler_marks() -> None:
    assert description(render_item(item("the *butler* did it", spoilers=((4, 8),)))) == (
        "the ||\\*butler\\*|| did it"
    )


def test_a_forum_title_does_not_give_a_spoiler_away() -> None:
    message = render_item(item("the butler did it\nmore", spoilers=((4, 6),)))
    assert message.thread_name == "the (spoiler) did it"


def test_spoiler_media_are_spoiler_links_not_a_visible_image() -> None:
    message = render_item(item("look", images(2), is_spoiler_media=True))
    assert message.embeds[0].image.url is None and len(message.embeds) == 1
    assert (
        "🙈 Spoiler: ||[Image 1](https://cdn.example/0.jpg)|| · ||[Image 2](https://cdn.example/1.jpg)||"
        in description(message)
    )


def test_a_poll_shows_its_options_then_its_results() -> None:
    fresh = render_item(item("Tea or coffee?", poll=Poll(("Tea", "Coffee"), (0.0, 0.0), 0)))
    assert description(fresh).endswith("📊 Poll\n▫️ Tea\n▫️ Coffee")
    later = render_item(item("Tea or coffee?", poll=Poll(("Tea", "Coffee"), (0.25, 0.75), 4)))
    assert description(later).endswith("▫️ Tea: 25%\n▫️ Coffee: 75%\n4 votes")


def test_gif_topic_tag_link_and_ghost() -> None:
    gif = "https://media.giphy.com/media/abc/giphy.gif"
    expires = datetime(2026, 5, 2, 12, 0, tzinfo=UTC)
    message = render_item(
        item(
            "mood",
            gif_url=gif,
            topic_tag="Cats",
            link_attachment_url="https://example.com/a",
            ghost_expires_at=expires,
        )
    )
    assert message.embeds[0].image.url == gif  # Discord animates it in the embed
    when = int(expires.timestamp())
    assert description(message).splitlines()[:2] == [
        "🏷️ Cats",
        f"👻 Ghost post: disappears <t:{when}:R> (<t:{when}:f>)",
    ]
    assert description(message).endswith("🔗 https://example.com/a")


def test_audio_and_unknown_media_are_links_never_a_crash() -> None:
    audio = Media(MediaKind.AUDIO, "https://cdn.example/a.m4a")
    message = render_item(item("listen", (audio,), kind=MediaKind.AUDIO))
    assert description(message).endswith("[🎵 Audio](https://cdn.example/a.m4a)")
    other = Media(MediaKind.OTHER, "https://cdn.example/h")
    message = render_item(item("", (other,), kind=MediaKind.OTHER))
    assert description(message) == "[📎 Media](https://cdn.example/h)"
