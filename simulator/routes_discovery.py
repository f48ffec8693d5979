"""Discovery endpoints: public profile lookup, public profile posts, keyword search."""

from __future__ import annotations

import logging

from .errors import GraphError, invalid_param
from .fields import render
from .models import JsonDict, SimPost, SimUser
from .paging import paginate, post_key, read_list_query, within
from .params import required
from .quotas import Quota
from .render import profile_view, render_post
from .routing import GraphCall, PathRoutes, list_posts

log = logging.getLogger(__name__)

SEARCH_TYPES = ("TOP", "RECENT")
SEARCH_MODES = ("KEYWORD", "TAG")
SEARCH_MEDIA_TYPES = {"TEXT": "TEXT_POST", "IMAGE": "IMAGE", "VIDEO": "VIDEO"}


def _discoverable(call: GraphCall) -> SimUser:
    """Count the call against the discovery budget, then find the exact username."""
    state = call.state
    state.quotas.check(Quota.DISCOVERY, call.viewer.id)
    # Meta: "once a query is sent, it will count against this limit", found or not.
    state.quotas.record(Quota.DISCOVERY, call.viewer.id)
    username = required(call.params, "username")
    user = state.user_named(username)
    if user is None:
        # Meta's body for an unknown or ineligible handle is undocumented; code 100 says "bad
        # parameter, don't retry" without being mistaken for 24/4279009's "not ready yet".
        raise GraphError(
            f"No public Threads profile with the username '{username}' can be found",
            code=100,
            type="THApiException",
        )
    return user


def profile_lookup(call: GraphCall) -> JsonDict:
    """GET /profile_lookup?username=..."""
    return render(profile_view(_discoverable(call), call.state), call.fields)


def profile_posts(call: GraphCall) -> JsonDict:
    """GET /profile_posts?username=...: like /threads, minus the `owner` field."""
    user = _discoverable(call)
    return list_posts(call, call.state.threads_of(user.id), show_owner=False)


def _choice(call: GraphCall, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = call.params.get(name, "").strip() or default
    if value not in allowed:
        raise invalid_param(f"Param {name} must be one of {', '.join(allowed)}")
    return value


def _matches(post: SimPost, terms: list[str], tag_mode: bool, query: str) -> bool:
    if tag_mode:
        return (post.spec.topic_tag or "").lower() == query.lower().removeprefix("#")
    text = post.text.lower()
    return all(term in text for term in terms)


def keyword_search(call: GraphCall) -> JsonDict:
    """GET /keyword_search?q=...: public posts (and replies) matching a keyword or topic tag."""
    state = call.state
    q = required(call.params, "q")
    search_type = _choice(call, "search_type", SEARCH_TYPES, "TOP")
    tag_mode = _choice(call, "search_mode", SEARCH_MODES, "KEYWORD") == "TAG"
    media_type = call.params.get("media_type", "").strip()
    if media_type and media_type not in SEARCH_MEDIA_TYPES:
        raise invalid_param("Param media_type must be one of TEXT, IMAGE, VIDEO")
    author = call.params.get("author_username", "").strip().lower()
    state.quotas.check(Quota.KEYWORD_SEARCH, call.viewer.id)
    query = read_list_query(call.params, now=state.clock.now())

    terms = q.lower().split()
    found = [
        post
        for post in state.visible()
        if post.media_type != "REPOST_FACADE"
        and _matches(post, terms, tag_mode, q)
        and (not media_type or post.media_type == SEARCH_MEDIA_TYPES[media_type])
        and (not author or post.username.lower() == author)
        and within(query, post.timestamp.timestamp())
    ]
    state.searches[call.viewer.id].append((q, state.clock.now()))

    def top_key(post: SimPost) -> tuple[float, ...]:
        # "Top" has no documented formula; likes then recency is a plausible stand-in.
        second, seq = post.sort_key
        return (float(post.likes), float(second), float(seq))

    key = post_key if search_type == "RECENT" else top_key
    found.sort(key=key, reverse=True)
    ctx = call.context(show_owner=False)
    selection = call.fields
    body = paginate(
        found, key, query, lambda post: render_post(post, ctx, selection), url=call.request.url
    )
    if body["data"]:
        # Queries that return nothing (a page past the last one too) do not count against
        # the 2,200 / 24 h budget.
        state.quotas.record(Quota.KEYWORD_SEARCH, call.viewer.id)
    return body


ROUTES: PathRoutes = {
    ("GET", "profile_lookup"): profile_lookup,
    ("GET", "profile_posts"): profile_posts,
    ("GET", "keyword_search"): keyword_search,
}
