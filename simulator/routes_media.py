"""Endpoints on one media id: read it (or a container's status), its replies, delete, hide,
pending replies (reply approvals) and their approval."""

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


APPROVAL_STATUSES = frozenset({"pending", "ignored"})


def list_pending_replies(call: GraphCall) -> JsonDict:
    """GET /{media}/pending_replies: replies waiting for the owner's approval (or ignored);
    `approval_status` (pending | ignored, case-sensitive) narrows it, default both."""
    if call.post.owner_id != call.viewer.id:
        raise invalid_param("Only the owner of a post can read its pending replies")
    wanted = call.params.get("approval_status", "")
    if wanted and wanted not in APPROVAL_STATUSES:
        raise invalid_param("Param approval_status must be one of pending, ignored")
    statuses = frozenset({wanted}) if wanted else APPROVAL_STATUSES
    descending = parse_bool(call.params, "reverse", default=True)
    replies = call.state.pending_replies(call.post.id, statuses)
    return list_posts(call, replies, time_filters=False, descending=descending)


def manage_pending_reply(call: GraphCall) -> JsonDict:
    """POST /{reply}/manage_pending_reply?approve=true|false: approve (shown from now on) or
    ignore (kept aside; it can still be approved later) a reply to the user's post."""
    reply = call.post
    required(call.params, "approve")
    approve = parse_bool(call.params, "approve")
    root = call.state.posts.get(reply.root_id or "")
    if root is None or root.owner_id != call.viewer.id:
        raise invalid_param("Only replies to the user's own posts can be approved or ignored")
    if reply.approval_status is None:
        raise invalid_param("The reply is not waiting for approval")
    reply.approval_status = None if approve else "ignored"
    return {"success": True}


ROUTES: NodeRoutes = {
    ("GET", NodeKind.MEDIA, None): get_media,
    ("GET", NodeKind.CONTAINER, None): get_container,
    ("GET", NodeKind.MEDIA, "replies"): list_direct_replies,
    ("GET", NodeKind.MEDIA, "conversation"): list_conversation,
    ("DELETE", NodeKind.MEDIA, None): delete_media,
    ("POST", NodeKind.MEDIA, "manage_reply"): manage_reply,
    ("GET", NodeKind.MEDIA, "pending_replies"): list_pending_replies,
    ("POST", NodeKind.MEDIA, "manage_pending_reply"): manage_pending_reply,
}
