"""Answering interactions: the callback (types 4-9, with `?with_response`; 6 and 7 update
the clicked message), followups and edits of @original, with Discord's rules: answer once,
within 3 seconds, a callback type that fits the interaction; a deferred response's first
followup replaces the "thinking..." message."""

from __future__ import annotations

import copy
import time
from typing import Any

from .backend import Backend, Reply, Request
from .errors import UNKNOWN_MESSAGE, DiscordError, field_error, unknown
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    COMPONENT,
    MODAL_SUBMIT,
    PendingInteraction,
)
from .messages import CHAT_INPUT_COMMAND_TYPE, Origin
from .records import EPHEMERAL, InteractionReply
from .routes import route
from .rules import check_autocomplete, check_message, check_modal

PONG, MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, AUTOCOMPLETE_RESULT, MODAL = (
    1,
    4,
    5,
    6,
    7,
    8,
    9,
)
LOADING = 1 << 7
PING = 1
# Which callback types answer which interaction types. PINGs only reach HTTP-endpoint apps,
# never the gateway, so the helpers cannot create one and a PONG is always refused here.
ALLOWED_CALLBACKS = {
    PING: {PONG},
    APPLICATION_COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE},
}


@route(
    "POST",
    "/interactions/{interaction_id}/{interaction_token}/callback",
    bot_auth=False,
    bucket=None,
)
async def interaction_callback(b: Backend, r: Request) -> Reply:
    pending = b.interaction(r.snowflake("interaction_id"), r.params["interaction_token"])
    if pending.acknowledged:
        raise DiscordError(400, "Interaction has already been acknowledged.", 40060)
    if b.clock() - pending.created > b.interaction_deadline:
        # Past the 3 s window the token no longer accepts a first response.
        raise DiscordError(404, "Unknown interaction", 10062)
    body = r.body()
    kind = body.get("type")
    data = body.get("data") or {}
    if kind not in ALLOWED_CALLBACKS.get(pending.type, set()):
        raise field_error(
            ("type",),
            "INTERACTION_CALLBACK_TYPE_INVALID",
            f"Callback type {kind} is not valid for interaction type {pending.type}",
        )
    resource = await _respond(b, pending, kind, data, r)
    pending.callback_type = kind
    _reply(b, pending, "callback", kind, data, pending.original_message_id)
    if not r.flag("with_response"):
        return Reply.no_content()
    answer: dict[str, Any] = {"interaction": _interaction_summary(b, pending)}
    if resource is not None:
        answer["resource"] = {"type": kind, "message": resource}
    return Reply(answer)


async def _respond(
    b: Backend, pending: PendingInteraction, kind: int, data: dict[str, Any], r: Request
) -> dict[str, Any] | None:
    """Apply the callback; returns the message it created or changed, if any."""
    channel = b.state.channel(pending.channel_id)
    if kind == MESSAGE:
        check_message(data, creating=True, files=len(r.files))
        payload = b.messages.create(
            channel, data, origin(b, pending, "interaction"), files=r.files
        )
        pending.original_message_id = int(payload["id"])
        await b.echo_message(channel, payload)
        return payload
    if kind == DEFERRED_MESSAGE:
        placeholder = {"content": "", "flags": (int(data.get("flags") or 0) & EPHEMERAL) | LOADING}
        payload = b.messages.create(
            channel, placeholder, origin(b, pending, "interaction"), record=False
        )
        pending.original_message_id = int(payload["id"])
        return payload
    if kind in (DEFERRED_UPDATE, UPDATE):
        if pending.message_id is None:
            raise field_error(
                ("type",), "INTERACTION_CALLBACK_TYPE_INVALID", "No message to update"
            )
        stored = b.state.message(pending.channel_id, pending.message_id)
        pending.original_message_id = pending.message_id
        if kind == DEFERRED_UPDATE:
            return None
        check_message(data, creating=False)
        payload = b.messages.edit(stored, data, interaction_id=pending.id, files=r.files)
        await b.echo_edit(pending.channel_id, payload)
        return payload
    if kind == AUTOCOMPLETE_RESULT:
        check_autocomplete(data)
        return None
    check_modal(data)
    return None


