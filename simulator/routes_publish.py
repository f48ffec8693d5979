"""Publishing: create containers, publish them, repost (POST /{user}/threads, ...)."""

from __future__ import annotations

import logging

from .containers import create_and_publish_text, create_container, publish_container
from .errors import invalid_param
from .models import JsonDict, PostSpec
from .params import parse_bool, required
from .quotas import Quota
from .routing import GraphCall, NodeKind, NodeRoutes

log = logging.getLogger(__name__)


async def create(call: GraphCall) -> JsonDict:
    """POST /{user}/threads -> {"id": container id}, or the published id with auto-publish."""
    params = call.params
    # auto_publish_text only concerns TEXT containers; on other types Meta ignores it.
    if params.get("media_type") == "TEXT" and parse_bool(params, "auto_publish_text"):
        post = await create_and_publish_text(call.state, call.viewer, params, call.media)
        return {"id": post.id}
    return {"id": (await create_container(call.state, call.viewer, params, call.media)).id}


def publish(call: GraphCall) -> JsonDict:
    """POST /{user}/threads_publish?creation_id=... -> {"id": media id}."""
    creation_id = required(call.params, "creation_id")
    return {"id": publish_container(call.state, call.viewer, creation_id).id}


def repost(call: GraphCall) -> JsonDict:
    """POST /{media}/repost -> {"id": repost id}; it lists as REPOST_FACADE."""
    target = call.post
    state = call.state
    if target.media_type == "REPOST_FACADE" or target.is_carousel_item:
        raise invalid_param("This media cannot be reposted")
    if any(p.owner_id == call.viewer.id for p in state.reposts_of(target.id)):
        # Threads toggles a repost rather than stacking them; Meta's reply is undocumented.
        raise invalid_param("This post has already been reposted by the user")
    # A repost is a publish action, so it is counted against the 250 posts / 24 h quota.
    state.quotas.check(Quota.POSTS, call.viewer.id)
    facade = state.publish(call.viewer, PostSpec(media_type="REPOST_FACADE", repost_of=target.id))
    return {"id": facade.id}


ROUTES: NodeRoutes = {
    ("POST", NodeKind.USER, "threads"): create,
    ("POST", NodeKind.USER, "threads_publish"): publish,
    ("POST", NodeKind.MEDIA, "repost"): repost,
}
