"""Links and tags as people type them in chat."""

from __future__ import annotations

import pytest

from bot.links import first_topic_tag, intent_links


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Fresh loaves #Sourdough today", "Sourdough"),
        ("#first and #second", "first"),
        ("#Ünïcode_tag too", "Ünïcode_tag"),
        ("(#inparens)", "inparens"),
        ("ends a sentence #here.", "here"),
        ("no tag at all", None),
        ("a link https://example.com/#anchor is no tag", None),
        ("mail a#b is no tag", None),
        ("#" + "x" * 51, None),  # Meta takes at most 50 characters
        ("#" + "x" * 50, "x" * 50),
    ],
)
def test_the_first_topic_tag(text: str, tag: str | None) -> None:
    assert first_topic_tag(text) == tag


def test_intent_links_reply_and_quote_by_shortcode() -> None:
    assert intent_links("https://www.threads.com/@bob/post/AbC-1_x") == (
        ("Reply on Threads", "https://www.threads.com/intent/post?reply_post_shortcode=AbC-1_x"),
        ("Quote on Threads", "https://www.threads.com/intent/post?quote_post_shortcode=AbC-1_x"),
    )
    assert intent_links(None) == ()
    assert intent_links("https://www.threads.com/@bob") == ()
