"""Endpoints on the token's own user: profile, own posts, replies, mentions, ghost posts,
quota usage."""

from __future__ import annotations

import logging

from .fields import render
from .models import JsonDict
from .render import me_view, publishing_limit_view
from .routing import GraphCall, NodeKind, NodeRoutes, list_posts

log = logging.getLogger(__name__)


def get_me(call: GraphCall) -> JsonDict:
    """GET /me or /{user-id}: only the token's own user can be read."""
    return render(me_view(call.viewer, call.state), call.fields)


def list_threads(call: GraphCall) -> JsonDict:
    """GET /{user}/threads: top-level posts and reposts (as REPOST_FACADE), no replies."""
    return list_posts(call, call.state.threads_of(call.viewer.id))


def list_replies(call: GraphCall) -> JsonDict:
    """GET /{user}/replies: the user's own replies."""
    return list_posts(call, call.state.replies_of(call.viewer.id))


def list_mentions(call: GraphCall) -> JsonDict:
    """GET /{user}/mentions: others' public posts and replies that mention @username."""
    return list_posts(call, call.state.mentions_of(call.viewer))


def list_ghost_posts(call: GraphCall) -> JsonDict:
    """GET /{user}/ghost_posts: the user's ghost posts, active and archived."""
    posts = [p for p in call.state.threads_of(call.viewer.id) if p.spec.is_ghost_post]
    return list_posts(call, posts)


def publishing_limit(call: GraphCall) -> JsonDict:
    """GET /{user}/threads_publishing_limit: note the one-element `data` array."""
    return {"data": [render(publishing_limit_view(call.viewer, call.state), call.fields)]}


ROUTES: NodeRoutes = {
    ("GET", NodeKind.USER, None): get_me,
    ("GET", NodeKind.USER, "threads"): list_threads,
    ("GET", NodeKind.USER, "replies"): list_replies,
    ("GET", NodeKind.USER, "mentions"): list_mentions,
    ("GET", NodeKind.USER, "ghost_posts"): list_ghost_posts,
    ("GET", NodeKind.USER, "threads_publishing_limit"): publishing_limit,
}
