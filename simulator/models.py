"""The simulator's in-memory records: users, posts, containers, tokens and recorded requests.

`SimUser`, `SimPost`, `RecordedRequest` and `FetchedMedia` are public (tests and demo code read
them); the others are internal bookkeeping.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]

# Create-side media types (POST /threads) and what the published post reports.
CREATE_TO_PUBLISHED = {
    "TEXT": "TEXT_POST",
    "IMAGE": "IMAGE",
    "VIDEO": "VIDEO",
    "CAROUSEL": "CAROUSEL_ALBUM",
}


@dataclass(frozen=True, slots=True)
class SimUser:
    """A Threads user: a connected account (has a token) or a public profile."""

    id: str
    username: str
    name: str
    token: str | None = None
    biography: str = ""
    picture_url: str | None = None
    is_verified: bool = False
    followers: int = 0
    # Threads tells `followers_count` only for profiles linked to an Instagram account.
    instagram_linked: bool = True


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    """One download of an `image_url` / `video_url`, made by the simulator as Meta makes it.

    Failed downloads are recorded too. `error` says why the download failed (connection,
    HTTP status, timeout, over the size limit) and is None when the whole body arrived;
    whether the bytes are the right kind of file is `content_type`, sniffed from the bytes
    themselves (never the host's Content-Type header, kept apart as `declared_type`).
    """

    url: str  # as given in the create call (redirects are followed from there)
    kind: str  # IMAGE or VIDEO
    status: int | None  # the final HTTP status; None when no response came
    size: int  # bytes read (reading stops just past the size limit)
    sha256: str | None  # hex digest of the whole body, None unless it arrived complete
    content_type: str | None  # sniffed: image/jpeg, image/png, video/mp4, video/quicktime
    declared_type: str | None = None  # the Content-Type header the host sent
    error: str | None = None
    at: float = field(default=0.0, compare=False)  # simulator clock, when the download ended

    @property
    def downloaded(self) -> bool:
        """Whether the whole body arrived with a 2xx status."""
        return self.error is None

    def to_json(self) -> JsonDict:
        return {
            "url": self.url,
            "kind": self.kind,
            "status": self.status,
            "size": self.size,
            "sha256": self.sha256,
            "content_type": self.content_type,
            "declared_type": self.declared_type,
            "error": self.error,
            "at": self.at,
        }


@dataclass(frozen=True, slots=True)
class PostSpec:
    """What a post will contain, before it has an id: built by `add_post` or from a container."""

    media_type: str  # published value: TEXT_POST, IMAGE, VIDEO, CAROUSEL_ALBUM, REPOST_FACADE
    text: str = ""
    media_url: str | None = None
    thumbnail_url: str | None = None
    children: tuple[PostSpec, ...] = ()
    alt_text: str | None = None
    link_attachment_url: str | None = None
    reply_to: str | None = None
    quote_of: str | None = None
    repost_of: str | None = None
    topic_tag: str | None = None
    poll_options: tuple[str, ...] = ()
    is_spoiler_media: bool = False
    text_entities: list[Any] | None = None
    text_attachment: JsonDict | None = None
    gif_url: str | None = None
    is_ghost_post: bool = False  # archived 24 h after it is posted
    location_id: str | None = None
    reply_audience: str = "EVERYONE"
    reply_approvals: bool = False  # enable_reply_approvals: others' replies wait for approval
    # What the simulator downloaded from media_url when the container was made (None for
    # posts put in place with add_post, which were never downloaded).
    fetched: FetchedMedia | None = None


@dataclass(eq=False, slots=True)
class SimPost:
    """A published post, reply, repost or carousel child. Mutable: replies get hidden, posts
    get deleted, tests may set counters (`likes`, `views`, `shares`) for insights."""

    id: str
    owner_id: str
    username: str
    media_type: str
    timestamp: datetime
    seq: int  # creation order; breaks timestamp ties so ordering and cursors are total
    shortcode: str
    permalink: str
    spec: PostSpec
    root_id: str | None = None
    children: tuple[str, ...] = ()
    is_carousel_item: bool = False
    hide_status: str = "NOT_HUSHED"
    # A reply under a post with reply approvals: "pending" until the post's owner approves it
    # (None: shown) or ignores it ("ignored": still approvable). Unapproved replies are listed
    # only by /pending_replies.
    approval_status: str | None = None
    deleted: bool = False
    likes: int = 0
    views: int = 0
    shares: int = 0
    clicks: int = 0
    # Votes per poll option (a, b, c, d), as `set_poll_votes` left them.
    poll_votes: tuple[int, ...] = ()
    # Values served as they are in place of the simulator's own (malformed Graph JSON a test
    # needs, e.g. `"username": 12345`).
    served_fields: JsonDict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.spec.text

    @property
    def reply_to(self) -> str | None:
        return self.spec.reply_to

    @property
    def is_reply(self) -> bool:
        return self.spec.reply_to is not None

    @property
    def sort_key(self) -> tuple[int, int]:
        """Chronological order: whole-second timestamp, then creation order."""
        return (int(self.timestamp.timestamp()), self.seq)


class ContainerStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    FINISHED = "FINISHED"
    PUBLISHED = "PUBLISHED"
    ERROR = "ERROR"
    EXPIRED = "EXPIRED"


CONTAINER_LIFETIME = 24 * 3600.0


@dataclass(eq=False, slots=True)
class Container:
    """A media container made by POST /{user}/threads, waiting to be published."""

    id: str
    owner_id: str
    spec: PostSpec
    created_at: float
    ready_at: float
    is_carousel_item: bool = False
    child_ids: tuple[str, ...] = ()
    # An injected or processing failure, revealed once processing ends; or a failed video
    # download (FAILED_DOWNLOADING_VIDEO), revealed at once since there is nothing to process.
    error_message: str | None = None
    published_id: str | None = None
    downloading: bool = False  # Meta is still fetching the video (after answering the create)
    download_failed: bool = False

    def status(self, now: float) -> ContainerStatus:
        """Status as Meta reports it at simulator time `now`."""
        if self.published_id is not None:
            return ContainerStatus.PUBLISHED
        if self.download_failed:
            return ContainerStatus.ERROR
        if self.downloading or now < self.ready_at:
            return ContainerStatus.IN_PROGRESS
        if self.error_message is not None:
            return ContainerStatus.ERROR
        if now >= self.created_at + CONTAINER_LIFETIME:
            return ContainerStatus.EXPIRED
        return ContainerStatus.FINISHED


@dataclass(eq=False, slots=True)
class TokenRecord:
    """An issued user access token."""

    token: str
    user_id: str
    long_lived: bool
    issued_at: float
    expires_at: float
    revoked: bool = False  # the app was removed or the account is gone (see TokenBook.revoke)


@dataclass(eq=False, slots=True)
class AuthCode:
    """A one-time authorization code, as the OAuth redirect would deliver it."""

    code: str
    user_id: str
    redirect_uri: str
    issued_at: float
    used: bool = False


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One Graph request as the simulator received it (control traffic is not recorded).

    `path` is the path as sent, including any `/v1.0` prefix. `headers` keeps the
    Authorization value so tests can check that the token travels in a header;
    `token_in_url` says whether an `access_token` was in the query string.
    """

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    token_in_url: bool
    at: float = field(default=0.0, compare=False)

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    def to_json(self) -> JsonDict:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "form": self.form,
            "headers": self.headers,
            "token_in_url": self.token_in_url,
            "at": self.at,
        }
