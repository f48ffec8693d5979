"""/profile and /status."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.commands.discovery_words import budget_line, every, search_budget_line
from bot.events import Command, Reply, SourceKind
from bot.links import parse_username, profile_url
from bot.render import profile_title
from bot.threads.errors import ThreadsError


async def profile(ctx: Context, command: Command) -> Reply:
    words = command.args.split()
    username = parse_username(words[0]) if words else None
    if username is None:
        raise UsageError
    found = await ctx.threads.profile_lookup(username)
    ctx.store.sources.save_profile(found)
    lines = [profile_title(found) + (" ✓" if found.is_verified else "")]
    if found.follower_count is not None:
        lines.append(f"{found.follower_count:,} followers")
    if found.biography:
        lines.append(found.biography)
    lines.append(profile_url(found.username))
    return Reply("\n".join(lines))


async def status(ctx: Context, command: Command) -> Reply:
    now = time.time()
    sources = ctx.store.sources.active()
    lines = [f"Watching {len(sources)} Threads source{'s' if len(sources) != 1 else ''}."]
    for source in sources:
        label = f"@{ctx.me.username}" if source.kind is SourceKind.ME and ctx.me else source.label
        polled = (
            f"last polled {_ago(now - source.last_polled)}"
            if source.last_polled
            else "not polled yet"
        )
        problem = (
            f"; failing: {source.last_error}" if source.failures and source.last_error else ""
        )
        planned = ctx.search if source.kind is SourceKind.SEARCH else ctx.discovery
        checked = f"checked {every(planned.interval(source))}, " if planned else ""
        _, last_post = ctx.store.feed.activity(source.id, now)
        posted = f", last post {_ago(now - last_post)}" if last_post else ""
        lines.append(f"• {label}: {checked}{polled}{posted}{problem}")
    if ctx.discovery is not None:
        lines.append(budget_line(ctx.discovery))
    if ctx.search is not None and (ctx.search.profiles() or ctx.search.used()):
        lines.append(search_budget_line(ctx.search))  # only for those who use searches
    lines.append(f"Deliveries waiting: {ctx.store.outbox.depth()}")
    lines.append(f"Posts waiting to be published: {len(ctx.store.queue.waiting())}")
    try:
        limit = await ctx.threads.publishing_limit()
    except ThreadsError as exc:
        lines.append(f"Publishing quota: unknown ({exc.reason})")
    else:
        quota = (
            f"Publishing quota left today: {limit.posts.remaining} of {limit.posts.total} posts"
        )
        if limit.replies is not None:
            quota += f", {limit.replies.remaining} of {limit.replies.total} replies"
        lines.append(quota)
    lines.append(_token_line(ctx, now))
    return Reply("\n".join(lines))


def _token_line(ctx: Context, now: float) -> str:
    token = ctx.store.tokens.get()
    if token is None or token.expires_at is None:
        return "Threads token: expiry not known yet (learned at its first refresh)"
    when = datetime.fromtimestamp(token.expires_at, UTC).strftime("%Y-%m-%d")
    days = (token.expires_at - now) / 86400
    if days < 0:
        return f"Threads token: expired on {when}; sign in again with threads-bridge auth"
    problem = f" (last refresh failed: {token.refresh_error})" if token.refresh_error else ""
    return f"Threads token: expires {when}, in {days:.0f} days{problem}"


def _ago(seconds: float) -> str:
    if seconds < 90:
        return f"{int(seconds)} s ago"
    if seconds < 90 * 60:
        return f"{int(seconds // 60)} min ago"
    return f"{seconds / 3600:.1f} h ago"


COMMANDS = (
    CommandSpec("profile", "USERNAME", "a Threads profile's card", Permission.ANYONE, profile),
    CommandSpec(
        "status",
        "",
        "what the bridge watches, its queue and publishing quota",
        Permission.ANYONE,
        status,
    ),
)
