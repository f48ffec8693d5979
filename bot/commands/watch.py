"""/watch, /unwatch and /list: which Threads profiles (and searches: search_watch.py) this chat
receives."""

from __future__ import annotations

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.commands.discovery_words import watch_notice
from bot.commands.inbox_watch import (
    INBOX_KINDS,
    inbox_kind,
    inbox_label,
    unwatch_inbox,
    watch_inbox,
)
from bot.commands.search_watch import list_label, unwatch_search, watch_search
from bot.events import Command, Reply, Source, SourceKind
from bot.links import parse_username
from bot.render import profile_title


def _username(command: Command) -> str:
    words = command.args.split()
    username = parse_username(words[0]) if len(words) == 1 else None
    if username is None:
        raise UsageError
    return username


async def _source_for(ctx: Context, username: str) -> tuple[Source, str]:
    """The source to poll for a username, and how to describe it.

    The connected account is read through /me/threads, which costs no discovery quota; anyone
    else is looked up first, so a typo is caught now rather than at every poll.
    """
    if username == "me" or (ctx.me is not None and ctx.me.username.lower() == username):
        described = (
            f"@{ctx.me.username} (the connected account)" if ctx.me else "the connected account"
        )
        return ctx.store.sources.ensure(SourceKind.ME, "me"), described
    profile = await ctx.threads.profile_lookup(username)
    ctx.store.sources.save_profile(profile)
    name = profile_title(profile)
    if profile.follower_count is not None:
        name += f", {profile.follower_count:,} followers"
    return ctx.store.sources.ensure(SourceKind.PROFILE, username), name


async def watch(ctx: Context, command: Command) -> Reply:
    if (searched := await watch_search(ctx, command)) is not None:
        return searched
    kind = inbox_kind(command)
    if kind is not None:
        return await watch_inbox(ctx, command, kind)
    username = _username(command)
    existing = [
        s
        for s in ctx.store.subscriptions.for_chat(command.chat.platform, command.chat.chat_id)
        if _matches(s.source, username, ctx) and s.destination == command.chat
    ]
    if existing and not existing[0].paused:
        return Reply(f"This chat already watches @{username}.")
    source, described = await _source_for(ctx, username)
    ctx.store.subscriptions.add(source, command.chat, origin="chat", created_by=command.user.id)
    ctx.watcher.watch(source)
    text = f"Now watching {described}. New posts will appear here."
    if source.kind is SourceKind.PROFILE and ctx.discovery is not None:
        text += "\n" + watch_notice(ctx.discovery, source)
    return Reply(text)


async def unwatch(ctx: Context, command: Command) -> Reply:
    if (searched := await unwatch_search(ctx, command)) is not None:
        return searched
    kind = inbox_kind(command)
    if kind is not None:
        return await unwatch_inbox(ctx, command, kind)
    username = _username(command)
    for subscription in ctx.store.subscriptions.for_chat(
        command.chat.platform, command.chat.chat_id
    ):
        if subscription.destination != command.chat or not _matches(
            subscription.source, username, ctx
        ):
            continue
        if subscription.origin == "config":
            return Reply(
                f"@{username} is watched here because the bridge's configuration file says so; "
                "the operator can remove it there.",
                ok=False,
            )
        ctx.store.subscriptions.end(subscription.source, subscription.destination)
        if not ctx.store.subscriptions.of_source(subscription.source.id):
            ctx.watcher.unwatch(subscription.source)
        return Reply(f"Stopped watching @{username} here.")
    return Reply(f"This chat does not watch @{username}.", ok=False)


async def list_subscriptions(ctx: Context, command: Command) -> Reply:
    subscriptions = [
        s
        for s in ctx.store.subscriptions.for_chat(command.chat.platform, command.chat.chat_id)
        if s.destination == command.chat
    ]
    if not subscriptions:
        return Reply("This chat watches no Threads profiles yet. Add one with /watch USERNAME.")
    lines = ["This chat watches:"]
    for subscription in subscriptions:
        label = _label(subscription.source, ctx)
        if subscription.origin == "config":
            label += " (from the configuration file)"
        if subscription.paused_reason:
            label += f" (paused: {subscription.paused_reason})"
        elif subscription.paused_at is not None:
            label += " (paused)"
        lines.append(f"• {label}")
    return Reply("\n".join(lines))


def _label(source: Source, ctx: Context) -> str:
    if source.kind is SourceKind.SEARCH:
        return list_label(source)
    if source.kind in INBOX_KINDS:
        return inbox_label(source, ctx)
    if source.kind is SourceKind.ME:
        return f"@{ctx.me.username}" if ctx.me else "the connected account"
    return f"@{source.key}"


def _matches(source: Source, username: str, ctx: Context) -> bool:
    if source.kind in INBOX_KINDS:
        return False  # `@replies` is a profile of that name, never the inbox
    if source.kind is SourceKind.ME:
        return username == "me" or (ctx.me is not None and ctx.me.username.lower() == username)
    return source.key == username


COMMANDS = (
    CommandSpec(
        "watch",
        'USERNAME | "WORDS" | #TAG',
        "deliver a Threads profile's new posts to this chat, or new public posts with those "
        "words or that topic tag",
        Permission.CHAT_ADMIN,
        watch,
    ),
    CommandSpec(
        "unwatch",
        'USERNAME | "WORDS" | #TAG',
        "stop delivering a profile's or a search's posts here",
        Permission.CHAT_ADMIN,
        unwatch,
    ),
    CommandSpec(
        "list",
        "",
        "the profiles and searches this chat watches",
        Permission.ANYONE,
        list_subscriptions,
    ),
)
