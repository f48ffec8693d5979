"""Per-subscription filters (FeedSettings): which posts a subscription lets through, and in
words why not.

Pure functions. Words match whole words in any case (a literal inside word boundaries: no
backtracking to speak of). A regular expression runs on RE2 (google-re2), whose matching time
is linear in the text, so no pattern, however catastrophic for a backtracking engine
(`(a+)+$`), can hold up the fan-out; what RE2 cannot do (backreferences, lookaround) is
refused when the pattern is set, in words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import re2

from bot.events import FeedItem, FeedSettings, MediaKind, Post

MAX_PATTERN = 500  # characters: a pattern is a setting, not a program
_MEDIA_KINDS = frozenset({MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.CAROUSEL})


class FilterError(ValueError):
    """A filter that cannot be used, in words for the person who set it."""


def check_regex(pattern: str) -> None:
    """Refuse a pattern RE2 cannot run (FilterError naming what is wrong)."""
    _compiled(pattern)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> Any:
    if len(pattern) > MAX_PATTERN:
        raise FilterError(f"the regular expression is longer than {MAX_PATTERN} characters")
    options = re2.Options()
    options.log_errors = False  # a refused pattern is answered in chat, not logged by RE2
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        why = exc.args[0] if exc.args else "refused"
        if isinstance(why, bytes):
            why = why.decode("utf-8", "replace")
        raise FilterError(
            f"the regular expression {pattern} cannot be used ({why}); backreferences and "
            "lookahead/lookbehind are not supported, so that every pattern runs in linear time"
        ) from None


@lru_cache(maxsize=1024)
def _word(word: str) -> re.Pattern[str]:
    # A literal between non-word characters: "ads" matches "Ads!" but not "loads".
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


def _content(item: FeedItem) -> Post:
    """What the filters read: a repost's reposted post (it has no content of its own)."""
    post = item.post
    return item.related if post.is_repost and item.related is not None else post


def has_media(item: FeedItem) -> bool:
    content = _content(item)
    return bool(content.media) or content.kind in _MEDIA_KINDS


def filtered_reason(item: FeedItem, settings: FeedSettings) -> str | None:
    """Why `settings` keep this post out, in words (None: it goes through). The first rule
    that refuses it is the reason."""
    post = item.post
    if not settings.reposts and post.is_repost:
        return "reposts are off"
    if not settings.quotes and post.is_quote:
        return "quotes are off"
    if not settings.replies and (post.is_reply or post.replied_to_id) and not post.is_repost:
        return "replies are off"
    if settings.media_only and not has_media(item):
        return "media only: the post has no image or video"
    text = _content(item).text or ""
    for word in settings.exclude:
        if _word(word).search(text):
            return f"contains the excluded word “{word}”"
    if settings.include and not any(_word(word).search(text) for word in settings.include):
        return "has none of the words " + ", ".join(f"“{w}”" for w in settings.include)
    if settings.regex is not None:
        try:
            pattern = _compiled(settings.regex)
        except FilterError:
            return "its regular expression cannot be used; fix it with /settings"
        if pattern.search(text) is None:
            return f"does not match the regular expression {settings.regex}"
    return None
