"""adapters/telegram/crossposting.py's pure part from raw Bot API channel posts, read by
python-telegram-bot itself: formatting reduced to plain text with the links kept."""

from __future__ import annotations

from typing import Any

from telegram import Bot, Message, Update

from adapters.telegram.crossposting import source_message_of
from bot.events import ChatUser

BOT = Bot("123:abc")
CHANNEL = {"id": -1002000000002, "type": "channel", "title": "News", "username": "news"}


def channel_post(text: str, entities: list[dict[str, Any]], **extra: Any) -> Message:
    payload = {
        "message_id": 7,
        "date": 1_800_000_000,
        "chat": CHANNEL,
        "sender_chat": CHANNEL,
        "text": text,
        "entities": entities,
        **extra,
    }
    update = Update.de_json({"update_id": 1, "channel_post": payload}, BOT)
    assert update is not None and update.channel_post is not None
    return update.channel_post


def test_links_under_words_are_kept_and_bold_drops_away() -> None:
    text = "Read the notes and the blog"
    message = channel_post(
        text,
        [
            {"type": "bold", "offset": 0, "length": 4},
            {"type": "text_link", "offset": 9, "length": 5, "url": "https://example.com/n"},
            {"type": "text_link", "offset": 23, "length": 4, "url": "https://blog.example"},
        ],
    )
    source = source_message_of(message)
    assert source.text == (
        "Read the notes (https://example.com/n) and the blog (https://blog.example)"
    )
    assert (source.author, source.message_id) == (ChatUser(str(CHANNEL["id"]), "News"), "7")


def test_offsets_count_utf16_units_and_spoilers_are_marked() -> None:
    # 🎉 is two UTF-16 units: the link starts at 3, not 2.
    message = channel_post(
        "🎉 see this, secret",
        [
            {"type": "text_link", "offset": 7, "length": 4, "url": "https://x.example"},
            {"type": "spoiler", "offset": 13, "length": 6},
        ],
    )
    assert source_message_of(message).text == "🎉 see this (https://x.example), ||secret||"


def test_a_link_showing_its_own_address_is_not_repeated() -> None:
    url = "https://example.com"
    message = channel_post(
        f"at {url}", [{"type": "text_link", "offset": 3, "length": len(url), "url": url}]
    )
    assert source_message_of(message).text == f"at {url}"
