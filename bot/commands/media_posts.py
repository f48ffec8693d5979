"""Publishing photos and videos from chat: one attachment is an image or video post, several
a carousel; the text (a caption) goes with it, and what does not fit follows as replies."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict

from bot.commands.base import Context
from bot.commands.post_options import PostOptions
from bot.events import Attachment, Command
from bot.links import first_topic_tag
from bot.media.pipeline import Prepared
from bot.threads.chain import split_for_chain
from bot.threads.containers import ContainerRequest
from bot.threads.errors import InvalidParameter, ThreadsError
from bot.threads.publish import ContainerHook, Published
from bot.threads.spoilers import as_typed

log = logging.getLogger(__name__)


def describe(text: str, attachments: Sequence[Attachment]) -> str:
    """What the audit table and the publications log say was published."""
    kinds = [a.kind.lower().replace("image", "photo") for a in attachments]
    counted = ", ".join(
        f"{kinds.count(k)} {k}{'s' if kinds.count(k) > 1 else ''}" for k in dict.fromkeys(kinds)
    )
    return f"[{counted}] {text}".strip()


async def publish_media(
    ctx: Context,
    command: Command,
    kind: str,
    options: PostOptions,
    attachments: Sequence[Attachment],
    *,
    reply_to_id: str | None = None,
    quote_post_id: str | None = None,
    on_started: Callable[[int], None] | None = None,
) -> list[Published]:
    """Publish `attachments` with the text, recorded and audited as every publication is."""
    detail = describe(as_typed(options.text), attachments)
    publications = ctx.store.publications
    publication_id = publications.start(command.chat, command.user, kind, detail)
    if on_started is not None:
        on_started(publication_id)

    async def record_container(container_id: str, request: ContainerRequest) -> None:
        publications.add_container(publication_id, container_id, json.dumps(asdict(request)))

    try:
        published = await _publish(
            ctx, options, attachments, record_container, reply_to_id, quote_post_id
        )
    except Exception as exc:
        reason = getattr(exc, "reason", None) or type(exc).__name__
        publications.finish(publication_id, error=reason)
        ctx.store.audit.record(command.chat, command.user, kind, detail, "error", reason)
        raise
    for part in published:
        publications.add_published(publication_id, part.id, part.permalink)
    publications.finish(publication_id)
    ctx.store.audit.record(command.chat, command.user, kind, detail, "ok", None)
    return published


async def _publish(
    ctx: Context,
    options: PostOptions,
    attachments: Sequence[Attachment],
    hook: ContainerHook,
    reply_to_id: str | None,
    quote_post_id: str | None,
) -> list[Published]:
    text = options.text
    parts = split_for_chain(text) if text.strip() else []
    head = parts[0] if parts else None
    prepared = await ctx.media.prepare(attachments)
    try:
        try:
            first = await _one_post(
                ctx, prepared, head, options, attachments, hook, reply_to_id, quote_post_id
            )
        except ThreadsError:
            # Meta fetches the file when the container is made; a URL that expired first
            # (a slow queue, a retry much later) is renewed once, not reported as a failure.
            if not ctx.media.expired(prepared):
                raise
            log.info("a media URL expired before Meta fetched it; issuing a fresh one")
            prepared = await ctx.media.reissue(prepared)
            first = await _one_post(
                ctx, prepared, head, options, attachments, hook, reply_to_id, quote_post_id
            )
    finally:
        await ctx.media.release(prepared)
    published = [first]
    if len(parts) > 1:  # the caption did not fit: the rest follows as a chain of replies
        published += await ctx.publisher.chain(
            "\n\n".join(parts[1:]),
            reply_to_id=first.id,
            reply_control=options.reply_control,
            on_container=hook,
        )
    return published


async def _one_post(
    ctx: Context,
    prepared: Prepared,
    head: str | None,
    options: PostOptions,
    attachments: Sequence[Attachment],
    hook: ContainerHook,
    reply_to_id: str | None,
    quote_post_id: str | None,
) -> Published:
    spoiler = any(attachment.spoiler for attachment in attachments)
    topic_tag = options.topic_tag or first_topic_tag(options.text)
    if options.link is not None:
        raise InvalidParameter("A link preview is for text posts; this one has media.")
    if len(prepared.items) == 1:
        return await ctx.publisher.media(
            prepared.items[0],
            text=head,
            reply_to_id=reply_to_id,
            quote_post_id=quote_post_id,
            is_spoiler_media=spoiler,
            topic_tag=topic_tag,
            reply_control=options.reply_control,
            on_container=hook,
        )
    return await ctx.publisher.carousel(
        prepared.items,
        text=head,
        reply_to_id=reply_to_id,
        quote_post_id=quote_post_id,
        is_spoiler_media=spoiler,
        topic_tag=topic_tag,
        reply_control=options.reply_control,
        on_container=hook,
    )
