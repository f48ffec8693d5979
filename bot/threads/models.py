"""Threads JSON -> typed objects.

Pure functions, no I/O: what the Graph API returns becomes `bot.events` types (Post, Profile,
Media, Poll) or the Threads-only types defined here (container status, quotas, insights, tokens).

This is where Graph's JSON is trusted least: every string field of a post or profile goes
through `as_text`, so text that cannot be stored or shown as it is (half an emoji, a number
where a name belongs) is repaired here, once, and never jams the source that served it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from bot.events import Media, MediaKind, Poll, Post, Profile
from bot.threads.coerce import as_float, as_int, as_text

T = TypeVar("T")
GHOST_LIFETIME = timedelta(hours=24)  # Threads archives a ghost post a day after it is posted

# Every field a post can carry; the client always asks for these, because a node returns only
# `id` unless `fields` is sent.
POST_FIELDS = (
    "id,media_product_type,media_type,media_url,permalink,username,text,timestamp,shortcode,"
    "thumbnail_url,children{id,media_type,media_url,thumbnail_url,alt_text},is_quote_post,"
    "quoted_post,reposted_post,alt_text,link_attachment_url,has_replies,is_reply,root_post,"
    "replied_to,gif_url,topic_tag,is_spoiler_media,text_entities,text_attachment,"
    "ghost_post_status,ghost_post_expiration_timestamp,"
    "poll_attachment{option_a,option_b,option_c,option_d,option_a_votes_percentage,"
    "option_b_votes_percentage,option_c_votes_percentage,option_d_votes_percentage,total_votes,"
    "expiration_timestamp}"
)
# Meta's pages for the reply, mention and search lists do not name the spoiler, text-attachment
# and ghost fields; a node leaves out what it does not have, so one list serves every read.
# Fields only the reply endpoints document (author picture, hide status).
REPLY_FIELDS = POST_FIELDS + ",hide_status,profile_picture_url"
PENDING_REPLY_FIELDS = REPLY_FIELDS + ",reply_approval_status"
# `/profile_posts` and `/keyword_search` serve the same fields (they never had `owner` anyway).
ME_FIELDS = "id,username,name,threads_profile_picture_url,threads_biography,is_verified"
LOOKUP_FIELDS = "username,name,profile_picture_url,biography,is_verified,follower_count"
CONTAINER_FIELDS = "id,status,error_message"


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list endpoint plus the cursors to move on from it."""

    items: list[T]
    before: str | None = None
    after: str | None = None
    # Graph sends `paging.next` only when another page exists; the `after` cursor comes on the
    # last page too, so following it alone costs one more (discovery) call per poll.
    has_next: bool = False


@dataclass(frozen=True, slots=True)
class ContainerStatus:
    """Where a media container is: IN_PROGRESS, FINISHED, PUBLISHED, ERROR or EXPIRED."""

    id: str
    status: str
    error_message: str | None = None


@dataclass(frozen=True, slots=True)
class Quota:
    used: int
    total: int
    window_seconds: int

    @property
    def remaining(self) -> int:
        return max(self.total - self.used, 0)


@dataclass(frozen=True, slots=True)
class PublishingLimit:
    """What is left of the rolling 24 h publishing quotas."""

    posts: Quota
    replies: Quota | None = None
    deletes: Quota | None = None


@dataclass(frozen=True, slots=True)
class Insight:
    """One metric: a single value (total or lifetime), or a series of (end_time, value)."""

    name: str
    value: int
    period: str | None = None
    series: tuple[tuple[datetime, int], ...] = ()
    links: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """An access token from the OAuth exchange or a refresh.

    `repr` hides the token: a grant may end up in a log line or a traceback.
    """

    access_token: str
    expires_in: int | None = None
    user_id: str | None = None

    def __repr__(self) -> str:
        return (
            f"TokenGrant(access_token='***', expires_in={self.expires_in!r}, "
            f"user_id={self.user_id!r})"
        )


