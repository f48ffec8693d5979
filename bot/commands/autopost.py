"""/autopost on|off|status: switch the cross-posting of this chat's messages to Threads (the
chat needs a [[crosspost]] entry; chat admins who are also publishers switch it)."""

from __future__ import annotations

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.events import Command, Reply

NOT_CONFIGURED = (
    "This chat has no [[crosspost]] entry in the bridge's configuration, so nothing here is "
    "cross-posted to Threads. The bridge's operator adds one (see the README, Cross-posting)."
)


async def autopost(ctx: Context, command: Command) -> Reply:
    action = command.args.strip().lower()
    if action not in ("on", "off", "status", ""):
        raise UsageError
    rules = ctx.autopost
    rule = rules.rule(command.chat) if rules is not None else None
    if rules is None or rule is None:
        return Reply(NOT_CONFIGURED, ok=False)
    if action in ("on", "off"):
        if not ctx.is_publisher(command):
            return Reply(
                "Only chat admins who are also publishers can switch cross-posting. Ask the "
                f"bridge's operator to add your user id ({command.user.id}) to "
                f"{command.chat.platform}.publishers.",
                ok=False,
                private=True,
            )
        rules.switch(command.chat, action == "on")
    on = rules.enabled(command.chat)
    what = "every message goes" if rule.mode == "all" else f"messages marked {rule.marker} go"
    review = " after a publisher approves each" if rule.approval else ""
    waiting = sum(1 for row in ctx.store.queue.waiting(command.chat) if row.kind == "autopost")
    if not on:
        return Reply("Cross-posting to Threads is off here. /autopost on starts it again.")
    queued = f" {waiting} waiting to go." if waiting else ""
    return Reply(f"Cross-posting to Threads is on here: {what} to Threads{review}.{queued}")


COMMANDS = (
    CommandSpec(
        "autopost",
        "on|off|status",
        "switch the cross-posting of this chat's messages to Threads ([[crosspost]] chats; "
        "chat admins who are publishers)",
        Permission.CHAT_ADMIN,
        autopost,
    ),
)
