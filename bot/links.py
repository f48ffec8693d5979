"""Threads usernames and post links as people type them in chat."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

PROFILE_BASE = "https://www.threads.com"
_USERNAME = re.compile(r"[A-Za-z0-9._]{1,30}")
_PROFILE_URL = re.compile(
    r"https?://(?:www\.)?threads\.(?:com|net)/@(?P<user>[A-Za-z0-9._]{1,30})/?(?:[?#].*)?$"
)
_POST_URL = re.compile(
    r"https?://(?:www\.)?threads\.(?:com|net)/@(?P<user>[A-Za-z0-9._]{1,30})/post/"
    r"(?P<code>[A-Za-z0-9_-]+)/?(?:[?#].*)?$"
)


@dataclass(frozen=True, slots=True)
class PostLink:
    username: str | None
    shortcode: str | None = None
    media_id: str | None = None


def parse_username(text: str) -> str | None:
    """`bob`, `@bob` or a profile URL -> `bob` (lower case); None if it cannot be one."""
    text = text.strip()
    match = _PROFILE_URL.match(text)
    if match:
        return match.group("user").lower()
    text = text.removeprefix("@")
    return text.lower() if _USERNAME.fullmatch(text) else None


def parse_post_link(text: str) -> PostLink | None:
    """A post permalink (threads.com or threads.net), or a bare numeric media id."""
    text = text.strip().strip("<>")
    match = _POST_URL.match(text)
    if match:
        return PostLink(match.group("user").lower(), shortcode=match.group("code"))
    if text.isdigit():
        return PostLink(None, media_id=text)
    return None


# A topic tag as people write it: `#` after a space or the start, up to 50 characters, none of
# them a period or an ampersand (Meta refuses those), nor space or punctuation that ends it.
_TAG_CHAR = r"[^\s#.&,;:!?()\[\]{}<>\"'`]"
_TOPIC_TAG = re.compile(rf"(?<![\w/#&])#({_TAG_CHAR}{{1,50}})(?!{_TAG_CHAR})")


def first_topic_tag(text: str) -> str | None:
    """The first `#tag` of a text, without the `#`: what Threads takes as the post's topic."""
    match = _TOPIC_TAG.search(text)
    return match.group(1) if match else None


INTENT_URL = "https://www.threads.com/intent/post"


def intent_links(permalink: str | None) -> tuple[tuple[str, str], ...]:
    """("Reply on Threads", url), ("Quote on Threads", url) for a post's permalink: Threads
    Web Intents, which open Threads for whoever clicks, as themselves (no token of ours)."""
    link = parse_post_link(permalink) if permalink else None
    if link is None or not link.shortcode:
        return ()
    code = quote(link.shortcode, safe="")
    return (
        ("Reply on Threads", f"{INTENT_URL}?reply_post_shortcode={code}"),
        ("Quote on Threads", f"{INTENT_URL}?quote_post_shortcode={code}"),
    )


def profile_url(username: str) -> str:
    return f"{PROFILE_BASE}/@{username}"


_WEBHOOK_URL = re.compile(
    r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d+)?/webhooks/"
    r"(?P<id>\d{17,20})/(?P<token>[A-Za-z0-9._-]{60,})/?$"
)


def parse_webhook_url(url: str) -> tuple[str, str] | None:
    """A Discord webhook URL -> (webhook id, token); None if it is not one."""
    match = _WEBHOOK_URL.match(url.strip())
    return (match.group("id"), match.group("token")) if match else None
