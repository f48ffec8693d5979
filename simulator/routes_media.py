"""Endpoints on one media id: read it (or a container's status), its replies, delete, hide."""

from __future__ import annotations

import logging

from .errors import invalid_param
from .fields import render
from .models import JsonDict
from .params import parse_bool, required
from .quotas import Quota
from .render import container_view, render_post
from .routing import GraphCall, NodeKind, NodeRoutes, list_posts

log = logging.getLogger(__name__)


def get_media(call: GraphCall) -> JsonDict:
    """GET /{media-id}. Asking `status` here is code 100: it exists on containers only."""
    return render_post(call.post, call.context(), call.fields)


def get_container(call: GraphCall) -> JsonDict:
    """GET /{container-id}?fields=id,status,error_message."""
    return render(container_view(call.container, call.state.clock.now()), call.fields)


def list_direct_replies(call: GraphCall) -> JsonDict:
    """GET /{media}/replies: direct children only; `reverse` defaults to true (newest first)."""
    descending = parse_bool(call.params, "reverse", default=True)
    replies = call.state.direct_replies(call.post.id)
    return list_posts(call, replies, time_filters=False, descending=descending)


def list_conversation(call: GraphCall) -> JsonDict:
    """GET /{media}/conversation: every reply below the post, at any depth, flattened."""
    descending = parse_bool(call.params, "reverse", default=True)
    replies = call.state.conversation(call.post.id)
    return list_posts(call, replies, time_filters=False, descending=descending)


def delete_media(call: GraphCall) -> JsonDict:
    """DELETE /{media-id}: own posts only, 100 per rolling 24 h."""
    post = call.own_post()
    call.state.quotas.check(Quota.DELETES, call.viewer.id)
    call.state.delete(post)
    return {"success": True, "deleted_id": post.id}


def manage_reply(call: GraphCall) -> JsonDict:
    """POST /{reply}/manage_reply?hide=true|false: top-level replies to the user's posts."""
    reply = call.post
    required(call.params, "hide")
    hide = parse_bool(call.params, "hide")
    state = call.state
    parent = state.posts.get(reply.reply_to or "")
    if parent is None or parent.owner_id != call.viewer.id:
        raise invalid_param("Only replies to the user's own posts can be hidden or unhidden")
    if parent.is_reply:
        raise invalid_param("Only top-level replies can be hidden; nested replies follow them")
    # Hiding cascades to the replies below (Meta's reply-management guide).
    status = "HIDDEN" if hide else "UNHUSHED"
    for post in [reply, *state.replies_below(reply.id)]:
        post.hide_status = status
    return {"success": True}


ROUTES: NodeRoutes = {
    ("GET", NodeKind.MEDIA, None): get_media,
    ("GET", NodeKind.CONTAINER, None): get_container,
    ("GET", NodeKind.MEDIA, "replies"): list_direct_replies,
    ("GET", NodeKind.MEDIA, "conversation"): list_conversation,
    ("DELETE", NodeKind.MEDIA, None): delete_media,
    ("POST", NodeKind.MEDIA, "manage_reply"): manage_reply,
}
