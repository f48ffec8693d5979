"""Node views: which fields posts, containers, users and profiles have, and their values.

Values follow Meta's field reference: optional values are absent rather than null
(`media_url` only on media, `children` only on carousels, `owner` only on top-level posts
owned by the token's user, reply fields only on replies, ...).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .clock import format_timestamp
from .fields import NodeView, Selection, render, select_keys
from .models import Container, ContainerStatus, SimPost, SimUser
from .quotas import LOCATION_SEARCH_LIMIT, WINDOW_SECONDS, Quota
from .state import SimState

log = logging.getLogger(__name__)

POST_FIELDS = frozenset(
    {
        "id", "media_product_type", "media_type", "media_url", "permalink", "owner",
        "username", "text", "timestamp", "shortcode", "thumbnail_url", "children",
        "is_quote_post", "alt_text", "link_attachment_url", "has_replies", "is_reply",
        "is_reply_owned_by_me", "root_post", "replied_to", "hide_status", "reply_audience",
        "quoted_post", "reposted_post", "gif_url", "poll_attachment", "topic_tag",
        "is_spoiler_media", "text_entities", "text_attachment", "location_id",
        "ghost_post_status", "ghost_post_expiration_timestamp", "is_verified",
        "profile_picture_url", "reply_approval_status",
    }
)  # fmt: skip
POLL_FIELDS = frozenset(
    {
        "option_a", "option_b", "option_c", "option_d",
        "option_a_votes_percentage", "option_b_votes_percentage",
        "option_c_votes_percentage", "option_d_votes_percentage",
        "total_votes", "expiration_timestamp",
    }
)  # fmt: skip
CONTAINER_FIELDS = frozenset({"id", "status", "error_message"})
ME_FIELDS = frozenset(
    {
        "id", "username", "name", "threads_profile_picture_url", "threads_biography",
        "is_verified", "recently_searched_keywords", "is_eligible_for_geo_gating",
    }
)  # fmt: skip
PROFILE_FIELDS = (
    "username", "name", "profile_picture_url", "biography", "is_verified", "follower_count",
    "likes_count", "quotes_count", "replies_count", "reposts_count", "views_count",
)  # fmt: skip
LIMIT_FIELDS = frozenset(
    {
        "quota_usage", "config", "reply_quota_usage", "reply_config", "delete_quota_usage",
        "delete_config", "location_search_quota_usage", "location_search_config",
    }
)  # fmt: skip
POLL_DURATION = timedelta(hours=24)
GHOST_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class RenderContext:
    """Who is looking: `owner` is shown only to the owner, and never by discovery endpoints."""

    state: SimState
    viewer: SimUser
    show_owner: bool = True


def render_post(post: SimPost, ctx: RenderContext, selection: Selection | None) -> dict[str, Any]:
    return render(post_view(post, ctx), selection)


def _reference(target_id: str, ctx: RenderContext) -> Any:
    """A nested `{"id": ...}` that can also be expanded, e.g. `quoted_post{text}`."""

    def expand(sub: Selection | None) -> dict[str, Any]:
        target = ctx.state.live_post(target_id)
        if sub is None or target is None:
            return {"id": target_id}
        return render_post(target, ctx, sub)

    return expand


def _poll(post: SimPost) -> Any:
    data: dict[str, Any] = {}
    votes = list(post.poll_votes) + [0] * len(post.spec.poll_options)
    total = sum(votes[: len(post.spec.poll_options)])
    for index, (letter, option) in enumerate(zip("abcd", post.spec.poll_options, strict=False)):
        data[f"option_{letter}"] = option
        # Meta reports shares of the votes as fractions (0.25 for a quarter).
        data[f"option_{letter}_votes_percentage"] = votes[index] / total if total else 0.0
    data["total_votes"] = total
    data["expiration_timestamp"] = format_timestamp(post.timestamp + POLL_DURATION)
    return lambda sub: select_keys(data, POLL_FIELDS, sub)


def post_view(post: SimPost, ctx: RenderContext) -> NodeView:
    spec = post.spec
    author = ctx.state.users[post.owner_id]
    values: dict[str, Any] = {
        "id": post.id,
        "media_product_type": "THREADS",
        "media_type": post.media_type,
        "permalink": post.permalink,
        "username": post.username,
        "timestamp": format_timestamp(post.timestamp),
        "shortcode": post.shortcode,
        "is_quote_post": spec.quote_of is not None,
        "has_replies": ctx.state.has_replies(post.id),
        "is_reply": post.is_reply,
        "is_spoiler_media": spec.is_spoiler_media,
        "is_verified": author.is_verified,
    }
    optional: dict[str, Any] = {
        "text": spec.text or None,
        "media_url": spec.media_url,
        "thumbnail_url": spec.thumbnail_url,
        "alt_text": spec.alt_text,
        "link_attachment_url": spec.link_attachment_url,
        "gif_url": spec.gif_url,
        "topic_tag": spec.topic_tag,
        "text_entities": spec.text_entities,
        "text_attachment": spec.text_attachment,
        "location_id": spec.location_id,
        "profile_picture_url": author.picture_url,
    }
    values.update({key: value for key, value in optional.items() if value is not None})
    if post.children:
        values["children"] = _children(post, ctx)
    if spec.poll_options:
        values["poll_attachment"] = _poll(post)
    if spec.is_ghost_post:
        expires = post.timestamp + GHOST_LIFETIME
        archived = ctx.state.clock.now_datetime() >= expires
        values["ghost_post_status"] = "ARCHIVED" if archived else "ACTIVE"
        values["ghost_post_expiration_timestamp"] = format_timestamp(expires)
    owned = post.owner_id == ctx.viewer.id
    if owned and ctx.show_owner and not post.is_reply and not post.is_carousel_item:
        values["owner"] = lambda sub: {"id": post.owner_id}
    if owned and not post.is_carousel_item:
        values["reply_audience"] = spec.reply_audience
    if spec.reply_to is not None:
        values["root_post"] = _reference(post.root_id or spec.reply_to, ctx)
        values["replied_to"] = _reference(spec.reply_to, ctx)
        values["hide_status"] = post.hide_status
        values["is_reply_owned_by_me"] = owned
        if post.approval_status is not None:
            values["reply_approval_status"] = post.approval_status
    if spec.quote_of is not None:
        values["quoted_post"] = _reference(spec.quote_of, ctx)
    if spec.repost_of is not None:
        values["reposted_post"] = _reference(spec.repost_of, ctx)
    values.update(post.served_fields)
    return NodeView(POST_FIELDS, values)


def _children(post: SimPost, ctx: RenderContext) -> Any:
    def expand(sub: Selection | None) -> dict[str, Any]:
        children = [ctx.state.posts[child_id] for child_id in post.children]
        return {"data": [render_post(child, ctx, sub) for child in children]}

    return expand


def container_view(container: Container, now: float) -> NodeView:
    status = container.status(now)
    values: dict[str, Any] = {"id": container.id, "status": status.value}
    if status is ContainerStatus.ERROR:
        values["error_message"] = container.error_message
    return NodeView(CONTAINER_FIELDS, values)


def me_view(user: SimUser, state: SimState) -> NodeView:
    searches = sorted(state.searches.get(user.id, []), key=lambda item: item[1], reverse=True)
    values: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "is_verified": user.is_verified,
        "threads_biography": user.biography,
        # Meta gives these timestamps in epoch milliseconds, unlike every other time field.
        "recently_searched_keywords": [
            {"query": query, "timestamp": int(at * 1000)} for query, at in searches
        ],
        "is_eligible_for_geo_gating": False,
    }
    if user.picture_url is not None:
        values["threads_profile_picture_url"] = user.picture_url
    return NodeView(ME_FIELDS, values)


def profile_view(user: SimUser, state: SimState) -> NodeView:
    """profile_lookup: all fields by default (Meta's example request sends no `fields`)."""
    cutoff = state.clock.now() - 7 * 24 * 3600  # the counters cover the past 7 days
    recent = [p for p in state.threads_of(user.id) if p.timestamp.timestamp() > cutoff]
    values: dict[str, Any] = {
        "username": user.username,
        "name": user.name,
        "biography": user.biography,
        "is_verified": user.is_verified,
        "follower_count": user.followers,
        "likes_count": sum(p.likes for p in recent),
        "quotes_count": sum(len(state.quotes_of(p.id)) for p in recent),
        "replies_count": sum(len(state.conversation(p.id)) for p in recent),
        "reposts_count": sum(len(state.reposts_of(p.id)) for p in recent),
        "views_count": sum(p.views for p in recent),
    }
    if user.picture_url is not None:
        values["profile_picture_url"] = user.picture_url
    return NodeView(frozenset(PROFILE_FIELDS), values, default=PROFILE_FIELDS)


def publishing_limit_view(user: SimUser, state: SimState) -> NodeView:
    def config(total: int) -> dict[str, int]:
        return {"quota_total": total, "quota_duration": WINDOW_SECONDS}

    usage, limits = state.quotas.usage, state.quotas.limits  # as set_quota left them
    values: dict[str, Any] = {
        "quota_usage": usage(Quota.POSTS, user.id),
        "config": config(limits[Quota.POSTS]),
        "reply_quota_usage": usage(Quota.REPLIES, user.id),
        "reply_config": config(limits[Quota.REPLIES]),
        "delete_quota_usage": usage(Quota.DELETES, user.id),
        "delete_config": config(limits[Quota.DELETES]),
        "location_search_quota_usage": 0,
        "location_search_config": config(LOCATION_SEARCH_LIMIT),
    }
    return NodeView(LIMIT_FIELDS, values, default=("quota_usage",))
