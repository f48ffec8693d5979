"""`/watch "some words"`, `/watch #tag` and their /unwatch: search watches (bot/search.py).

A search source runs `keyword_search` for the chat (jobs/search_polling.py) and spends Meta's
keyword-search budget, not the profile-discovery one; /watch says how often it will look.
"""

from __future__ import annotations

from bot.commands.base import Context
from bot.commands.discovery_words import search_notice
from bot.events import Command, Reply, Source, SourceKind, Subscription
from bot.search import SearchQuery, SearchRefused, parse_search


def _search(command: Command) -> SearchQuery | Reply | None:
    """The search the arguments ask for, a refusal in words, or None: no search (a username)."""
    try:
        return parse_search(command.args)
    except SearchRefused as exc:
        return Reply(str(exc), ok=False)


def _current(ctx: Context, command: Command, query: SearchQuery) -> Subscription | None:
    for subscription in ctx.store.subscriptions.for_chat(
        command.chat.platform, command.chat.chat_id
    ):
        source = subscription.source
        if (
            subscription.destination == command.chat
            and source.kind is SourceKind.SEARCH
            and source.key == query.key
        ):
            return subscription
    return None


def described(query: SearchQuery) -> str:
    """What a search watch delivers, in words."""
    if query.mode == "TAG":
        return f"public posts tagged {query}"
    return f"public posts with the words {query}"


async def watch_search(ctx: Context, command: Command) -> Reply | None:
    """/watch for a search; None when the arguments name no search."""
    query = _search(command)
    if not isinstance(query, SearchQuery):
        return query
    current = _current(ctx, command, query)
    if current is not None and not current.paused:
        return Reply(f"This chat already watches {query}.")
    source = ctx.store.sources.ensure(SourceKind.SEARCH, query.key)
    ctx.store.subscriptions.add(source, command.chat, origin="chat", created_by=command.user.id)
    ctx.watcher.watch(source)
    text = f"Now watching {described(query)}. New ones will appear here."
    if ctx.search is not None:
        text += "\n" + search_notice(ctx.search, source)
    return Reply(text)


async def unwatch_search(ctx: Context, command: Command) -> Reply | None:
    """/unwatch for a search; None when the arguments name no search."""
    query = _search(command)
    if not isinstance(query, SearchQuery):
        return query
    current = _current(ctx, command, query)
    if current is None:
        return Reply(f"This chat does not watch {query}.", ok=False)
    if current.origin == "config":
        return Reply(
            f"{query} is watched here because the bridge's configuration file says so; "
            "the operator can remove it there.",
            ok=False,
        )
    ctx.store.subscriptions.end(current.source, current.destination)
    if not ctx.store.subscriptions.of_source(current.source.id):
        ctx.watcher.unwatch(current.source)
    return Reply(f"Stopped watching {query} here.")


def list_label(source: Source) -> str:
    """A search source in /list: `#tag (search)`."""
    return f"{source.label} (search)"
