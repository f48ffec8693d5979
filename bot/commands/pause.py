"""/pause and /resume: a chat holds one of its subscriptions for a while, and comes back
without a flood; /preview: a profile's latest post as this chat would receive it.

A paused subscription queues nothing (the fan-out leaves it out), but its source is still
polled and its posts recorded, for every other chat and so that `/resume bob 3` can deliver
the last three that arrived meanwhile. By default /resume skips them all.
"""

from __future__ import annotations

import time

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.commands.inbox_watch import KEYWORDS as INBOX_WORDS
from bot.commands.watch import _label, _matches
from bot.events import Command, FeedItem, Reply, SourceKind, Subscription
from bot.fanout import fan_out
from bot.links import parse_username
from bot.search import SearchRefused, parse_search
from bot.threads import ThreadsError

MOST_ON_RESUME = 5  # posts /resume may bring back: more would be the flood it avoids


def _subscription(ctx: Context, command: Command, label: str) -> Subscription | Reply:
    """This chat's subscription the label names (a username, me, replies, mentions, a search),
    or the refusal in words."""
    chat = command.chat
    current = [
        s
        for s in ctx.store.subscriptions.for_chat(chat.platform, chat.chat_id)
        if s.destination == chat
    ]
    try:
        query = parse_search(label)
    except SearchRefused as exc:
        return Reply(str(exc), ok=False)
    kind = INBOX_WORDS.get(label.lower())
    username = parse_username(label) if " " not in label else None
    if query is not None:
        found = [s for s in current if s.source.kind is SourceKind.SEARCH]
        found = [s for s in found if s.source.key == query.key]
        named = str(query)
    elif kind is not None:
        found = [s for s in current if s.source.kind is kind]
        named = kind.value
    elif username is not None:
        found = [s for s in current if _matches(s.source, username, ctx)]
        named = f"@{username}"
    else:
        raise UsageError
    if not found:
        return Reply(f"This chat does not watch {named}.", ok=False)
    return found[0]


async def pause(ctx: Context, command: Command) -> Reply:
    label = command.args.strip()
    if not label:
        raise UsageError
    found = _subscription(ctx, command, label)
    if isinstance(found, Reply):
        return found
    name = _label(found.source, ctx)
    if found.paused_at is not None:
        return Reply(f"{name} is already paused here. /resume {label} brings it back.", ok=False)
    if found.paused:
        return Reply(f"{name} is already paused here: {found.paused_reason}.", ok=False)
    ctx.store.subscriptions.hold(found.id, time.time())
    return Reply(
        f"Paused {name} here: nothing more arrives until /resume {label}. Other chats "
        "watching it are not affected."
    )


def _resume_args(args: str) -> tuple[str, int | None]:
    """`bob` -> ("bob", None); `bob 3` -> ("bob", 3); the count is checked by the caller."""
    label, _, last = args.strip().rpartition(" ")
    if label and last.removeprefix("-").isdigit():
        return label.strip(), int(last)
    return args.strip(), None


async def resume(ctx: Context, command: Command) -> Reply:
    label, asked = _resume_args(command.args)
    if not label:
        raise UsageError
    if asked is not None and not 1 <= asked <= MOST_ON_RESUME:
        return Reply(
            f"/resume brings back at most the last {MOST_ON_RESUME} posts of the pause; "
            f"{asked} is not between 1 and {MOST_ON_RESUME}.",
            ok=False,
        )
    found = _subscription(ctx, command, label)
    if isinstance(found, Reply):
        return found
    name = _label(found.source, ctx)
    if found.paused_at is None:
        return Reply(f"{name} is not paused here.", ok=False)
    # What the fan-out would have queued for this chat had it not been paused, in order.
    missed = ctx.store.feed.recorded_since(found.source.id, found.paused_at)
    owed = [o.item.post.id for o in fan_out(missed, [found])]
    count = asked or 0
    brought = owed[len(owed) - count :] if count else []
    queued = ctx.store.subscriptions.release(found.id, brought, time.time())
    if queued:
        ctx.deliveries_queued()
    skipped = len(owed) - queued
    text = f"Resumed {name}"
    if not owed:
        return Reply(f"{text}; nothing arrived during the pause.")
    if not queued:
        return Reply(f"{text}; {_posts(skipped, 'the')} of the pause {_are(skipped)} skipped.")
    text += f"; here {_are(queued)} the last {_posts(queued, '')} of the pause"
    if skipped:
        text += f" ({skipped} older skipped)"
    return Reply(text + ".")


def _posts(n: int, article: str) -> str:
    if n == 1:
        return f"{article} post".strip() if article else "post"
    return f"{article} {n} posts".strip()


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


async def preview(ctx: Context, command: Command) -> Reply:
    label = command.args.strip()
    words = label.split()
    username = parse_username(words[0]) if len(words) == 1 else None
    if username is None:
        raise UsageError
    item = await _latest(ctx, username)
    if item is None:
        return Reply(f"@{username} has no posts to preview yet.", ok=False)
    text = f"Preview: @{username}'s latest post, as this chat would receive it."
    return Reply(text, preview=item)


async def _latest(ctx: Context, username: str) -> FeedItem | None:
    """The latest post the bridge recorded for the profile; else one read from Threads (a
    profile nobody watches costs up to two discovery calls, a stored profile one)."""
    me = ctx.me is not None and ctx.me.username.lower() == username
    kind = SourceKind.ME if username == "me" or me else SourceKind.PROFILE
    source = ctx.store.sources.find(kind, "me" if kind is SourceKind.ME else username)
    if source is not None and (stored := ctx.store.feed.latest(source.id)) is not None:
        return stored
    if kind is SourceKind.ME:
        posts = (await ctx.threads.user_threads(limit=1)).items
        author = ctx.me
    else:
        author = ctx.store.sources.profile(username)
        if author is None:
            author = await ctx.threads.profile_lookup(username)
            ctx.store.sources.save_profile(author)
        posts = (await ctx.threads.profile_posts(username, limit=1)).items
    if not posts:
        return None
    post = posts[0]
    related_id = post.reposted_post_id or post.quoted_post_id or post.replied_to_id
    related = None
    if related_id is not None:
        try:
            related = await ctx.threads.media(related_id)
        except ThreadsError:
            related = None  # best effort, as the poller's: the post is shown without it
    return FeedItem(post, author, related)


COMMANDS = (
    CommandSpec(
        "pause",
        "USERNAME",
        "stop a watched profile's posts here for a while (other chats keep theirs)",
        Permission.CHAT_ADMIN,
        pause,
    ),
    CommandSpec(
        "resume",
        "USERNAME [N]",
        "receive a paused profile again: what it posted meanwhile is skipped, or its last N "
        f"posts (1-{MOST_ON_RESUME}) delivered",
        Permission.CHAT_ADMIN,
        resume,
    ),
    CommandSpec(
        "preview",
        "USERNAME",
        "show a profile's latest post as this chat would receive it",
        # It posts into the whole chat, and a profile the bridge has not read yet costs
        # discovery calls: as /watch, for chat admins.
        Permission.CHAT_ADMIN,
        preview,
    ),
)
