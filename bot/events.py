"""Platform-neutral types shared by the core, the Threads service layer, storage and adapters.

Nothing here knows about HTTP, Discord or Telegram: these are the words the rest of the code
speaks. Threads JSON becomes these types in `bot.threads.models`; adapters render them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MediaKind(StrEnum):
    """What a Threads post is, as Threads reports it in `media_type`."""

    TEXT = "TEXT_POST"
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    CAROUSEL = "CAROUSEL_ALBUM"
    AUDIO = "AUDIO"
    REPOST = "REPOST_FACADE"


@dataclass(frozen=True, slots=True)
class Profile:
    """A Threads account: the connected one (`/me`) or a public one (`profile_lookup`)."""

    id: str | None
    username: str
    name: str | None = None
    picture_url: str | None = None
    biography: str | None = None
    is_verified: bool = False
    follower_count: int | None = None


@dataclass(frozen=True, slots=True)
class Media:
    """One image or video of a post (a carousel has several)."""

    kind: MediaKind
    url: str | None
    thumbnail_url: str | None = None
    alt_text: str | None = None


@dataclass(frozen=True, slots=True)
class Poll:
    """A poll attached to a text post."""

    options: tuple[str, ...]
    percentages: tuple[float | None, ...] = ()
    total_votes: int | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """A published Threads post, reply, quote or repost."""

    id: str
    kind: MediaKind
    text: str = ""
    username: str | None = None
    permalink: str | None = None
    shortcode: str | None = None
    timestamp: datetime | None = None
    media: tuple[Media, ...] = ()
    is_reply: bool = False
    replied_to_id: str | None = None
    root_post_id: str | None = None
    quoted_post_id: str | None = None
    reposted_post_id: str | None = None
    has_replies: bool = False
    link_attachment_url: str | None = None
    topic_tag: str | None = None
    gif_url: str | None = None
    poll: Poll | None = None
    is_spoiler_media: bool = False
    author_picture_url: str | None = None
    hide_status: str | None = None

    @property
    def is_quote(self) -> bool:
        return self.quoted_post_id is not None

    @property
    def is_repost(self) -> bool:
        return self.kind is MediaKind.REPOST
