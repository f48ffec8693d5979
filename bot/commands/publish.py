"""/post, /poll, /reply, /quote and /repost: publishing to Threads from chat (configured publishers
only)."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.commands.base import CommandSpec, Context, Deferred, Permission, UsageError
from bot.commands.post_options import parse_post_options
from bot.commands.publish_request import PublishRequest, execute
from bot.commands.review import propose
from bot.commands.text_posts import with_links
from bot.events import Command, Reply
from bot.links import parse_post_link
from bot.threads.errors import InvalidParameter, ThreadsError
from bot.threads.publish import Published
from bot.threads.spoilers import mark_spoilers, unmark
from storage.publish_queue import AlreadyQueued

log = logging.getLogger(__name__)


async def post(ctx: Context, command: Command) -> Reply:
    options = parse_post_options(command.args)
    if not options.text and not command.attachments:
        raise UsageError
    request = PublishRequest("post", options, command.attachments)
    return await submit(ctx, command, request, "Published")


async def crosspost(ctx: Context, command: Command) -> Reply:
    """`/crosspost` answering any message in the chat: that message, text and media, on
    Threads (whoever wrote it; a publisher decides)."""
    message = command.answered
    options = parse_post_options(command.args)
    if message is None or options.text:
        if command.reply_to_message_id is not None and message is None:
            return Reply(
                "The bridge cannot see the message this answers. Answer it again, or forward "
                "it to this chat and answer the copy.",
                ok=False,
            )
        raise UsageError
    options = replace(options, text=mark_spoilers(message.text.strip()))
    if not options.text and not message.attachments:
        return Reply(
            "That message has nothing Threads can carry: a post is text, photos or videos.",
            ok=False,
        )
    request = PublishRequest("crosspost", options, message.attachments)
    return await submit(ctx, command, request, "Cross-posted")


async def poll(ctx: Context, command: Command) -> Reply:
    """`/poll QUESTION | ANSWER | ANSWER [| ANSWER | ANSWER]`: a post asking QUESTION, with a
    Threads poll of its 2 to 4 answers."""
    options = parse_post_options(command.args)
    question, *answers = [piece.strip() for piece in unmark(options.text)[0].split("|")]
    answers = [answer for answer in answers if answer]
    if not question or not 2 <= len(answers) <= 4:
        raise UsageError
    options = replace(options, text=question)
    request = PublishRequest("poll", options, poll_options=tuple(answers))
    return await submit(ctx, command, request, "Published")


async def reply(ctx: Context, command: Command) -> Reply:
    """`/reply TEXT` answering a bridged post's message, or `/reply LINK TEXT`."""
    return await _words_on_a_post(ctx, command, "Replied")


async def quote(ctx: Context, command: Command) -> Reply:
    """`/quote TEXT` answering a bridged post's message, or `/quote LINK TEXT`."""
    return await _words_on_a_post(ctx, command, "Quoted")


async def _words_on_a_post(ctx: Context, command: Command, verb: str) -> Reply:
    """A /reply or /quote: TEXT published as a reply to, or a quote of, the post."""
    try:
        target, text = await _target(ctx, command)
    except NotBridged:
        return _not_bridged(command)
    options = parse_post_options(text)
    replying = command.name == "reply"
    if not options.text and not command.attachments:
        raise UsageError
    request = PublishRequest(
        command.name,
        options,
        command.attachments,
        reply_to_id=target if replying else None,
        quote_post_id=None if replying else target,
    )
    return await submit(ctx, command, request, verb)


async def repost(ctx: Context, command: Command) -> Reply:
    """`/repost` answering a bridged post's message, or `/repost LINK`."""
    try:
        target, rest = await _target(ctx, command)
    except NotBridged:
        return _not_bridged(command)
    if rest:
        raise UsageError  # a repost carries no text: that would be /quote
    detail = f"repost of {target}"
    publication_id = ctx.store.publications.start(command.chat, command.user, "repost", detail)
    try:
        repost_id = await ctx.threads.repost(target)
    except ThreadsError as exc:
        ctx.store.publications.finish(publication_id, error=exc.reason)
        ctx.store.audit.record(command.chat, command.user, "repost", detail, "error", exc.reason)
        raise
    ctx.store.publications.add_published(publication_id, repost_id, None)
    ctx.store.publications.finish(publication_id)
    ctx.store.audit.record(command.chat, command.user, "repost", detail, "ok", None)
    (original,) = await with_links(ctx, [Published(target, "", None)])
    return Reply(f"Reposted on Threads: {original.permalink or f'post {target}'}")


async def _target(ctx: Context, command: Command) -> tuple[str, str]:
    """The post a /reply, /quote or /repost is about, and the rest of the arguments: the
    bridged post whose message the command answers, or a LINK as the first argument."""
    args = command.args.strip()
    target: str | None = None
    if command.reply_to_message_id is not None:
        target = ctx.store.feed.post_for_message(
            command.chat.platform, command.chat.chat_id, command.reply_to_message_id
        )
    first, _, rest = args.partition(" ")
    link = parse_post_link(first) if first else None
    if link is not None and link.media_id and target is not None:
        link = None  # answering a bridged post: "/reply 42 of them" starts with text
    if link is not None:
        target, args = await _resolve(ctx, link.username, link.shortcode, link.media_id), rest
    if target is None:
        if command.reply_to_message_id is not None and link is None:
            raise NotBridged
        raise UsageError
    return target, args.strip()


