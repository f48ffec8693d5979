"""/insights: the account's numbers for a period, with a chart of views per day; or one
post's numbers (a LINK, or answering a post the bridge delivered).

For anyone in the chat: it only reads, and most of what it tells (likes, replies, reposts,
quotes, followers, a post's views) Threads shows publicly on the account's posts anyway.
Restricting it to chat admins would cost a role lookup per use on Telegram and hide the
numbers from the team a bridged chat is usually for.
"""

from __future__ import annotations

from bot.commands.base import CommandSpec, Context, Permission, UsageError

# The post a command is about: shared with /reply, /quote and /repost.
from bot.commands.publish import NotBridged, _target
from bot.events import Command, Reply
from bot.insights import (
    DEFAULT_PERIOD,
    PERIOD_DAYS,
    account_answer,
    period_of,
    post_insights,
    post_words,
)


async def insights(ctx: Context, command: Command) -> Reply:
    words = command.args.lower().split()
    if len(words) > 1 or (words and words[0] not in PERIOD_DAYS):
        return await _post(ctx, command)
    if not words and command.reply_to_message_id is not None:
        answered = ctx.store.feed.post_for_message(
            command.chat.platform, command.chat.chat_id, command.reply_to_message_id
        )
        if answered is not None:  # answering a bridged post: that post's numbers
            return await _post(ctx, command)
    return await _account(ctx, words[0] if words else DEFAULT_PERIOD)


async def _account(ctx: Context, period_name: str) -> Reply:
    me = ctx.me or await ctx.threads.me()
    return await account_answer(ctx.threads, me.username, period_of(period_name, ctx.clock.time()))


async def _post(ctx: Context, command: Command) -> Reply:
    try:
        target, rest = await _target(ctx, command)
    except NotBridged:
        raise UsageError from None  # answering a message that is no bridged post, with words
    if rest:
        raise UsageError
    post = await ctx.threads.media(target)
    own = ctx.me.username if ctx.me is not None else None
    if own is not None and post.username is not None and post.username.lower() != own.lower():
        return Reply(
            f"Threads shares insights only for @{own}'s own posts; this one is "
            f"@{post.username}'s.",
            ok=False,
        )
    return Reply(post_words(await post_insights(ctx.threads, post)))


COMMANDS = (
    CommandSpec(
        "insights",
        "[day|week|month|LINK]",
        "the account's views, likes, replies, reposts, quotes, link clicks and followers for "
        "today, the last 7 days (default) or 30 days, with a chart of views per day; a post's "
        "numbers: give its link, or answer its message",
        Permission.ANYONE,
        insights,
    ),
)
