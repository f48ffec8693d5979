"""Non-sending methods: identity, polling, commands, callback answers, chats and members."""

from __future__ import annotations

import re
from typing import Any

from .errors import bad_request
from .models import FakeChat
from .registry import Call, api_method

COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
CALLBACK_EXPIRED = "query is too old and response timeout expired or query ID is invalid"


@api_method("getMe")
async def get_me(call: Call) -> dict[str, Any]:
    me = call.state.bot.to_api()
    me.update(
        can_join_groups=True,
        can_read_all_group_messages=not call.state.privacy_mode,
        supports_inline_queries=False,
        can_connect_to_business=False,
        has_main_web_app=False,
    )
    return me


@api_method("deleteWebhook", {"drop_pending_updates"})
async def delete_webhook(call: Call) -> bool:
    if call.params.boolean("drop_pending_updates"):
        call.updates.drop_pending()
    return True


@api_method("getUpdates", {"offset", "limit", "timeout", "allowed_updates"})
async def get_updates(call: Call) -> list[dict[str, Any]]:
    p = call.params
    limit = p.integer("limit") or 100
    allowed = p.json("allowed_updates")
    if allowed is not None and not (
        isinstance(allowed, list) and all(isinstance(kind, str) for kind in allowed)
    ):
        raise bad_request("can't parse allowed_updates JSON array")
    return await call.updates.poll(
        offset=p.integer("offset"),
        limit=min(max(limit, 1), 100),
        hold=max(p.integer("timeout") or 0, 0),
        allowed=allowed,
    )


def _check_scope(call: Call) -> None:
    scope = call.params.json("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    if "chat_id" in scope:
        call.state.resolve_chat(scope["chat_id"])


@api_method("setMyCommands", {"commands", "scope", "language_code"}, {"commands"})
async def set_my_commands(call: Call) -> bool:
    commands = call.params.json("commands")
    if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
        raise bad_request("can't parse commands JSON array")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    for command in commands:
        if not COMMAND_NAME.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    _check_scope(call)
    return True


@api_method(
    "answerCallbackQuery",
    {"callback_query_id", "text", "show_alert", "url", "cache_time"},
    {"callback_query_id"},
)
async def answer_callback_query(call: Call) -> bool:
    query_id = call.params.string("callback_query_id") or ""
    if call.state.callback_queries.get(query_id, True):
        raise bad_request(CALLBACK_EXPIRED)  # unknown, or already answered
    if len(call.params.string("text") or "") > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    call.params.boolean("show_alert")
    call.state.callback_queries[query_id] = True
    return True


def _chat_for_reading(call: Call) -> FakeChat:
    chat = call.state.resolve_chat(call.params.chat_ref())
    if chat.type != "private":
        call.state.require_bot_access(chat)
    return chat


@api_method("getChat", {"chat_id"}, {"chat_id"})
async def get_chat(call: Call) -> dict[str, Any]:
    return _chat_for_reading(call).full_info()


@api_method("getChatMember", {"chat_id", "user_id"}, {"chat_id", "user_id"})
async def get_chat_member(call: Call) -> dict[str, Any]:
    chat = _chat_for_reading(call)
    user = call.state.users.get(call.params.integer("user_id") or 0)
    if user is None:
        raise bad_request("user not found")
    return call.state.member_to_api(chat.id, user)


@api_method("getFile", {"file_id"}, {"file_id"})
async def get_file(call: Call) -> dict[str, Any]:
    stored = call.state.files.get(call.params.string("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.data is not None and len(stored.data) > GETFILE_LIMIT:
        raise bad_request("file is too big")  # the cloud Bot API serves bots up to 20 MB
    return stored.to_api()


GETFILE_LIMIT = 20 * 1024 * 1024
