"""Proposals and their review: a contributor's post waits in the publish queue (state review)
until a publisher clicks Approve or Reject under its preview in the review chat (bot/review.py).

The buttons come back as the `approve` and `reject` commands (args: the queue row id). They are
button commands: the bridge knows them (`Bridge.handle`, whose permission check lets only
publishers through, and audits a refused click), but adapters offer them to nobody as a typed
command.
"""

from __future__ import annotations

import logging

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.commands.media_posts import describe
from bot.commands.publish_request import PublishRequest
from bot.events import Command, Reply
from bot.tasks import spawn
from bot.threads.spoilers import as_typed
from storage.publish_queue import (
    CANCELLED,
    FAILED,
    PUBLISHED,
    REJECTED,
    REVIEW,
    QueuedPost,
)

log = logging.getLogger(__name__)

APPROVE, REJECT = "approve", "reject"  # the commands a click on the buttons becomes
PROPOSED = "proposed"  # the audit's result for a contributor's publish


async def propose(ctx: Context, command: Command, request: PublishRequest) -> Reply:
    """A contributor's publish: queued in state review and shown in the review chat."""
    if ctx.reviews is None:
        return Reply(
            "Your post cannot be sent for review: this bridge has no review chat. Ask its "
            "operator to set review_chat.",
            ok=False,
        )
    row_id = ctx.store.queue.add(
        request.kind,
        command.chat,
        command.user,
        request.to_json(),
        state=REVIEW,
        now=ctx.clock.time(),
    )
    detail = f"#{row_id} {describe(as_typed(request.options.text), request.attachments)}"
    ctx.store.audit.record(command.chat, command.user, request.kind, detail.strip(), PROPOSED)
    log.info("queued post #%d proposed for review from %s", row_id, command.chat)
    if not await ctx.reviews.request_review(row_id):
        return Reply(
            f"Saved for review as #{row_id}, but the review chat cannot be reached right now; "
            "the bridge shows it there as soon as it can, and you will hear here when it is "
            "decided.",
            ok=False,
        )
    return Reply(f"Sent for review as #{row_id}; you will hear here when it is decided.")


async def approve(ctx: Context, command: Command) -> Reply:
    return await _decide(ctx, command, approved=True)


async def reject(ctx: Context, command: Command) -> Reply:
    return await _decide(ctx, command, approved=False)


async def _decide(ctx: Context, command: Command, *, approved: bool) -> Reply:
    if not command.args.isdigit():
        raise UsageError
    row_id = int(command.args)
    queue = ctx.store.queue
    row = queue.get(row_id)
    if row is None:
        return Reply(f"There is no post #{row_id} to decide on.", ok=False, private=True)
    # One UPDATE from review: of two clicks at once, one decides and the other is told.
    if not queue.decide(row_id, approved=approved):
        current = queue.get(row_id) or row
        return Reply(f"Already decided: #{row_id} {_decided(current)}", ok=False, private=True)
    who = command.user.name
    action = APPROVE if approved else REJECT
    ctx.store.audit.record(command.chat, command.user, action, f"#{row_id}", "ok")
    log.info("queued post #%d %s by %s", row_id, "approved" if approved else "rejected", who)
    # The click is answered at once (Discord gives a click 3 s); the proposer's notice goes
    # in the background, and an approved row is published only after it, so the proposer
    # reads "approved" before the link.
    told = (
        f"Your post #{row_id} was approved by {who}; the link follows here once it is published."
        if approved
        else f"Your post #{row_id} was not approved by {who}."
    )
    spawn(_announce(ctx, row_id, told, approved=approved), name=f"review #{row_id} decided")
    if approved:
        return Reply(f"Approved by {who}: #{row_id} goes to Threads.")
    return Reply(f"Rejected by {who}: #{row_id} will not be published.")


async def _announce(ctx: Context, row_id: int, text: str, *, approved: bool) -> None:
    try:
        if ctx.reviews is not None:
            await ctx.reviews.tell_proposer(row_id, text)
    finally:
        if approved and ctx.publishing is not None:
            ctx.publishing.wake()


def _decided(row: QueuedPost) -> str:
    if row.state == REJECTED:
        return "was rejected."
    if row.state == CANCELLED:
        return "was cancelled."
    if row.state == PUBLISHED:
        return (
            f"was approved and published: {row.permalink}" if row.permalink else "was published."
        )
    if row.state == FAILED:
        return "was approved, but publishing it failed."
    return "was approved and goes to Threads."


BUTTON_COMMANDS = (
    CommandSpec(
        APPROVE,
        "ID",
        "publish a post waiting for review (its Approve button)",
        Permission.PUBLISHER,
        approve,
    ),
    CommandSpec(
        REJECT,
        "ID",
        "turn down a post waiting for review (its Reject button)",
        Permission.PUBLISHER,
        reject,
    ),
)
