"""/schedule, /queue, /cancel and /timezone: posts published later, through the durable publish
queue (jobs/publish_worker.py publishes a row when it is due and tells the chat the link)."""

from __future__ import annotations

from bot.commands.base import CommandSpec, Context, Deferred, Permission, UsageError
from bot.commands.media_posts import describe
from bot.commands.post_options import parse_post_options
from bot.commands.publish_request import PublishRequest
from bot.commands.text_posts import with_links
from bot.commands.when import WhenError, read_when, show_time
from bot.events import Command, Destination, Reply
from bot.threads.errors import InvalidParameter
from bot.threads.spoilers import as_typed
from bot.zones import find_zone
from storage.publish_queue import CANCELLED, FAILED, PUBLISHED, PUBLISHING, QueuedPost

PREVIEW_WORDS = 6
PREVIEW_CHARS = 40
# A Discord attachment reaches Meta as its signed CDN link, which Discord lets expire after
# about a day; a Telegram file is fetched by its file_id when due, which does not expire.
LINK_LIFETIME = 24 * 3600.0


def chat_zone(ctx: Context, chat: Destination) -> str:
    """The zone the chat's times are in: its own (/timezone), else [publishing] timezone."""
    return ctx.store.zones.get(chat) or ctx.timezone


async def schedule(ctx: Context, command: Command) -> Reply:
    """`/schedule WHEN TEXT` (or as the caption of photos and videos): TEXT published at WHEN,
    read in the chat's time zone; a time in the past, or far ahead, is refused with why."""
    if not command.args.strip():
        raise UsageError
    zone = chat_zone(ctx, command.chat)
    now = ctx.clock.time()
    try:
        when = await read_when(command.args, now=now, zone=zone)
    except WhenError as exc:
        return Reply(str(exc), ok=False)
    options = parse_post_options(when.text)
    if not options.text and not command.attachments:
        raise UsageError
    if command.attachments:
        ctx.media.check(command.attachments)
        if options.link is not None:
            raise InvalidParameter("A link preview is for text posts; this one has media.")
        expiring = any(a.public_url is not None for a in command.attachments)
        if expiring and when.at - now > LINK_LIFETIME:
            return Reply(
                f"{command.chat.platform.capitalize()}'s links to attached files expire after "
                "about a day, and Threads fetches the files only when the post is due: "
                "schedule photos and videos at most 24 hours ahead.",
                ok=False,
            )
    if ctx.publishing is None:
        return Reply("Scheduling is not available on this bridge.", ok=False)
    request = PublishRequest("post", options, command.attachments)
    outcome = await ctx.publishing.submit(
        request.kind, command.chat, command.user, request.to_json(), due_at=when.at
    )
    if isinstance(outcome, Deferred):
        shown = show_time(when.at, zone, now=now)
        return Reply(f"Scheduled as #{outcome.id} for {shown} ({zone}).")
    (first, *_) = await with_links(ctx, outcome)  # due by the time it was queued
    return Reply(f"Published on Threads: {first.permalink or f'post {first.id}'}")


async def queue(ctx: Context, command: Command) -> Reply:
    """`/queue`: this chat's posts waiting to be published, in the order they will go."""
    if command.args.strip():
        raise UsageError
    rows = ctx.store.queue.waiting(command.chat)
    if not rows:
        return Reply("No posts waiting to be published from this chat.")
    zone = chat_zone(ctx, command.chat)
    now = ctx.clock.time()
    lines = [f"Waiting to be published (times in {zone}):"]
    for row in rows:
        due = (
            show_time(row.due_at, zone, now=now)
            if row.due_at > now
            else "next (waiting for Threads)"
        )
        lines.append(f"#{row.id}  {due}  {row.user.name}  {preview(row)}")
    return Reply("\n".join(lines))


