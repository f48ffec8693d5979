"""Hide / Unhide (or Approve / Ignore, for a reply waiting for approval) under a delivered
reply, and Telegram's Reply button: button commands.

A reply to one of the connected account's posts (a `/watch replies` delivery) carries them;
a click comes back as `hide` / `unhide` (args: the reply's Threads id) through
`Bridge.handle`, publishers only. The answer carries a `MessageUpdate`: the adapter changes the
delivered message to say the reply is hidden, and by whom, and swaps the button.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.commands.explain import explain
from bot.events import Button, Command, FeedItem, MessageUpdate, Reply
from bot.threads.errors import ThreadsError

log = logging.getLogger(__name__)

HIDE, UNHIDE, REPLY_HINT = "hide", "unhide", "replyto"
APPROVE_REPLY, IGNORE_REPLY = "approvereply", "ignorereply"
HIDDEN_MARK, APPROVED_MARK, IGNORED_MARK, WAITING_MARK = "🙈", "✅", "🚫", "⏳"
# What opens the status line under a delivered reply (a click's update replaces it).
STATUS_MARKS = (HIDDEN_MARK, APPROVED_MARK, IGNORED_MARK, WAITING_MARK)
WAITING = f"{WAITING_MARK} Waiting for approval on Threads"
# The button commands whose answer changes the message their button is on (after a call to
# Threads: an adapter with a response deadline acknowledges the click first).
UPDATES_ITS_MESSAGE = frozenset({HIDE, UNHIDE, APPROVE_REPLY, IGNORE_REPLY})


def moderation_buttons(post_id: str, *, hidden: bool) -> tuple[Button, ...]:
    if hidden:
        return (Button("Unhide", UNHIDE, post_id),)
    return (Button("Hide", HIDE, post_id, danger=True),)


def approval_buttons(post_id: str, *, ignored: bool = False) -> tuple[Button, ...]:
    approve = Button("Approve", APPROVE_REPLY, post_id)
    return (approve,) if ignored else (approve, Button("Ignore", IGNORE_REPLY, post_id))


def delivered_buttons(item: FeedItem) -> tuple[Button, ...]:
    """The bridge's buttons under a delivered post, on a reply the account may moderate:
    Approve / Ignore while it waits for approval, else Hide (or Unhide, for a reply that was
    already hidden when it was read)."""
    if not item.moderated:
        return ()
    if item.post.reply_approval_status == "pending":
        return approval_buttons(item.post.id)
    return moderation_buttons(item.post.id, hidden=item.post.hide_status == "HIDDEN")


def delivered_status(item: FeedItem) -> str | None:
    """The status line a reply is delivered with: that it waits for approval, if it does."""
    if item.moderated and item.post.reply_approval_status == "pending":
        return WAITING
    return None


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
    refused = await _audited(ctx, command, action, ctx.threads.manage_reply(reply_id, hide=hide))
    if refused is not None:
        return refused
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


async def approve_reply(ctx: Context, command: Command) -> Reply:
    return await _decide(ctx, command, approve=True)


async def ignore_reply(ctx: Context, command: Command) -> Reply:
    return await _decide(ctx, command, approve=False)


async def _decide(ctx: Context, command: Command, *, approve: bool) -> Reply:
    """A pending reply approved (it shows on Threads from now on: Hide takes the buttons'
    place) or ignored (kept aside by Meta; it can still be approved)."""
    reply_id = command.args
    if not reply_id.isdigit():
        raise UsageError
    action = APPROVE_REPLY if approve else IGNORE_REPLY
    call = ctx.threads.manage_pending_reply(reply_id, approve=approve)
    refused = await _audited(ctx, command, action, call)
    if refused is not None:
        return refused
    who = command.user.name
    log.info("reply %s %s by %s", reply_id, "approved" if approve else "ignored", who)
    if approve:
        return Reply(
            f"Approved on Threads by {who}: the reply shows now.",
            update=MessageUpdate(
                f"{APPROVED_MARK} Approved on Threads by {who}",
                moderation_buttons(reply_id, hidden=False),
            ),
        )
    return Reply(
        f"Ignored on Threads by {who}; it can still be approved.",
        update=MessageUpdate(
            f"{IGNORED_MARK} Ignored on Threads by {who}",
            approval_buttons(reply_id, ignored=True),
        ),
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
_APPROVERS_ONLY = "Only configured publishers can approve or ignore replies."

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
        APPROVE_REPLY,
        "ID",
        "show a reply waiting for approval on Threads (its Approve button)",
        Permission.PUBLISHER,
        approve_reply,
        refusal=_APPROVERS_ONLY,
    ),
    CommandSpec(
        IGNORE_REPLY,
        "ID",
        "set aside a reply waiting for approval (its Ignore button)",
        Permission.PUBLISHER,
        ignore_reply,
        refusal=_APPROVERS_ONLY,
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


async def _audited(
    ctx: Context, command: Command, action: str, call: Awaitable[None]
) -> Reply | None:
    """Run one moderation call on the reply `command.args`, audited either way; the refusal
    to answer when Threads said no."""
    reply_id = command.args
    try:
        await call
    except ThreadsError as exc:
        log.warning("%s of reply %s failed: %s", action, reply_id, exc)
        ctx.store.audit.record(command.chat, command.user, action, reply_id, "error", exc.reason)
        return Reply(explain(exc), ok=False, private=True)
    ctx.store.audit.record(command.chat, command.user, action, reply_id, "ok")
    return None
