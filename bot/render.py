"""A feed item as neutral parts a person reads: who, what it relates to, text, media, link.

Adapters turn a PostView into their platform's message (escaped HTML for Telegram, embeds for
Discord, plain lines for the console); the wording lives here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.events import FeedItem, Media, MediaKind, Post, Profile
from bot.links import profile_url


class Relation(StrEnum):
    """How a feed item relates to another post, so a renderer picks its icon without parsing
    the English `context` line."""

    NONE = "none"
    REPLY = "reply"
    QUOTE = "quote"
    REPOST = "repost"


@dataclass(frozen=True, slots=True)
class PostView:
    author_name: str  # display name, or @username when there is none
    username: str | None
    author_url: str | None
    author_picture_url: str | None
    context: str | None  # "Replying to @bob", "Quoting @bob", "Reposted from @bob"
    context_url: str | None  # the related post's permalink
    relation: Relation  # what `context` says, for renderers
    text: str
    media: tuple[Media, ...]
    permalink: str | None
    quoted_text: str | None = None  # an excerpt of what a quote quotes
    replied_text: str | None = None  # the first words of what a reply answers


def view_of(item: FeedItem) -> PostView:
    post = item.post
    author = item.author
    username = post.username or (author.username if author else None)
    name = (author.name if author and author.name else None) or (
        f"@{username}" if username else "Threads"
    )
    related = item.related
    content = post
    context = None
    relation = Relation.NONE
    quoted_text = None
    replied_text = None
    if post.is_repost:
        context = f"Reposted from {_who(related)}"
        relation = Relation.REPOST
        content = related or post  # a repost has no content of its own
    elif post.is_quote:
        context = f"Quoting {_who(related)}"
        relation = Relation.QUOTE
        quoted_text = excerpt(related.text, 200) if related and related.text else None
    elif post.is_reply or post.replied_to_id:
        context = f"Replying to {_who(related)}"
        relation = Relation.REPLY
        replied_text = first_words(related.text) if related and related.text else None
    return PostView(
        author_name=name,
        username=username,
        author_url=profile_url(username) if username else None,
        author_picture_url=(author.picture_url if author else None) or post.author_picture_url,
        context=context,
        context_url=related.permalink if related else None,
        relation=relation,
        text=content.text,
        media=content.media,
        permalink=(content.permalink if post.is_repost else None) or post.permalink,
        quoted_text=quoted_text,
        replied_text=replied_text,
    )


def profile_title(profile: Profile) -> str:
    """`Bob B. (@bob)`, or `@bob` when there is no other name."""
    handle = f"@{profile.username}"
    if profile.name and profile.name != profile.username:
        return f"{profile.name} ({handle})"
    return handle


def _who(related: Post | None) -> str:
    if related is None:
        return "a post"
    return f"@{related.username}" if related.username else "a post"


def excerpt(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def first_words(text: str, words: int = 12, limit: int = 80) -> str:
    """The opening of `text` for a context line: its first `words` words, within `limit`
    characters, with an ellipsis when anything was left out."""
    every = text.split()
    head = " ".join(every[:words])
    if len(head) > limit:
        return excerpt(head, limit)
    return head + ("…" if len(every) > words else "")


def media_label(media: Media) -> str:
    return {MediaKind.VIDEO: "video", MediaKind.IMAGE: "image"}.get(media.kind, "media")
