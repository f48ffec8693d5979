"""Publishing text (a post, a reply, a quote, a poll) with its options: one post, or over the
limit a reply chain or one post with a text attachment; recorded in publications and the audit."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace

from bot.commands.base import Context
from bot.commands.post_options import PostOptions
from bot.events import Command
from bot.links import first_topic_tag, profile_url
from bot.threads.containers import TEXT_LIMIT, ContainerRequest, text_length
from bot.threads.errors import ThreadsError
from bot.threads.publish import ChainIncomplete, ContainerHook, Published
from bot.threads.spoilers import as_typed

log = logging.getLogger(__name__)

Started = Callable[[int], None]  # told the publication id once the row exists


async def publish_text(
    ctx: Context,
    command: Command,
    kind: str,
    options: PostOptions,
    *,
    reply_to_id: str | None = None,
    quote_post_id: str | None = None,
    poll_options: Sequence[str] = (),
    on_started: Started | None = None,
) -> list[Published]:
    text = as_typed(options.text)  # what the chat and the audit show: spoilers as ||x||
    publications = ctx.store.publications
    publication_id = publications.start(command.chat, command.user, kind, text)
    if on_started is not None:
        on_started(publication_id)

    async def record_container(container_id: str, request: ContainerRequest) -> None:
        publications.add_container(publication_id, container_id, json.dumps(asdict(request)))

    hook: ContainerHook = record_container
    detail = (
        f"reply to {reply_to_id}: {text}"
        if reply_to_id
        else f"quote of {quote_post_id}: {text}"
        if quote_post_id
        else f"{text} | {' | '.join(poll_options)}"
        if poll_options
        else text
    )
    try:
        published = await _publish_text(
            ctx,
            options,
            hook,
            publication_id,
            reply_to_id=reply_to_id,
            quote_post_id=quote_post_id,
            poll_options=poll_options,
        )
    except ThreadsError as exc:
        publications.finish(publication_id, error=exc.reason)
        ctx.store.audit.record(command.chat, command.user, kind, detail, "error", exc.reason)
        raise
    publications.finish(publication_id)
    ctx.store.audit.record(command.chat, command.user, kind, detail, "ok", None)
    return published


async def _publish_text(
    ctx: Context,
    options: PostOptions,
    hook: ContainerHook,
    publication_id: int,
    *,
    reply_to_id: str | None,
    quote_post_id: str | None,
    poll_options: Sequence[str],
) -> list[Published]:
    """One post; over the limit, a reply chain or one post with a text attachment
    (long:..., else [publishing] long_text)."""
    text = options.text
    long_text = options.long_text or ctx.long_text
    try:
        if long_text == "attachment" and text_length(text) > TEXT_LIMIT and not poll_options:
            one = await ctx.publisher.long_text(
                text,
                reply_to_id=reply_to_id,
                quote_post_id=quote_post_id,
                topic_tag=options.topic_tag or first_topic_tag(text),
                reply_control=options.reply_control,
                link_attachment=options.link,
                on_container=hook,
            )
            _record_published(ctx, publication_id, [one])
            return [one]
        # The first #tag becomes the post's topic; the text keeps it as written.
        published = await ctx.publisher.chain(
            text,
            reply_to_id=reply_to_id,
            quote_post_id=quote_post_id,
            topic_tag=options.topic_tag or first_topic_tag(text),
            poll_options=poll_options,
            reply_control=options.reply_control,
            link_attachment=options.link,
            on_container=hook,
        )
    except ChainIncomplete as exc:
        _record_published(ctx, publication_id, exc.published)
        # The answer lists what went out: as links people can open, not raw media ids.
        linked = await with_links(ctx, exc.published)
        raise ChainIncomplete(exc.reason, published=linked, cause=exc.cause) from exc
    _record_published(ctx, publication_id, published)
    return published


def _record_published(ctx: Context, publication_id: int, published: list[Published]) -> None:
    for part in published:
        ctx.store.publications.add_published(publication_id, part.id, part.permalink)


async def with_links(ctx: Context, published: list[Published]) -> list[Published]:
    """Every part with a link for the answer. A permalink Threads did not give at publish
    time (its read failed: the moment a chain breaks is often a bad moment for Threads) is
    asked for once more; failing that, the account's profile, where the post is listed."""
    linked: list[Published] = []
    for part in published:
        if part.permalink is None:
            permalink = None
            try:
                permalink = (await ctx.threads.media(part.id)).permalink
            except ThreadsError as exc:
                log.info("no permalink for published post %s: %s", part.id, exc.reason)
            if permalink is None and ctx.me is not None:
                permalink = profile_url(ctx.me.username)
            part = replace(part, permalink=permalink)
        linked.append(part)
    return linked