def origin(b: Backend, pending: PendingInteraction, via: str) -> Origin:
    """Interaction responses are posted by the bot through the application's webhook."""
    author = b.messages.bot_origin().author
    kind = CHAT_INPUT_COMMAND_TYPE if pending.type == APPLICATION_COMMAND else 0
    return Origin(
        via,
        author,
        b.state.bot.id,
        webhook_id=b.state.application_id,
        interaction=pending.metadata(b.state),
        message_type=kind,
    )


def _interaction_summary(b: Backend, pending: PendingInteraction) -> dict[str, Any]:
    summary: dict[str, Any] = {"id": str(pending.id), "type": pending.type}
    if pending.original_message_id is not None:
        stored = b.state.messages[pending.original_message_id]
        flags = stored.payload.get("flags", 0)
        summary |= {
            "response_message_id": str(pending.original_message_id),
            "response_message_loading": bool(flags & LOADING),
            "response_message_ephemeral": bool(flags & EPHEMERAL),
        }
    if pending.guild_id is not None:
        summary["guild_id"] = str(pending.guild_id)
    summary["channel_id"] = str(pending.channel_id)
    return summary


def _reply(
    b: Backend,
    pending: PendingInteraction,
    kind: str,
    callback_type: int | None,
    data: Any,
    message_id: int | None,
) -> None:
    b.recorder.replies.append(
        InteractionReply(
            pending.id, kind, callback_type, copy.deepcopy(data), message_id, time.time()
        )
    )


# --- followups and @original (reached through /webhooks/{app_id}/{token}) ------------------


async def create_followup(b: Backend, pending: PendingInteraction, r: Request) -> Reply:
    if not pending.acknowledged:
        raise DiscordError(404, "Unknown Webhook", 10015)
    body = r.body()
    check_message(body, creating=True, files=len(r.files))
    channel = b.state.channel(pending.channel_id)
    loading = _loading_original(b, pending)
    if loading is not None:
        # The first followup after a deferred response becomes that response, keeping
        # the ephemeral choice made when deferring.
        body = dict(body) | {"flags": (int(body.get("flags") or 0) & ~EPHEMERAL) | loading}
        payload = b.messages.create(
            channel,
            body,
            origin(b, pending, "followup"),
            files=r.files,
            message_id=pending.original_message_id,
        )
        await b.echo_edit(channel.id, payload)
    else:
        payload = b.messages.create(channel, body, origin(b, pending, "followup"), files=r.files)
        await b.echo_message(channel, payload)
    pending.followups.append(int(payload["id"]))
    _reply(b, pending, "followup", None, body, int(payload["id"]))
    return Reply(payload)


async def edit_original(b: Backend, pending: PendingInteraction, r: Request) -> Reply:
    """PATCH of @original: the response message, or after a deferred update (callback 6)
    the message the component is on."""
    target = pending.original_message_id
    if target is None:
        raise unknown("Message", UNKNOWN_MESSAGE)
    stored = b.state.message(b.state.messages[target].channel_id, target)
    body = r.body()
    check_message(body, creating=False)
    loading = _loading_original(b, pending)
    if loading is not None:
        check_message(body, creating=True, files=len(r.files))
        body = dict(body) | {"flags": loading}
        channel = b.state.channel(pending.channel_id)
        payload = b.messages.create(
            channel, body, origin(b, pending, "interaction"), files=r.files, message_id=target
        )
    else:
        payload = b.messages.edit(stored, body, interaction_id=pending.id, files=r.files)
    await b.echo_edit(stored.channel_id, payload)
    _reply(b, pending, "edit", None, body, target)
    return Reply(payload)


def _loading_original(b: Backend, pending: PendingInteraction) -> int | None:
    """The ephemeral bit of a still-"thinking" deferred response, or None. A thinking
    message someone deleted takes the interaction's followups with it (10008)."""
    if pending.callback_type != DEFERRED_MESSAGE or pending.original_message_id is None:
        return None
    stored = b.state.messages[pending.original_message_id]
    flags = int(stored.payload.get("flags", 0))
    if not flags & LOADING:
        return None
    if stored.deleted:
        raise unknown("Message", UNKNOWN_MESSAGE)
    return flags & EPHEMERAL
