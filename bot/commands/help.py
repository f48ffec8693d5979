"""/start and /help: what the bot does and how to use each command."""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands.base import CommandSpec, Context, Permission
from bot.commands.post_options import OPTIONS_HELP
from bot.events import Command, Reply

INTRO = (
    "I bridge Threads and this chat: I post new Threads posts from the profiles this chat "
    "watches, and configured publishers can publish to Threads from here."
)


INBOX_HELP = (
    "Inbox. /watch replies delivers the replies to the connected account's posts (publishers "
    "hide, unhide and answer them with the buttons underneath); /watch mentions the posts "
    "that mention it. /watch @replies watches a profile of that name."
)

MEDIA_HELP = (
    "Photos and videos: send them with /post as the caption (several make a carousel), or "
    "answer any message with /crosspost."
)


def help_text(commands: Sequence[CommandSpec]) -> str:
    lines = [INTRO, "", "Commands:"]
    for spec in commands:
        who = "" if spec.permission is Permission.ANYONE else f" ({spec.permission} only)"
        lines.append(f"{spec.usage_line()} - {spec.summary}{who}")
    lines.append("/help - this list")
    if any(spec.name == "watch" for spec in commands):
        lines += ["", INBOX_HELP]
    publishing = (Permission.PUBLISHER, Permission.PUBLISHER_OR_CONTRIBUTOR)
    if any(spec.permission in publishing for spec in commands):
        lines += ["", f"Publishing. {OPTIONS_HELP} {MEDIA_HELP}"]
    return "\n".join(lines)


def make_help(commands: Sequence[CommandSpec]) -> tuple[CommandSpec, ...]:
    text = help_text(commands)

    async def show_help(ctx: Context, command: Command) -> Reply:
        return Reply(text)

    return (
        CommandSpec("start", "", "what this bot does", Permission.ANYONE, show_help),
        CommandSpec("help", "", "how to use every command", Permission.ANYONE, show_help),
    )