def parse_timestamp(value: object) -> datetime | None:
    """Parse Meta's `2023-10-17T05:42:03+0000` (offset without a colon)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _ref_id(value: object) -> str | None:
    return as_text(value.get("id")) if isinstance(value, Mapping) else None


def _media_kind(value: object) -> MediaKind:
    if value is None:
        return MediaKind.TEXT
    try:
        return MediaKind(str(value))
    except ValueError:
        return MediaKind.OTHER  # a type Threads added later: its media_url becomes a link


def parse_media(data: Mapping[str, Any]) -> Media:
    return Media(
        kind=_media_kind(data.get("media_type")),
        url=as_text(data.get("media_url")),
        thumbnail_url=as_text(data.get("thumbnail_url")),
        alt_text=as_text(data.get("alt_text")),
    )


def parse_poll(data: object) -> Poll | None:
    if not isinstance(data, Mapping):
        return None
    options = {x: as_text(data.get(f"option_{x}")) for x in "abcd"}
    letters = [x for x in "abcd" if options[x]]
    if not letters:
        return None
    return Poll(
        options=tuple(options[x] or "" for x in letters),
        percentages=tuple(as_float(data.get(f"option_{x}_votes_percentage")) for x in letters),
        total_votes=as_int(data.get("total_votes")),
        expires_at=parse_timestamp(data.get("expiration_timestamp")),
    )


def parse_post(data: Mapping[str, Any]) -> Post:
    """A media object (post, reply, quote, repost) as returned with POST_FIELDS."""
    kind = _media_kind(data.get("media_type"))
    children = data.get("children")
    if isinstance(children, Mapping) and isinstance(children.get("data"), list):
        media = tuple(parse_media(child) for child in children["data"])
    elif kind not in (MediaKind.TEXT, MediaKind.REPOST) and data.get("media_url"):
        media = (parse_media(data),)  # an image, a video, an AUDIO post or an unknown type
    else:
        media = ()
    if kind is MediaKind.OTHER:
        kind = MediaKind.TEXT if not media else kind
    attachment = data.get("text_attachment")
    if not isinstance(attachment, Mapping):
        attachment = {}
    ghost = data.get("ghost_post_status") is not None
    return Post(
        id=as_text(data["id"]) or "",
        kind=kind,
        text=as_text(data.get("text")) or "",
        username=as_text(data.get("username")),
        permalink=as_text(data.get("permalink")),
        shortcode=as_text(data.get("shortcode")),
        timestamp=parse_timestamp(data.get("timestamp")),
        media=media,
        is_reply=bool(data.get("is_reply", False)),
        replied_to_id=_ref_id(data.get("replied_to")),
        root_post_id=_ref_id(data.get("root_post")),
        quoted_post_id=_ref_id(data.get("quoted_post")),
        reposted_post_id=_ref_id(data.get("reposted_post")),
        has_replies=bool(data.get("has_replies", False)),
        link_attachment_url=as_text(data.get("link_attachment_url"))
        or as_text(attachment.get("link_attachment_url")),
        topic_tag=as_text(data.get("topic_tag")),
        gif_url=as_text(data.get("gif_url")),
        poll=parse_poll(data.get("poll_attachment")),
        is_spoiler_media=bool(data.get("is_spoiler_media", False)),
        author_picture_url=as_text(data.get("profile_picture_url")),
        hide_status=as_text(data.get("hide_status")),
        reply_approval_status=as_text(data.get("reply_approval_status")),
        text_attachment=as_text(attachment.get("plaintext")) or None,
        spoilers=parse_spoilers(data.get("text_entities")),
        ghost_expires_at=_ghost_expiry(data) if ghost else None,
    )


def _ghost_expiry(data: Mapping[str, Any]) -> datetime | None:
    """When a ghost post expires: as Graph says, else 24 h after it was posted."""
    expiry = parse_timestamp(data.get("ghost_post_expiration_timestamp"))
    posted = parse_timestamp(data.get("timestamp"))
    return expiry or (posted + GHOST_LIFETIME if posted else None)


def parse_spoilers(data: object) -> tuple[tuple[int, int], ...]:
    """The SPOILER ranges of `text_entities` (a list, or Graph's `{"data": [...]}`)."""
    if isinstance(data, Mapping):
        data = data.get("data")
    if not isinstance(data, list):
        return ()
    ranges = []
    for entity in data:
        if not isinstance(entity, Mapping) or str(entity.get("entity_type")).upper() != "SPOILER":
            continue
        offset, length = as_int(entity.get("offset")), as_int(entity.get("length"))
        if offset is not None and length and offset >= 0 and length > 0:
            ranges.append((offset, length))
    return tuple(sorted(ranges))


def parse_me(data: Mapping[str, Any]) -> Profile:
    """The connected account, from `/me` (its field names differ from profile_lookup's)."""
    return Profile(
        id=as_text(data["id"]) or "",
        username=as_text(data.get("username")) or "",
        name=as_text(data.get("name")),
        picture_url=as_text(data.get("threads_profile_picture_url")),
        biography=as_text(data.get("threads_biography")),
        is_verified=bool(data.get("is_verified", False)),
    )


def parse_lookup(data: Mapping[str, Any]) -> Profile:
    """A public profile from `/profile_lookup`."""
    return Profile(
        id=as_text(data.get("id")),
        username=as_text(data.get("username")) or "",
        name=as_text(data.get("name")),
        picture_url=as_text(data.get("profile_picture_url")),
        biography=as_text(data.get("biography")),
        is_verified=bool(data.get("is_verified", False)),
        follower_count=as_int(data.get("follower_count")),
    )


def parse_page(body: Mapping[str, Any], parse: Any) -> Page[Any]:
    items = [parse(item) for item in body.get("data") or []]
    paging = body.get("paging") or {}
    cursors = paging.get("cursors") or {}
    return Page(
        items=items,
        before=cursors.get("before"),
        after=cursors.get("after"),
        has_next=bool(paging.get("next")),
    )


def parse_container_status(data: Mapping[str, Any]) -> ContainerStatus:
    return ContainerStatus(
        id=str(data["id"]),
        status=str(data.get("status") or "UNKNOWN"),
        error_message=data.get("error_message"),
    )


def _quota(row: Mapping[str, Any], usage_key: str, config_key: str) -> Quota | None:
    config = row.get(config_key)
    if usage_key not in row or not isinstance(config, Mapping):
        return None
    return Quota(
        used=int(row[usage_key]),
        total=int(config.get("quota_total", 0)),
        window_seconds=int(config.get("quota_duration", 86400)),
    )


def parse_publishing_limit(body: Mapping[str, Any]) -> PublishingLimit:
    rows = body.get("data") or [{}]
    row = rows[0]
    posts = _quota(row, "quota_usage", "config") or Quota(used=0, total=250, window_seconds=86400)
    return PublishingLimit(
        posts=posts,
        replies=_quota(row, "reply_quota_usage", "reply_config"),
        deletes=_quota(row, "delete_quota_usage", "delete_config"),
    )


def parse_insights(body: Mapping[str, Any]) -> list[Insight]:
    """Both response shapes: `values` (a series, or a lifetime value) and `total_value`.

    Meta's own sample reads `views` from `values`, `clicks` by summing `link_total_values`, and
    everything else from `total_value`; parsing by shape covers all three and the docs' variants.
    """
    insights = []
    for item in body.get("data") or []:
        name = str(item.get("name"))
        period = item.get("period")
        if isinstance(item.get("link_total_values"), Sequence):
            links = tuple(
                (str(x.get("link_url")), int(x.get("value", 0))) for x in item["link_total_values"]
            )
            insights.append(Insight(name, sum(v for _, v in links), period, links=links))
        elif isinstance(item.get("total_value"), Mapping):
            insights.append(Insight(name, int(item["total_value"].get("value", 0)), period))
        else:
            series = tuple(
                (
                    parse_timestamp(v.get("end_time")) or datetime.min.replace(tzinfo=UTC),
                    int(v.get("value", 0)),
                )
                for v in item.get("values") or []
                if "end_time" in v
            )
            values = item.get("values") or [{}]
            value = sum(v for _, v in series) if series else int(values[0].get("value", 0))
            insights.append(Insight(name, value, period, series=series))
    return insights


def parse_token(body: Mapping[str, Any]) -> TokenGrant:
    user_id = body.get("user_id")
    # user_id arrives as a bare JSON number above 2**53: json keeps it an int, never a float.
    return TokenGrant(
        access_token=str(body["access_token"]),
        expires_in=as_int(body.get("expires_in")),
        user_id=str(user_id) if user_id is not None else None,
    )
