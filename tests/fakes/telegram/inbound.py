"""Updates as real Telegram builds them when people act: messages and commands (with the
bot_command entity), channel posts, button presses, and the bot being removed from a chat."""

from __future__ import annotations

import re
import time
from typing import Any

from .models import ACTIVE_STATUSES, FakeChat, FakeUser, member_to_api
from .sending import quoted
from .state import TelegramState

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"@[A-Za-z0-9_]{3,32}")


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram puts at offset 0 when a text starts with a command."""
    match = _COMMAND.match(text)
    if not match or (match.end() < len(text) and not text[match.end()].isspace()):
        return []
    return [{"type": "bot_command", "offset": 0, "length": match.end()}]


def user_message(
    state: TelegramState,
    chat_id: int,
    user_id: int,
    text: str,
    *,
    reply_to_message_id: int | None,
    message_thread_id: int | None,
    entities: list[dict[str, Any]],
    media: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], bool]:
    """A message a person sent, stored in the chat, and whether the bot gets it as an update.
    With `media` (photo/video fields, media_group_id) `text` is its caption."""
    user = state.users.get(user_id)
    if user is None:
        raise KeyError(f"unknown user {user_id}: call add_user first")
    chat = state.chats.get(chat_id)
    if chat is None and chat_id == user_id:
        chat = state.add_chat(chat_id, "private")  # writing to the bot opens the private chat
    if chat is None:
        raise KeyError(f"unknown chat {chat_id}: call add_chat first")
    if chat.type == "channel":
        raise ValueError("people post in channels through send_channel_post")
    if message_thread_id is not None and not chat.is_forum:
        raise ValueError(f"chat {chat_id} is not a forum: message_thread_id makes no sense")
    if chat.type != "private" and state.status(chat.id, user.id) not in ACTIVE_STATUSES:
        state.members[(chat.id, user.id)] = "member"  # whoever talks in a group is in it
    message = state.new_message(chat, message_thread_id)
    message["from"] = user.to_api()
    replied = None
    if reply_to_message_id is not None:
        replied = state.message(chat.id, reply_to_message_id)
        if replied is None:
            raise KeyError(f"no message {reply_to_message_id} in chat {chat_id} to reply to")
        message["reply_to_message"] = quoted(replied)
    if media is None:
        message["text"] = text
        if entities:
            message["entities"] = entities
    else:
        message.update(media)
        if text:
            message["caption"] = text
        if entities:
            message["caption_entities"] = entities
    state.store(message)
    return message, _bot_sees(state, chat, text, entities, replied)


def media_fields(
    state: TelegramState, kind: str, data: bytes, *, spoiler: bool, duration: int
) -> dict[str, Any]:
    """The photo (two sizes, as Telegram sends them: a thumbnail and the full picture) or video
    fields of a message carrying `data`."""
    if kind == "photo":
        thumb = state.add_file(data[: max(1, len(data) // 4)], "photos")
        full = state.add_file(data, "photos")
        sizes = [
            {**_file_ids(thumb), "width": 90, "height": 90, "file_size": len(thumb.data or b"")},
            {**_file_ids(full), "width": 1280, "height": 960, "file_size": len(data)},
        ]
        fields: dict[str, Any] = {"photo": sizes}
    elif kind == "video":
        video = state.add_file(data, "videos")
        fields = {
            "video": {
                **_file_ids(video),
                "width": 1280,
                "height": 720,
                "duration": duration,
                "mime_type": "video/mp4",
                "file_size": len(data),
            }
        }
    else:
        raise ValueError(f"unknown media kind {kind!r}: photo or video")
    if spoiler:
        fields["has_media_spoiler"] = True
    return fields


def _file_ids(stored: Any) -> dict[str, str]:
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}


def _bot_sees(
    state: TelegramState,
    chat: FakeChat,
    text: str,
    entities: list[dict[str, Any]],
    replied: dict[str, Any] | None,
) -> bool:
    if state.status(chat.id, state.bot.id) not in ACTIVE_STATUSES:
        return False
    if chat.type == "private" or not state.privacy_mode or state.bot_is_admin(chat.id):
        return True
    mine = f"@{state.bot.username}".lower()
    if entities and entities[0]["type"] == "bot_command":
        addressed = text[: entities[0]["length"]].partition("@")[2]
        return not addressed or f"@{addressed}".lower() == mine
    if replied is not None and state.is_own(chat.id, replied["message_id"]):
        return True
    return any(m.group(0).lower() == mine for m in _MENTION.finditer(text))


def channel_post(
    state: TelegramState,
    chat_id: int,
    text: str,
    *,
    media: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], bool]:
    """A post in a channel (sender_chat is the channel, no `from`). With `media` (photo or
    video fields, media_group_id) `text` is its caption."""
    chat = state.require_chat_setup(chat_id)
    if chat.type != "channel":
        raise ValueError(f"chat {chat_id} is a {chat.type}, not a channel")
    message = state.new_message(chat, None)
    message["sender_chat"] = chat.to_api()
    entities = [*command_entities(text), *(entities or [])]
    if media is None:
        message["text"] = text
        if entities:
            message["entities"] = entities
    else:
        message.update(media)
        if text:
            message["caption"] = text
        if entities:
            message["caption_entities"] = entities
    state.store(message)
    return message, state.status(chat.id, state.bot.id) in ACTIVE_STATUSES


def edited(
    state: TelegramState, chat_id: int, message_id: int, text: str
) -> tuple[dict[str, Any], bool]:
    """The message with its new text (or caption, for a photo or video), as Telegram sends an
    edit: the whole message again, with edit_date."""
    message = state.message(chat_id, message_id)
    if message is None:
        raise KeyError(f"no message {message_id} in chat {chat_id}")
    message = dict(message)
    field = "text" if "text" in message else "caption"
    message[field] = text
    message.pop("entities" if field == "text" else "caption_entities", None)
    message["edit_date"] = int(time.time())
    state.store(message)
    return message, state.status(chat_id, state.bot.id) in ACTIVE_STATUSES


def callback_query(
    state: TelegramState, chat_id: int, user_id: int, message_id: int, data: str
) -> dict[str, Any]:
    """A press on an inline button of a message the bot sent (the button must exist)."""
    user = state.users.get(user_id)
    message = state.message(chat_id, message_id)
    if user is None or message is None:
        raise KeyError(f"need a known user and message ({user_id=}, {chat_id=}, {message_id=})")
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    if not any(button.get("callback_data") == data for row in rows for button in row):
        raise ValueError(f"message {message_id} has no button with callback_data {data!r}")
    query_id = state.new_callback_id()
    state.callback_queries[query_id] = False
    return {
        "id": query_id,
        "from": user.to_api(),
        "message": quoted(message),
        "chat_instance": str(abs(chat_id) * 7919 % 10**18),
        "data": data,
    }


def bot_membership_change(
    state: TelegramState, chat: FakeChat, by: FakeUser, old: str, new: str
) -> dict[str, Any]:
    """The my_chat_member update Telegram sends when the bot's status in a chat changes."""
    return {
        "chat": chat.to_api(),
        "from": by.to_api(),
        "date": int(time.time()),
        "old_chat_member": member_to_api(state.bot, old),
        "new_chat_member": member_to_api(state.bot, new),
    }
