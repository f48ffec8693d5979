"""Message templates (pure): refused with the placeholder named, worded per post, and no
template renders exactly what each platform rendered before."""

from __future__ import annotations

from dataclasses import replace

import pytest

from adapters.discord import render as discord_render
from adapters.telegram import render as telegram_render
from bot.events import FeedItem, MediaKind, Post, Profile
from bot.templates import DEFAULT_TEMPLATES, TemplateError, apply_template, check_template
from tests.feed_items import feed_item, images

BOB = Profile("1", "bob", name="Bob B.")


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("{txt} by {author}", "{txt}"),
        ("{} now", "{}"),
        ("{0}", "{0}"),
        ("{text.upper}", "{text.upper}"),
        ("{text[0]}", "{text[0]}"),
    ],
)
def test_an_unknown_placeholder_is_refused_by_name(template: str, named: str) -> None:
    with pytest.raises(TemplateError, match=r"unknown placeholder") as refused:
        check_template(template)
    assert named in str(refused.value)
    assert "{author}" in str(refused.value)  # and what there is instead


def test_unmatched_braces_and_conversions_are_refused() -> None:
    with pytest.raises(TemplateError, match="cannot be read"):
        check_template("{text")
    with pytest.raises(TemplateError, match="no conversion"):
        check_template("{text!r}")


def test_every_placeholder_is_filled() -> None:
    template = "{author} {username} {text} {link} {time} {topic} {media_count}"
    check_template(template)
    item = feed_item(BOB, "hi there", images(2), topic_tag="News")
    worded = apply_template(item, template)
    assert worded.post.text == (
        "Bob B. @bob hi there https://www.threads.com/@bob/post/AbC 2026-05-01 12:00 UTC #News 2"
    )


def test_a_repost_words_the_reposted_text() -> None:
    original = Post(id="o", kind=MediaKind.TEXT, text="original", username="carol")
    repost = FeedItem(
        Post(id="r", kind=MediaKind.REPOST, username="bob", reposted_post_id="o"),
        BOB,
        related=original,
    )
    worded = apply_template(repost, "🔁 {text}")
    assert worded.related is not None and worded.related.text == "🔁 original"


@pytest.mark.parametrize("template", [None, DEFAULT_TEMPLATES["telegram"]])
def test_the_default_renders_as_before_on_every_platform(template: str | None) -> None:
    for item in (feed_item(BOB, "<b>hi</b> @all"), feed_item(BOB, "x" * 5000, images(3))):
        assert telegram_render.render_item(apply_template(item, template)) == (
            telegram_render.render_item(item)
        )
        before, after = (
            discord_render.render_item(i) for i in (item, apply_template(item, template))
        )
        assert [e.to_dict() for e in after.embeds] == [e.to_dict() for e in before.embeds]
        assert replace(after, embeds=()) == replace(before, embeds=())
    assert DEFAULT_TEMPLATES["discord"] == "{text}"


def test_what_a_template_adds_is_escaped_like_the_text() -> None:
    item = feed_item(BOB, "<b>bold?</b>")
    (message,) = telegram_render.render_item(apply_template(item, "{text} <i>— {author}</i>"))
    assert "&lt;b&gt;bold?&lt;/b&gt; &lt;i&gt;— Bob B.&lt;/i&gt;" in message.html
