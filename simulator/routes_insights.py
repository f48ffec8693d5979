"""Insights: per media (`/{media}/insights`) and per user (`/{user}/threads_insights`).

The simulator has no audience, so values come from counters on the posts (`likes`, `views`,
`shares`, `clicks`, which tests may set) and from what exists: replies, reposts, quotes.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from .clock import format_timestamp
from .errors import GraphError, invalid_param, missing_param
from .models import JsonDict, SimPost
from .params import parse_csv
from .routing import GraphCall, NodeKind, NodeRoutes

log = logging.getLogger(__name__)

MEDIA_METRICS = {
    "views": ("Views", "The number of times your post was viewed."),
    "likes": ("Likes", "The number of likes on your post."),
    "replies": ("Replies", "The number of replies on your post."),
    "reposts": ("Reposts", "The number of times your post was reposted."),
    "quotes": ("Quotes", "The number of times your post was quoted."),
    "shares": ("Shares", "The number of times your post was shared."),
}
USER_METRICS = {
    "views": ("Views", "The number of times your profile was viewed."),
    "likes": ("Likes", "The number of likes on your posts."),
    "replies": ("Replies", "The number of replies on your posts."),
    "reposts": ("Reposts", "The number of times your posts were reposted."),
    "quotes": ("Quotes", "The number of times your posts were quoted."),
    "clicks": ("Clicks", "The number of clicks on links in your posts."),
    "followers_count": ("Followers", "Your total number of followers on Threads."),
    "follower_demographics": ("Follower demographics", "The demographics of your followers."),
}
EARLIEST_USER_INSIGHTS = 1_712_991_600  # 2024-04-13, Meta's earliest accepted `since`
BREAKDOWNS = ("country", "city", "age", "gender")


def _metrics(call: GraphCall, known: dict[str, tuple[str, str]]) -> list[str]:
    names = parse_csv(call.params, "metric")
    if not names:
        raise missing_param("metric")
    for name in names:
        if name not in known:
            raise invalid_param(
                f"metric[{names.index(name)}] must be one of the following"
                f" values: {', '.join(known)}"
            )
    return names


def _entry(owner_id: str, name: str, period: str, titles: dict[str, tuple[str, str]]) -> JsonDict:
    title, description = titles[name]
    return {
        "name": name,
        "period": period,
        "title": title,
        "description": description,
        "id": f"{owner_id}/insights/{name}/{period}",
    }


def media_insights(call: GraphCall) -> JsonDict:
    """GET /{media}/insights?metric=...: `values[0].value` per metric."""
    post = call.own_post()
    names = _metrics(call, MEDIA_METRICS)
    if post.media_type == "REPOST_FACADE":
        return {"data": []}  # documented: reposts have no insights
    state = call.state
    # On a root post `replies` counts the whole conversation; on a reply, direct replies only.
    replies = state.direct_replies(post.id) if post.is_reply else state.conversation(post.id)
    values = {
        "views": post.views,
        "likes": post.likes,
        "replies": len(replies),
        "reposts": len(state.reposts_of(post.id)),
        "quotes": len(state.quotes_of(post.id)),
        "shares": post.shares,
    }
    data = []
    for name in names:
        entry = _entry(post.id, name, "lifetime", MEDIA_METRICS)
        entry["values"] = [{"value": values[name]}]
        data.append(entry)
    return {"data": data}


def _window(call: GraphCall) -> tuple[float, float]:
    """since/until in Unix seconds; by default yesterday 00:00 UTC until now (2 days)."""
    now = call.state.clock.now()
    bounds: dict[str, float] = {}
    for name in ("since", "until"):
        raw = call.params.get(name, "").strip()
        if raw:
            if not raw.isdigit():
                raise invalid_param(f"Param {name} must be a unix timestamp")
            bounds[name] = float(raw)
    today = datetime.fromtimestamp(now, UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    since = bounds.get("since", (today - timedelta(days=1)).timestamp())
    until = bounds.get("until", now)
    if since < EARLIEST_USER_INSIGHTS:
        raise invalid_param(f"Param since must be at or after {EARLIEST_USER_INSIGHTS}")
    if since >= until:
        raise invalid_param("Param since must be earlier than until")
    return since, until


def _daily_views(posts: list[SimPost], since: float, until: float) -> list[dict[str, Any]]:
    """One value per UTC day, each stamped with the end of its day (Meta's `end_time`)."""
    start = datetime.fromtimestamp(since, UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    values = []
    day = start
    while day.timestamp() < until:
        end = day + timedelta(days=1)
        total = sum(p.views for p in posts if day <= p.timestamp < end)
        values.append({"value": total, "end_time": format_timestamp(end)})
        day = end
    return values


def user_insights(call: GraphCall) -> JsonDict:
    """GET /{user}/threads_insights?metric=...: the three documented value shapes."""
    names = _metrics(call, USER_METRICS)
    state, user = call.state, call.viewer
    if "followers_count" in names and not user.instagram_linked:
        raise GraphError(
            "THREADS_API__FEATURE_NOT_AVAILABLE: followers_count is available only for "
            "profiles linked to an Instagram account",
            code=100,
            type="THApiException",
        )
    since, until = _window(call)
    posts = [p for p in state.threads_of(user.id) if since <= p.timestamp.timestamp() <= until]
    own_ids = {p.id for p in state.threads_of(user.id)}
    top_replies = [
        p for p in state.visible()
        if p.reply_to in own_ids and since <= p.timestamp.timestamp() <= until
    ]  # fmt: skip
    totals = {
        "likes": sum(p.likes for p in posts),
        "replies": len(top_replies),
        "reposts": sum(len(state.reposts_of(p.id)) for p in posts),
        "quotes": sum(len(state.quotes_of(p.id)) for p in posts),
        "followers_count": user.followers,  # ignores since/until, as documented
    }
    data = []
    for name in names:
        entry = _entry(user.id, name, "day", USER_METRICS)
        if name == "views":
            entry["values"] = _daily_views(posts, since, until)
        elif name == "clicks":
            clicks: dict[str, int] = {}
            for post in posts:
                if post.spec.link_attachment_url:
                    url = post.spec.link_attachment_url
                    clicks[url] = clicks.get(url, 0) + post.clicks
            entry["link_total_values"] = [{"value": v, "link_url": u} for u, v in clicks.items()]
        elif name == "follower_demographics":
            breakdown = call.params.get("breakdown", "")
            if breakdown not in BREAKDOWNS:
                raise invalid_param("Param breakdown must be one of " + ", ".join(BREAKDOWNS))
            # The simulator knows nothing about followers' demographics: an empty breakdown.
            entry["total_value"] = {"breakdowns": [{"dimension_keys": [breakdown], "results": []}]}
        else:
            entry["total_value"] = {"value": totals[name]}
        data.append(entry)
    return {"data": data}


ROUTES: NodeRoutes = {
    ("GET", NodeKind.MEDIA, "insights"): media_insights,
    ("GET", NodeKind.USER, "threads_insights"): user_insights,
}
