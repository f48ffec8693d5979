"""A feed item as neutral parts a person reads: who, what it relates to, text, media, link.

Adapters turn a PostView into their platform's message (escaped HTML for Telegram, embeds for
Discord, plain lines for the console); the wording lives here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from bot.events import FeedItem, Media, MediaKind, Poll, Post, Profile
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
    spoilers: tuple[tuple[int, int], ...] = ()  # hidden ranges of `text` (offset, length)
    spoiler_media: bool = False  # the images and videos are hidden until clicked
    body: str | None = None  # a text attachment: the long-form text under `text`
    poll: Poll | None = None
    gif_url: str | None = None
    topic_tag: str | None = None
    link_url: str | None = None  # a link attachment: shown as a preview
    ghost_expires_at: datetime | None = None  # a ghost post: removed from the chat then

    @property
    def other_media(self) -> tuple[Media, ...]:
        """Audio and media of types the bridge cannot show: sent as links."""
        return tuple(
            m for m in self.media if m.url and m.kind not in (MediaKind.IMAGE, MediaKind.VIDEO)
        )


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
        spoilers=_inside(content.spoilers, len(content.text)),
        spoiler_media=content.is_spoiler_media,
        body=content.text_attachment,
        poll=content.poll,
        gif_url=content.gif_url,
        topic_tag=content.topic_tag,
        link_url=content.link_attachment_url,
        ghost_expires_at=post.ghost_expires_at,
    )


def _inside(ranges: tuple[tuple[int, int], ...], size: int) -> tuple[tuple[int, int], ...]:
    """The ranges cut to the text and without overlaps (Graph's offsets are trusted least)."""
    kept: list[tuple[int, int]] = []
    end = 0
    for offset, length in sorted(ranges):
        start, stop = max(offset, end), min(offset + length, size)
        if stop > start:
            kept.append((start, stop - start))
            end = stop
    return tuple(kept)


def with_marks(text: str, ranges: tuple[tuple[int, int], ...], opening: str, closing: str) -> str:
    """`text` with `opening` and `closing` around each (offset, length) range."""
    out, at = [], 0
    for offset, length in ranges:
        out += [text[at:offset], opening, text[offset : offset + length], closing]
        at = offset + length
    out.append(text[at:])
    return "".join(out)


def poll_lines(poll: Poll) -> list[str]:
    """`📊 Poll` and one line per option; with the shares once anyone has voted."""
    voted = bool(poll.total_votes)
    lines = ["📊 Poll"]
    for index, option in enumerate(poll.options):
        share = poll.percentages[index] if index < len(poll.percentages) else None
        if voted and share is not None:
            lines.append(f"▫️ {option}: {round(share * 100)}%")
        else:
            lines.append(f"▫️ {option}")
    if voted:
        votes = poll.total_votes or 0
        lines.append(f"{votes:,} vote{'s' if votes != 1 else ''}")
    return lines


def topic_line(tag: str) -> str:
    return f"🏷️ {tag}"


def ghost_line(expires_at: datetime) -> str:
    """The mark of a ghost post (the Discord adapter shows the time in each reader's zone)."""
    return f"👻 Ghost post: disappears {expires_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


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
    return {MediaKind.VIDEO: "video", MediaKind.IMAGE: "image", MediaKind.AUDIO: "audio"}.get(
        media.kind, "media"
    )
