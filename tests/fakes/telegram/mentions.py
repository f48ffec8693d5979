"""The mentions Telegram finds by itself in a message's text, as tdlib does.

Whatever the parse mode, Telegram turns `@username` into a "mention" entity (and notifies that
user) when: the `@` does not follow a word character, 2-32 of [A-Za-z0-9_] follow it, and no
word character follows them. Usernames under five characters exist only for a few reserved
names, so they are left out here. A mention inside code, a pre block, a link or a URL is not
one: those entities win over it.
"""

from __future__ import annotations

import re
from typing import Any

_CANDIDATE = re.compile(r"@([A-Za-z0-9_]{2,32})")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SHADOWING = frozenset({"code", "pre", "text_link", "text_mention", "custom_emoji"})
MIN_USERNAME = 5


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _is_word_character(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_mentions(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The "mention" entities Telegram adds to `text` beside the given `entities`."""
    shadowed = [
        (e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in _SHADOWING
    ]
    shadowed += [
        (utf16_len(text[: m.start()]), utf16_len(text[: m.end()])) for m in _URL.finditer(text)
    ]
    found: list[dict[str, Any]] = []
    for match in _CANDIDATE.finditer(text):
        start, end = match.span()
        if start > 0 and _is_word_character(text[start - 1]):
            continue
        if end < len(text) and _is_word_character(text[end]):
            continue
        if len(match.group(1)) < MIN_USERNAME:
            continue
        offset, length = utf16_len(text[:start]), utf16_len(match.group(0))
        if any(offset < stop and begin < offset + length for begin, stop in shadowed):
            continue
        found.append({"type": "mention", "offset": offset, "length": length})
    return found
