"""/delete: remove one of the connected account's posts from Threads, after a confirmation
click (publishers only; Meta allows 100 deletions per rolling 24 h)."""

from __future__ import annotations

import logging
import time

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.commands.publish import NotBridged, _target
from bot.events import Command, Confirm, MediaKind, Post, Reply
from bot.threads.errors import InvalidParameter, RateLimited, ThreadsError

log = logging.getLogger(__name__)

DAILY_DELETES = 100  # Meta's limit per account per rolling 24 h
WINDOW = 24 * 3600.0
ACTION = "delete"  # the audit's action: counted for the daily limit
WORDS = 60  # characters of a post's text that name it in the answers

_NO_TEXT = {
    MediaKind.IMAGE: "an image post",
    MediaKind.VIDEO: "a video post",
    MediaKind.CAROUSEL: "a carousel post",
    MediaKind.AUDIO: "an audio post",
    MediaKind.REPOST: "a repost",
}


async def delete(ctx: Context, command: Command) -> Reply:
    """`/delete LINK`, or `/delete` answering a bridged post's message: asks first, with a
    Delete button; the click runs it again with `confirmed` and the media id as its args."""
    if command.confirmed:
        return await _delete_now(ctx, command, command.args)
    try:
        target, rest = await _target(ctx, command)
    except NotBridged:
        return Reply(
            "That message is not a bridged Threads post. Reply to a post the bridge delivered, "
            "or use /delete LINK.",
            ok=False,
        )
    if rest:
        raise UsageError
    post_or_refusal = await _own_post(ctx, command, target)
    if isinstance(post_or_refusal, Reply):
        return post_or_refusal
    post = post_or_refusal
    refusal = _over_the_daily_limit(ctx, command, target)
    if refusal is not None:
        return refusal
    link = f"\n{post.permalink}" if post.permalink else ""
    return Reply(
        f"Delete this post from Threads? {first_words(post)}{link}\n"
        "This cannot be undone. Only you can confirm, within 10 minutes.",
        confirm=Confirm("Delete", args=target),
    )


async def _delete_now(ctx: Context, command: Command, target: str) -> Reply:
    """After the click: the same checks again (time has passed), then the deletion."""
    post_or_refusal = await _own_post(ctx, command, target)
    if isinstance(post_or_refusal, Reply):
        return post_or_refusal
    refusal = _over_the_daily_limit(ctx, command, target)
    if refusal is not None:
        return refusal
    words = first_words(post_or_refusal)
    audit = ctx.store.audit
    try:
        await ctx.threads.delete(target)
    except RateLimited as exc:
        # Meta counts deletions made anywhere (the Threads app too), which the bridge's
        # own count cannot see.
        audit.record(command.chat, command.user, ACTION, target, "error", exc.reason)
        return Reply(
            f"Threads refused: the account has used Meta's {DAILY_DELETES} deletions of the last "
            "24 hours (deletions in the Threads app count too). Try again later.",
            ok=False,
        )
    except ThreadsError as exc:
        audit.record(command.chat, command.user, ACTION, target, "error", exc.reason)
        raise
    audit.record(command.chat, command.user, ACTION, target, "ok", None, at=ctx.clock.time())
    log.info("deleted post %s from Threads for %s", target, command.chat)
    return Reply(f"Deleted from Threads: {words}")


async def _own_post(ctx: Context, command: Command, target: str) -> Post | Reply:
    """The post when it is the connected account's; otherwise the refusal (audited)."""
    me = ctx.me or await ctx.threads.me()
    try:
        post = await ctx.threads.media(target)
    except InvalidParameter as exc:
        log.info("post %s to delete not found: %s", target, exc.reason)
        return _refused(
            ctx, command, target, "That post is not on Threads (it may be deleted already)."
        )
    if (post.username or "").lower() != me.username.lower():
        return _refused(
            ctx,
            command,
            target,
            f"You can only delete posts of the connected account (@{me.username}).",
        )
    return post


def _over_the_daily_limit(ctx: Context, command: Command, target: str) -> Reply | None:
    """The refusal when the bridge made Meta's 100 deletions in the last 24 h, with when the
    oldest of them leaves the window."""
    now = ctx.clock.time()
    times = ctx.store.audit.times(ACTION, "ok", since=now - WINDOW)
    if len(times) < DAILY_DELETES:
        return None
    frees_at = times[len(times) - DAILY_DELETES] + WINDOW
    when = time.strftime("%H:%M", time.gmtime(frees_at))
    return _refused(
        ctx,
        command,
        target,
        f"Threads allows {DAILY_DELETES} deletions a day; the next one is possible at {when} UTC.",
    )


def _refused(ctx: Context, command: Command, target: str, text: str) -> Reply:
    ctx.store.audit.record(command.chat, command.user, ACTION, target, "refused", text)
    return Reply(text, ok=False)


def first_words(post: Post) -> str:
    """What names a post in an answer: its text's first words (up to ~60 characters)."""
    text = " ".join(post.text.split())
    if not text:
        return _NO_TEXT.get(post.kind, "a post without text")
    if len(text) <= WORDS:
        return f"“{text}”"
    cut = text[:WORDS].rsplit(" ", 1)[0] if " " in text[:WORDS] else text[:WORDS]
    return f"“{cut}…”"


COMMANDS = (
    CommandSpec(
        "delete",
        "[LINK]",
        "delete a post of the connected account from Threads: answer its message or give its "
        "link; a Delete button confirms (100 a day)",
        Permission.PUBLISHER,
        delete,
    ),
)