async def cancel(ctx: Context, command: Command) -> Reply:
    """`/cancel ID`: a waiting post of this chat is not published (any publisher may cancel
    any of the chat's posts, not only their own)."""
    row_id = _row_id(command.args)
    row = ctx.store.queue.get(row_id)
    if row is None or not _same_chat(row.chat, command.chat):
        return Reply(f"There is no post #{row_id} waiting in this chat.", ok=False)
    if not ctx.store.queue.cancel(row.id):
        return Reply(_not_cancelled(ctx.store.queue.get(row.id) or row), ok=False)
    if ctx.publishing is not None:
        ctx.publishing.wake()  # it may be waiting for exactly this row
    detail = f"#{row.id} {preview(row)}"
    ctx.store.audit.record(
        command.chat, command.user, "cancel", detail, "ok", None, at=ctx.clock.time()
    )
    return Reply(f"Cancelled #{row.id} ({preview(row)}).")


async def timezone(ctx: Context, command: Command) -> Reply:
    """`/timezone ZONE`: the chat's own zone for /schedule (`/timezone default`: the
    bridge's); without ZONE, the zone in use."""
    typed = command.args.strip()
    if not typed:
        zone = chat_zone(ctx, command.chat)
        own = ctx.store.zones.get(command.chat) is not None
        return Reply(
            f"This chat's times are in {zone}"
            + ("." if own else " (the bridge's default).")
            + " Change it with /timezone ZONE, e.g. /timezone Europe/Berlin."
        )
    if typed.lower() == "default":
        ctx.store.zones.set(command.chat, None)
        return Reply(f"This chat's times are in the bridge's default again: {ctx.timezone}.")
    found = find_zone(typed)
    if found is None:
        return Reply(
            f"{typed!r} is not a time zone I know. Use an IANA name such as Europe/Berlin, "
            "America/New_York or Asia/Tokyo.",
            ok=False,
        )
    ctx.store.zones.set(command.chat, found)
    now = ctx.clock.time()
    return Reply(
        f"This chat's times are now in {found} (it is {show_time(now, found, now=now)} there)."
    )


def preview(row: QueuedPost) -> str:
    """The first words of what a row publishes (its media counted first)."""
    request = PublishRequest.from_json(row.request)
    text = " ".join(as_typed(request.options.text).split())
    if request.attachments:
        text = describe(text, request.attachments)
    words = text.split(" ")
    short = " ".join(words[:PREVIEW_WORDS])
    if len(short) > PREVIEW_CHARS:
        short = short[:PREVIEW_CHARS].rstrip()
    return short + ("…" if short != text else "")


def _row_id(args: str) -> int:
    typed = args.strip().removeprefix("#")
    if not typed.isdigit():
        raise UsageError
    return int(typed)


def _same_chat(queued: Destination, asked: Destination) -> bool:
    # A forum topic is not compared: /queue lists the whole chat's posts.
    return (queued.platform, queued.chat_id) == (asked.platform, asked.chat_id)


def _not_cancelled(row: QueuedPost) -> str:
    if row.state == PUBLISHED:
        return f"#{row.id} was already published: {row.permalink or 'see /status'}"
    if row.state == PUBLISHING:
        return f"#{row.id} is being published right now; it is too late to cancel it."
    if row.state == CANCELLED:
        return f"#{row.id} was already cancelled."
    if row.state == FAILED:
        return f"#{row.id} was not published: {row.error or 'it failed'}."
    return f"#{row.id} is not waiting to be published (it is {row.state})."


COMMANDS = (
    CommandSpec(
        "schedule",
        "WHEN TEXT",
        "publish TEXT to Threads at WHEN (2026-12-24 09:00, tomorrow 9:00, in 2h; WHEN | TEXT "
        "keeps them apart); as the caption of photos or a video, publishes them with it",
        Permission.PUBLISHER,
        schedule,
    ),
    CommandSpec(
        "queue",
        "",
        "the posts from this chat waiting to be published: who, when, first words",
        Permission.ANYONE,
        queue,
    ),
    CommandSpec(
        "cancel",
        "ID",
        "cancel a waiting post of this chat (#ID from /queue; any publisher's post)",
        Permission.PUBLISHER,
        cancel,
    ),
    CommandSpec(
        "timezone",
        "[ZONE]",
        "the time zone of this chat's /schedule times, e.g. Europe/Berlin (default: the bridge's)",
        Permission.CHAT_ADMIN,
        timezone,
    ),
)
