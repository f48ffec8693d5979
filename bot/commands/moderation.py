"""Hide / Unhide under a delivered reply, and Telegram's Reply button: button commands.

A reply to one of the connected account's posts (a `/watch replies` delivery) carries them;
a click comes back as `hide` / `unhide` (args: the reply's Threads id) through
`Bridge.handle`, publishers only. The answer carries a `MessageUpdate`: the adapter changes the
delivered message to say the reply is hidden, and by whom, and swaps the button.
"""

from __future__ import annotations

import logging

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.commands.explain import explain
from bot.events import Button, Command, FeedItem, MessageUpdate, Reply
from bot.threads.errors import ThreadsError

log = logging.getLogger(__name__)

HIDE, UNHIDE, REPLY_HINT = "hide", "unhide", "replyto"
HIDDEN_MARK = "🙈"  # opens the status line of a hidden reply


def moderation_buttons(post_id: str, *, hidden: bool) -> tuple[Button, ...]:
    if hidden:
        return (Button("Unhide", UNHIDE, post_id),)
    return (Button("Hide", HIDE, post_id, danger=True),)


def delivered_buttons(item: FeedItem) -> tuple[Button, ...]:
    """The bridge's buttons under a delivered post: Hide (or Unhide, for a reply that was
    already hidden when it was read) on a reply the account may moderate."""
    if not item.moderated:
        return ()
    return moderation_buttons(item.post.id, hidden=item.post.hide_status == "HIDDEN")


def hidden_status(who: str) -> str:
    return f"{HIDDEN_MARK} Hidden on Threads by {who}"


async def hide(ctx: Context, command: Command) -> Reply:
    return await _manage(ctx, command, hide=True)


async def unhide(ctx: Context, command: Command) -> Reply:
    return await _manage(ctx, command, hide=False)


async def _manage(ctx: Context, command: Command, *, hide: bool) -> Reply:
    reply_id = command.args
    if not reply_id.isdigit():
        raise UsageError
    action = HIDE if hide else UNHIDE
    try:
        await ctx.threads.manage_reply(reply_id, hide=hide)
    except ThreadsError as exc:
        log.warning("%s of reply %s failed: %s", action, reply_id, exc)
        ctx.store.audit.record(command.chat, command.user, action, reply_id, "error", exc.reason)
        return Reply(explain(exc), ok=False, private=True)
    ctx.store.audit.record(command.chat, command.user, action, reply_id, "ok")
    who = command.user.name
    log.info("reply %s %s on Threads by %s", reply_id, "hidden" if hide else "unhidden", who)
    if hide:
        return Reply(
            f"Hidden on Threads by {who}.",
            update=MessageUpdate(hidden_status(who), moderation_buttons(reply_id, hidden=True)),
        )
    return Reply(
        f"Shown again on Threads by {who}.",
        update=MessageUpdate(None, moderation_buttons(reply_id, hidden=False)),
    )


async def reply_hint(ctx: Context, command: Command) -> Reply:
    """Telegram's Reply: a click cannot carry text, so it says how to answer (Discord's
    Reply button opens a form instead)."""
    return Reply(
        "Answer this message with /reply and your text: it is published on Threads as a "
        "reply to this post.",
        private=True,
    )


_PUBLISHERS_ONLY = "Only configured publishers can hide, unhide or answer replies."

BUTTON_COMMANDS = (
    CommandSpec(
        HIDE,
        "ID",
        "hide a reply to the account's post on Threads (its Hide button)",
        Permission.PUBLISHER,
        hide,
        refusal=_PUBLISHERS_ONLY,
    ),
    CommandSpec(
        UNHIDE,
        "ID",
        "show a hidden reply again (its Unhide button)",
        Permission.PUBLISHER,
        unhide,
        refusal=_PUBLISHERS_ONLY,
    ),
    CommandSpec(
        REPLY_HINT,
        "ID",
        "how to answer a delivered post (Telegram's Reply button)",
        Permission.PUBLISHER,
        reply_hint,
        refusal=_PUBLISHERS_ONLY,
    ),
)
