"""`/watch replies` and `/watch mentions`: the connected account's inbox as sources.

The word alone (`replies`, `mentions`) names the inbox; a Threads user who is called that is
still reachable as `@replies`. Both sources read the connected account's own endpoints, so
they cost no discovery quota.
"""

from __future__ import annotations

from bot.commands.base import Context
from bot.events import Command, Reply, Source, SourceKind

KEYWORDS = {"replies": SourceKind.REPLIES, "mentions": SourceKind.MENTIONS}
INBOX_KINDS = frozenset(KEYWORDS.values())


def inbox_kind(command: Command) -> SourceKind | None:
    """The inbox source the arguments name (the bare word, any case), if they name one."""
    words = command.args.split()
    return KEYWORDS.get(words[0].lower()) if len(words) == 1 else None


def inbox_label(source: Source, ctx: Context) -> str:
    """`replies to @alice's posts` / `mentions of @alice`, as /list shows them."""
    account = f"@{ctx.me.username}" if ctx.me is not None else "the connected account"
    if source.kind is SourceKind.REPLIES:
        return f"replies to {account}'s posts" if ctx.me else "replies to its posts"
    return f"mentions of {account}"


async def watch_inbox(ctx: Context, command: Command, kind: SourceKind) -> Reply:
    label = _word(kind)
    already = [
        s
        for s in ctx.store.subscriptions.for_chat(command.chat.platform, command.chat.chat_id)
        if s.source.kind is kind and s.destination == command.chat and not s.paused
    ]
    if already:
        return Reply(f"This chat already watches {label}.")
    source = ctx.store.sources.ensure(kind, kind.value)
    ctx.store.subscriptions.add(source, command.chat, origin="chat", created_by=command.user.id)
    ctx.watcher.watch(source)
    if kind is SourceKind.REPLIES:
        news = (
            "New replies will appear here; publishers can hide, unhide and answer them "
            "with the buttons underneath."
        )
    else:
        news = "New posts that mention the account will appear here."
    return Reply(f"Now watching {inbox_label(source, ctx)}. {news}")


async def unwatch_inbox(ctx: Context, command: Command, kind: SourceKind) -> Reply:
    label = _word(kind)
    for subscription in ctx.store.subscriptions.for_chat(
        command.chat.platform, command.chat.chat_id
    ):
        if subscription.destination != command.chat or subscription.source.kind is not kind:
            continue
        if subscription.origin == "config":
            return Reply(
                f"{label.capitalize()} are watched here because the bridge's configuration "
                "file says so; the operator can remove it there.",
                ok=False,
            )
        ctx.store.subscriptions.end(subscription.source, subscription.destination)
        if not ctx.store.subscriptions.of_source(subscription.source.id):
            ctx.watcher.unwatch(subscription.source)
        return Reply(f"Stopped watching {label} here.")
    return Reply(f"This chat does not watch {label}.", ok=False)


def _word(kind: SourceKind) -> str:
    return "replies" if kind is SourceKind.REPLIES else "mentions"