class NotBridged(Exception):
    """The command answers a message that is not a post the bridge delivered."""


def _not_bridged(command: Command) -> Reply:
    return Reply(
        "That message is not a bridged Threads post. Reply to a post the bridge delivered, "
        f"or use /{command.name} LINK{'' if command.name == 'repost' else ' TEXT'}.",
        ok=False,
    )


async def _resolve(
    ctx: Context, username: str | None, shortcode: str | None, media_id: str | None
) -> str:
    """A post link -> its media id. The API has no shortcode lookup, so look in what the
    bridge has seen, then in the author's recent posts."""
    if media_id:
        return media_id
    assert shortcode is not None
    known = ctx.store.feed.post_by_shortcode(shortcode)
    if known is not None:
        return known.post.id
    if username:
        own = ctx.me is not None and ctx.me.username.lower() == username
        recent = (
            await ctx.threads.user_threads(limit=100)
            if own
            else await ctx.threads.profile_posts(username, limit=100)
        )
        for candidate in recent.items:
            if candidate.shortcode == shortcode:
                return candidate.id
    raise InvalidParameter("That post could not be found among the author's recent posts.")


async def submit(ctx: Context, command: Command, request: PublishRequest, verb: str) -> Reply:
    """Through the publish queue (in order, within Meta's quotas, surviving restarts): the link
    when the post went out while the chat waited, else where it stands in the queue. A
    contributor's post (the permission let no one else through) waits for review instead."""
    if not ctx.is_publisher(command):
        return await propose(ctx, command, request)
    if ctx.publishing is None:
        published = await execute(ctx, command.chat, command.user, request)
    else:
        # One publish per chat message: a command the platform hands over again (after a
        # crash, say) finds its row instead of queueing a second one.
        chat = command.chat
        origin = (
            f"{chat.platform}:{chat.chat_id}:{command.message_id}" if command.message_id else None
        )
        try:
            outcome = await ctx.publishing.submit(
                request.kind, chat, command.user, request.to_json(), origin=origin
            )
        except AlreadyQueued as exc:
            return _already(ctx, exc.id)
        if isinstance(outcome, Deferred):
            return _deferred(outcome)
        published = outcome
    return _answer(verb, await with_links(ctx, published))


def _already(ctx: Context, row_id: int) -> Reply:
    row = ctx.store.queue.get(row_id)
    if row is not None and row.permalink:
        return Reply(f"Already published on Threads: {row.permalink}")
    return Reply(f"Already queued as #{row_id}; the link follows here once it is published.")


def _deferred(outcome: Deferred) -> Reply:
    if outcome.due_at is None:
        return Reply(
            f"Queued as #{outcome.id}: Threads is taking a while. The link follows here once "
            "it is published."
        )
    return Reply(
        f"Queued as #{outcome.id}: {outcome.reason}. The link follows here once it is published."
    )


def _answer(verb: str, published: list[Published]) -> Reply:
    first = published[0]
    link = first.permalink or f"post {first.id}"
    if len(published) == 1:
        return Reply(f"{verb} on Threads: {link}")
    return Reply(f"{verb} on Threads as a chain of {len(published)} posts: {link}")


COMMANDS = (
    CommandSpec(
        "post",
        "TEXT",
        "publish TEXT to Threads (long text becomes a reply chain; the first #tag is its "
        "topic); as the caption of photos or a video, publishes them with it",
        Permission.PUBLISHER_OR_CONTRIBUTOR,
        post,
    ),
    CommandSpec(
        "crosspost",
        "",
        "answering any message in the chat: publish that message (text, photos, video) to Threads",
        Permission.PUBLISHER_OR_CONTRIBUTOR,
        crosspost,
    ),
    CommandSpec(
        "poll",
        "QUESTION | ANSWER | ANSWER [| ANSWER | ANSWER]",
        "publish a question with a Threads poll of 2 to 4 answers",
        Permission.PUBLISHER_OR_CONTRIBUTOR,
        poll,
    ),
    CommandSpec(
        "reply",
        "[LINK] TEXT",
        "reply on Threads: answer a bridged post's message, or give the post's link",
        Permission.PUBLISHER_OR_CONTRIBUTOR,
        reply,
    ),
    CommandSpec(
        "quote",
        "[LINK] TEXT",
        "quote a post on Threads: answer a bridged post's message, or give the post's link",
        Permission.PUBLISHER_OR_CONTRIBUTOR,
        quote,
    ),
    CommandSpec(
        "repost",
        "[LINK]",
        "repost a post on Threads: answer a bridged post's message, or give the post's link",
        Permission.PUBLISHER,
        repost,
    ),
)
