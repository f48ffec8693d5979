"""Search watches: `/watch "some words"` and `/watch #tag` as typed, and as a source's key.

A search source's key says what `keyword_search` is asked: `words:some words` (search_mode
KEYWORD) or `tag:threads` (search_mode TAG), lower case, spaces collapsed, so the same search
typed twice is one source however it was spelt. Pure: no I/O, nothing from the rest of bot/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Meta's topic tags: 1 to 50 characters, no periods or ampersands (posts' topic_tag rules).
TAG_MAX = 50
TAG_FORBIDDEN = ".&"
# Meta gives no limit for `q`; a sentence is a search, a paragraph is a mistake.
WORDS_MAX = 100
# Quotes as phones type them, too.
_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "'": "'"}
_WORDS_PREFIX = "words:"
_TAG_PREFIX = "tag:"


class SearchRefused(ValueError):
    """A search as typed that cannot be watched; the message says why, in words."""


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What a search watch asks Threads: some words, or one topic tag."""

    mode: Literal["KEYWORD", "TAG"]
    text: str  # the words, or the tag without its #

    @property
    def key(self) -> str:
        return (_TAG_PREFIX if self.mode == "TAG" else _WORDS_PREFIX) + self.text

    def __str__(self) -> str:
        """As a person types it: `"some words"` or `#tag`."""
        return f"#{self.text}" if self.mode == "TAG" else f'"{self.text}"'

    @classmethod
    def from_key(cls, key: str) -> SearchQuery:
        if key.startswith(_TAG_PREFIX):
            return cls("TAG", key.removeprefix(_TAG_PREFIX))
        return cls("KEYWORD", key.removeprefix(_WORDS_PREFIX))


def parse_search(args: str) -> SearchQuery | None:
    """The search in a command's arguments: `"some words"` or `#tag`; None when the
    arguments are no search (a username). SearchRefused when they are one that Threads
    would not take."""
    text = args.strip()
    if text.startswith("#"):
        return SearchQuery("TAG", _tag(text[1:]))
    closing = _QUOTES.get(text[:1])
    if closing is None:
        return None
    if len(text) < 2 or not text.endswith((closing, '"')):
        raise SearchRefused("Close the quotes around the words to search for.")
    words = " ".join(text[1:-1].split()).lower()
    if not words:
        raise SearchRefused("Put some words between the quotes.")
    if len(words) > WORDS_MAX:
        raise SearchRefused(f"A search can be at most {WORDS_MAX} characters long.")
    return SearchQuery("KEYWORD", words)


def _tag(tag: str) -> str:
    tag = tag.strip().lower()
    if not tag or any(c.isspace() for c in tag):
        raise SearchRefused("A topic tag is one word after the #, like #threads.")
    if len(tag) > TAG_MAX:
        raise SearchRefused(f"A topic tag has at most {TAG_MAX} characters.")
    if any(c in TAG_FORBIDDEN for c in tag):
        raise SearchRefused("A topic tag cannot contain a period (.) or an ampersand (&).")
    return tag


def search_label(key: str) -> str:
    """A search source as people typed it, for /list, /status and the logs."""
    return str(SearchQuery.from_key(key))
