"""What a publish is, written down: the queue keeps a `PublishRequest` as JSON until the worker
publishes it, so a request survives restarts and is published exactly as it was asked for."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from bot.commands.base import Context
from bot.commands.media_posts import publish_media
from bot.commands.post_options import PostOptions
from bot.commands.text_posts import publish_text
from bot.events import Attachment, ChatUser, Command, Destination
from bot.threads.publish import Published


@dataclass(frozen=True, slots=True)
class PublishRequest:
    kind: str  # post, poll, reply, quote, crosspost (the audit's action)
    options: PostOptions
    attachments: tuple[Attachment, ...] = ()
    reply_to_id: str | None = None
    quote_post_id: str | None = None
    poll_options: tuple[str, ...] = field(default=())

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str) -> PublishRequest:
        data = json.loads(raw)
        return cls(
            kind=data["kind"],
            options=PostOptions(**data["options"]),
            attachments=tuple(Attachment(**a) for a in data["attachments"]),
            reply_to_id=data["reply_to_id"],
            quote_post_id=data["quote_post_id"],
            poll_options=tuple(data["poll_options"]),
        )


async def execute(
    ctx: Context,
    chat: Destination,
    user: ChatUser,
    request: PublishRequest,
    on_started: Callable[[int], None] | None = None,
) -> list[Published]:
    """Publish `request` for `user` of `chat` (recorded in publications and the audit)."""
    who = Command(name=request.kind, args="", user=user, chat=chat)
    if request.attachments:
        return await publish_media(
            ctx,
            who,
            request.kind,
            request.options,
            request.attachments,
            reply_to_id=request.reply_to_id,
            quote_post_id=request.quote_post_id,
            on_started=on_started,
        )
    return await publish_text(
        ctx,
        who,
        request.kind,
        request.options,
        reply_to_id=request.reply_to_id,
        quote_post_id=request.quote_post_id,
        poll_options=request.poll_options,
        on_started=on_started,
    )
