"""The demo terminal's plain lines for the newer post types (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console_adapter import render_text
from bot.events import Poll, Profile
from tests.feed_items import feed_item, images


def test_the_terminal_marks_what_it_cannot_hide_and_lists_the_rest() -> None:
    shown = render_text(
        feed_item(
            Profile("1", "bob", name="Bob"),
            "the butler did it",
            images(1),
            spoilers=((4, 6),),
            is_spoiler_media=True,
            topic_tag="Crime",
            poll=Poll(("Yes", "No"), (0.5, 0.5), 2),
            ghost_expires_at=datetime(2026, 5, 2, 12, 0, tzinfo=UTC),
        )
    ).splitlines()
    assert shown[:4] == [
        "Bob (@bob)",
        "  🏷️ Crime",
        "  👻 Ghost post: disappears 2026-05-02 12:00 UTC",
        "the [spoiler: butler] did it",
    ]
    assert shown[4:8] == ["📊 Poll", "▫️ Yes: 50%", "▫️ No: 50%", "2 votes"]
    assert shown[8] == "[spoiler image] https://cdn.example/0.jpg"
