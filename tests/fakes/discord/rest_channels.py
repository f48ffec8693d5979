"""Channels: fetching one, sending into it (and editing or deleting what the bot sent),
deleting a thread the bot opened, and threads (incl. forum posts)."""

from __future__ import annotations

from typing import Any

from . import payloads
from .backend import Backend, Reply, Request
from .errors import DiscordError, FormErrors
from .limits import MESSAGES
from .models import GUILD_FORUM, MESSAGEABLE_TYPES, PUBLIC_THREAD, FakeChannel, iso
from .routes import route
from .rules import check_message, check_message_into, check_thread_name, is_empty

FORUM_TYPES = frozenset({GUILD_FORUM, 16})  # forum and media channels


@route("GET", "/channels/{channel_id}")
async def get_channel(b: Backend, r: Request) -> Reply:
    return Reply(b.state.channel_payload(b.state.channel(r.snowflake("channel_id"))))


@route("POST", "/channels/{channel_id}/messages", bucket=MESSAGES)
async def create_message(b: Backend, r: Request) -> Reply:
    channel = b.state.channel(r.snowflake("channel_id"))
    if channel.type not in MESSAGEABLE_TYPES:
        raise DiscordError(400, "Cannot send messages in a non-text channel", 50008)
    body = r.body()
    check_message(body, files=len(r.files))
    payload = b.messages.create(channel, body, b.messages.bot_origin(), files=r.files)
    await b.echo_message(channel, payload)
    return Reply(payload)


@route("PATCH", "/channels/{channel_id}/messages/{message_id}")
async def edit_message(b: Backend, r: Request) -> Reply:
    channel = b.state.channel(r.snowflake("channel_id"))
    stored = b.state.message(channel.id, r.snowflake("message_id"))
    if stored.author_id != b.state.bot.id or stored.webhook_id is not None:
        raise DiscordError(403, "Cannot edit a message authored by another user", 50005)
    body = r.body()
    check_message(body, creating=False)
    payload = b.messages.edit(stored, body, files=r.files)
    await b.echo_edit(channel.id, payload)
    return Reply(payload)


@route("DELETE", "/channels/{channel_id}")
async def delete_thread(b: Backend, r: Request) -> Reply:
    """A thread the bot opened (a forum post), with its messages: 200 with the thread, and
    THREAD_DELETE. Other channels need permissions the fake's bot is never given."""
    thread = b.state.channel(r.snowflake("channel_id"))
    if not thread.is_thread or thread.owner_id != b.state.bot.id:
        raise DiscordError(403, "Missing Permissions", 50013)
    answer = b.state.channel_payload(thread)
    for stored in [m for m in b.state.messages.values() if m.channel_id == thread.id]:
        if not stored.deleted:
            b.messages.delete(stored)
    del b.state.channels[thread.id]
    await b.publish(
        "THREAD_DELETE",
        {
            "id": str(thread.id),
            "guild_id": str(thread.guild_id),
            "parent_id": str(thread.parent_id),
            "type": thread.type,
        },
    )
    return Reply(answer)


@route("DELETE", "/channels/{channel_id}/messages/{message_id}")
async def delete_message(b: Backend, r: Request) -> Reply:
    """The bot's own message (someone else's needs MANAGE_MESSAGES, which the fake's bot
    is never given): 204, and MESSAGE_DELETE on the gateway."""
    channel = b.state.channel(r.snowflake("channel_id"))
    stored = b.state.message(channel.id, r.snowflake("message_id"))
    if stored.author_id != b.state.bot.id:
        raise DiscordError(403, "Missing Permissions", 50013)
    b.messages.delete(stored)
    await b.publish(
        "MESSAGE_DELETE",
        {
            "id": stored.payload["id"],
            "channel_id": str(channel.id),
            "guild_id": str(channel.guild_id),
        },
    )
    return Reply.no_content()


@route("POST", "/channels/{channel_id}/threads")
async def create_thread(b: Backend, r: Request) -> Reply:
    """A forum post (name + message) or a thread without a starter message."""
    parent = b.state.channel(r.snowflake("channel_id"))
    body = r.body()
    errors = FormErrors()
    check_thread_name(body.get("name"), errors)
    forum = parent.type in FORUM_TYPES
    message = body.get("message")
    if forum:
        if not isinstance(message, dict):
            errors.add(("message",), "BASE_TYPE_REQUIRED", "This field is required")
        else:
            check_message_into(message, errors, ("message",))
    errors.raise_if_any()
    if forum and isinstance(message, dict) and is_empty(message, len(r.files)):
        raise DiscordError(400, "Cannot send an empty message", 50006)
    if parent.is_thread or parent.guild_id is None:
        raise DiscordError(400, "Cannot execute action on this channel type", 50024)
    thread = FakeChannel(
        b.state.ids.next(),
        parent.guild_id,
        body["name"],
        int(body.get("type") or PUBLIC_THREAD) if not forum else PUBLIC_THREAD,
        parent_id=parent.id,
        owner_id=b.state.bot.id,
    )
    b.state.channels[thread.id] = thread
    answer: dict[str, Any] = payloads.thread(thread)
    answer["member"] = {
        "id": str(thread.id),
        "user_id": str(b.state.bot.id),
        "join_timestamp": iso(),
        "flags": 0,
    }
    first: dict[str, Any] | None = None
    if forum and isinstance(message, dict):
        origin = b.messages.bot_origin()
        origin.via = "forum"
        # A forum post's starter message shares the thread's id.
        first = b.messages.create(thread, message, origin, files=r.files, message_id=thread.id)
        answer = payloads.thread(thread) | {"member": answer["member"], "message": first}
    await b.publish("THREAD_CREATE", payloads.thread(thread) | {"newly_created": True})
    if first is not None:
        await b.echo_message(thread, first)
    return Reply(answer, 201)
