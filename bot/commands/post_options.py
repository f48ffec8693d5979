"""Options a publishing command takes before its text: `replies:followers link:URL long:chain`.

Leading `key:value` words are options (a text that must start with one can be preceded by a
space-free `--`); `||spoiler||` marks anywhere in the text hide that part on Threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.threads.spoilers import mark_spoilers

# What people type -> Threads' reply_control value.
REPLIES = {
    "everyone": "everyone",
    "following": "accounts_you_follow",
    "mentioned": "mentioned_only",
    "followers": "followers_only",
    "author": "parent_post_author_only",
}
LONG_TEXT = ("chain", "attachment")
OPTIONS_HELP = (
    "Options before the text: replies:everyone|following|mentioned|followers|author (who may "
    "reply), link:URL (a link preview), long:chain|attachment (how text over 500 characters "
    "goes); ||text|| is a spoiler."
)


class OptionError(Exception):
    """An option with a value it cannot take: the message says which values it can."""


@dataclass(frozen=True, slots=True)
class PostOptions:
    text: str  # without the options, spoilers marked (bot/threads/spoilers.py)
    reply_control: str | None = None
    link: str | None = None
    long_text: str | None = None  # None: [publishing] long_text
    topic_tag: str | None = None  # None: the text's first #tag (a cross-post's may be set)


def parse_post_options(args: str) -> PostOptions:
    words = args.strip().split(" ")
    options: dict[str, str] = {}
    while words:
        key, colon, value = words[0].partition(":")
        if words[0] == "--":
            words.pop(0)
            break
        if not colon or key.lower() not in ("replies", "link", "long") or not value:
            break
        if key.lower() == "link" and not value.startswith("//") and "://" not in words[0]:
            break  # "link:" followed by something that is no URL is text
        options[key.lower()] = value
        words.pop(0)
    text = mark_spoilers(" ".join(words).strip())
    return PostOptions(
        text=text,
        reply_control=_replies(options.get("replies")),
        link=_link(options.get("link")),
        long_text=_long(options.get("long")),
    )


def _replies(value: str | None) -> str | None:
    if value is None:
        return None
    control = REPLIES.get(value.lower())
    if control is None:
        raise OptionError(f"replies: takes {', '.join(REPLIES)}, not {value!r}.")
    return control


def _link(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OptionError(f"link: takes a web address (https://...), not {value!r}.")
    return value


def _long(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() not in LONG_TEXT:
        raise OptionError(f"long: takes chain or attachment, not {value!r}.")
    return value.lower()
