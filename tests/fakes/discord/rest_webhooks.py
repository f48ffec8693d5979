"""`/webhooks/{id}/{token}`: incoming webhooks (execute with ?wait, ?thread_id and
thread_name for forums; fetch; delete one of their messages), and the application webhook
that carries interaction followups."""

from __future__ import annotations

from typing import Any

from . import payloads
from .backend import Backend, Reply, Request
from .errors import UNKNOWN_MESSAGE, DiscordError, FormErrors, unknown
from .limits import WEBHOOK
from .messages import Origin
from .models import GUILD_FORUM, PUBLIC_THREAD, FakeChannel, FakeUser, FakeWebhook
from .rest_interactions import create_followup, edit_original
from .routes import route
from .rules import check_message, check_thread_name

FORBIDDEN_IN_USERNAMES = ("discord", "clyde")
RESERVED_USERNAMES = ("everyone", "here")
EXECUTE = "/webhooks/{webhook_id}/{webhook_token}"


@route("POST", EXECUTE, bot_auth=False, bucket=WEBHOOK)
async def execute_webhook(b: Backend, r: Request) -> Reply:
    webhook_id, token = r.snowflake("webhook_id"), r.params["webhook_token"]
    if webhook_id == b.state.application_id:
        # Application webhooks always wait (discord.py forces wait=True for followups).
        return await create_followup(b, b.interaction_by_token(webhook_id, token), r)
    webhook = b.state.webhook(webhook_id, token)
    body = r.body()
    errors = FormErrors()
    _check_username(body.get("username"), errors)
    errors.raise_if_any()
    check_message(body, files=len(r.files))
    channel = await _target(b, webhook, r, body)
    payload = b.messages.create(
        channel, _message_fields(body), _webhook_origin(webhook, body), files=r.files
    )
    await b.echo_message(channel, payload)
    if not r.flag("wait"):
        return Reply.no_content()
    return Reply(payload)


@route("PATCH", EXECUTE + "/messages/@original", bot_auth=False)
async def edit_original_response(b: Backend, r: Request) -> Reply:
    """An interaction's original response edited (only the application webhook has one)."""
    webhook_id, token = r.snowflake("webhook_id"), r.params["webhook_token"]
    if webhook_id != b.state.application_id:
        raise unknown("Message", UNKNOWN_MESSAGE)
    return await edit_original(b, b.interaction_by_token(webhook_id, token), r)


@route("DELETE", EXECUTE + "/messages/{message_id}", bot_auth=False)
async def delete_webhook_message(b: Backend, r: Request) -> Reply:
    """A message the incoming webhook sent (none other): 204, then 10008 Unknown Message."""
    webhook = b.state.webhook(r.snowflake("webhook_id"), r.params["webhook_token"])
    stored = b.state.messages.get(r.snowflake("message_id"))
    if stored is None or stored.deleted or stored.webhook_id != webhook.id:
        raise unknown("Message", UNKNOWN_MESSAGE)
    b.messages.delete(stored)
    return Reply.no_content()


@route("GET", EXECUTE, bot_auth=False)
async def get_webhook(b: Backend, r: Request) -> Reply:
    webhook = b.state.webhook(r.snowflake("webhook_id"), r.params["webhook_token"])
    return Reply(payloads.webhook(webhook))


async def _target(
    b: Backend, webhook: FakeWebhook, r: Request, body: dict[str, Any]
) -> FakeChannel:
    """The webhook's channel, a thread of it (?thread_id), or a new forum post."""
    channel = b.state.channel(webhook.channel_id)
    if "thread_id" in r.query:
        thread = b.state.channel(r.snowflake_query("thread_id"))
        if thread.parent_id != channel.id:
            raise unknown("Channel", 10003)
        return thread
    if channel.type != GUILD_FORUM:
        return channel
    name = body.get("thread_name")
    if not name:
        raise DiscordError(
            400, "Webhooks posted to forum channels must have a thread_name or thread_id", 220001
        )
    errors = FormErrors()
    check_thread_name(name, errors, ("thread_name",))
    errors.raise_if_any()
    thread = FakeChannel(
        b.state.ids.next(),
        channel.guild_id,
        name,
        PUBLIC_THREAD,
        parent_id=channel.id,
        owner_id=webhook.id,
    )
    b.state.channels[thread.id] = thread
    await b.publish("THREAD_CREATE", payloads.thread(thread) | {"newly_created": True})
    return thread


def _webhook_origin(webhook: FakeWebhook, body: dict[str, Any]) -> Origin:
    username = body.get("username") or webhook.name
    # Webhook authors are pseudo-users: the webhook's id, the chosen name, "0000".
    author = payloads.user(FakeUser(webhook.id, username, bot=True)) | {"discriminator": "0000"}
    return Origin(
        "webhook",
        author,
        webhook.id,
        webhook_id=webhook.id,
        username=body.get("username"),
        avatar_url=body.get("avatar_url"),
    )


def _message_fields(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("username", "avatar_url", "thread_name")}


def _check_username(username: Any, errors: FormErrors) -> None:
    if username is None:
        return
    if not isinstance(username, str) or not 1 <= len(username) <= 80:
        errors.add(("username",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 80 in length.")
        return
    lowered = username.lower()
    for word in FORBIDDEN_IN_USERNAMES:
        if word in lowered:
            errors.add(
                ("username",), "USERNAME_INVALID_CONTAINS", f'Username cannot contain "{word}"'
            )
    if lowered in RESERVED_USERNAMES:
        errors.add(("username",), "USERNAME_INVALID", "Username is invalid")
