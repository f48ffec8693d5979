"""Fetching the account's and a post's insights, and saying them in a few lines."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.events import Post
from bot.insights.periods import Period
from bot.render import excerpt
from bot.threads.client import ThreadsClient
from bot.threads.errors import InvalidParameter, PermissionDenied

log = logging.getLogger(__name__)

# In the order they are said. `followers_count` is asked apart: it ignores since/until, and
# Threads refuses it for profiles without a linked Instagram account, which must not cost
# the other numbers.
ACCOUNT_METRICS = ("views", "likes", "replies", "reposts", "quotes", "clicks")
POST_METRICS = ("views", "likes", "replies", "reposts", "quotes", "shares")
_NOUNS = {
    "views": ("view", "views"),
    "likes": ("like", "likes"),
    "replies": ("reply", "replies"),
    "reposts": ("repost", "reposts"),
    "quotes": ("quote", "quotes"),
    "clicks": ("link click", "link clicks"),
    "shares": ("share", "shares"),
}
NO_INSTAGRAM = "Threads tells it only for profiles linked to an Instagram account"
EXCERPT = 80  # characters of a post's text shown with its numbers


@dataclass(frozen=True, slots=True)
class AccountInsights:
    """The account's numbers for a period, as Threads answered."""

    username: str
    period: Period
    totals: Mapping[str, int]  # metric -> value, for the metrics Threads answered
    views: tuple[tuple[datetime, int], ...]  # views per day: (end_time, value)
    followers: int | None  # None: Threads would not tell (why in followers_error)
    followers_error: str = ""


@dataclass(frozen=True, slots=True)
class PostInsights:
    """A post's lifetime numbers; `totals` is empty for a repost (Threads keeps none)."""

    post: Post
    totals: Mapping[str, int]


async def account_insights(
    threads: ThreadsClient, username: str, period: Period
) -> AccountInsights:
    """Two requests: the follower count (which may be refused), then the period's metrics."""
    followers: int | None = None
    followers_error = ""
    try:
        (followers,) = [i.value for i in await threads.user_insights(["followers_count"])]
    except (InvalidParameter, PermissionDenied) as exc:  # this metric refused, not the rest
        log.info("follower count unavailable: %s", exc)
        followers_error = (
            NO_INSTAGRAM if "FEATURE_NOT_AVAILABLE" in exc.reason else exc.reason.rstrip(".")
        )
    except ValueError:  # not exactly one value came back
        followers_error = "Threads sent no value"
    answered = await threads.user_insights(ACCOUNT_METRICS, since=period.since, until=period.until)
    by_name = {insight.name: insight for insight in answered}
    totals = {name: by_name[name].value for name in ACCOUNT_METRICS if name in by_name}
    views = by_name["views"].series if "views" in by_name else ()
    return AccountInsights(username, period, totals, views, followers, followers_error)


async def post_insights(threads: ThreadsClient, post: Post) -> PostInsights:
    if post.is_repost:
        return PostInsights(post, {})  # documented: reposts answer an empty list
    answered = {i.name: i.value for i in await threads.media_insights(post.id, POST_METRICS)}
    return PostInsights(post, {name: answered[name] for name in POST_METRICS if name in answered})


def account_words(report: AccountInsights) -> str:
    """e.g. "@alice on Threads, last 7 days (28 Nov to 4 Dec, UTC):
    12,345 views, 67 likes, 8 replies, 3 reposts, 1 quote, 42 link clicks
    1,234 followers"."""
    period = report.period
    lines = [
        f"@{report.username} on Threads, {period.label} ({period.span}, UTC):",
        counts(report.totals) or "Threads sent no numbers for this period.",
    ]
    if report.followers is not None:
        lines.append(said(report.followers, ("follower", "followers")))
    else:
        lines.append(f"Followers: not available ({report.followers_error}).")
    return "\n".join(lines)


def post_words(report: PostInsights) -> str:
    post = report.post
    lines = [f"Post insights, lifetime: {post.permalink or f'post {post.id}'}"]
    if post.text:
        lines.append(f"“{excerpt(post.text, EXCERPT)}”")
    if post.is_repost:
        lines.append("Threads keeps no insights for a repost: ask about the original post.")
    else:
        lines.append(counts(report.totals) or "Threads sent no numbers for this post.")
    return "\n".join(lines)


def counts(totals: Mapping[str, int]) -> str:
    """ "12,345 views, 1 like, 0 replies" in the order given."""
    return ", ".join(said(value, _NOUNS[name]) for name, value in totals.items())


def said(value: int, nouns: tuple[str, str]) -> str:
    """ "1 like", "2 likes"."""
    one, many = nouns
    return f"{value:,} {one if value == 1 else many}"
