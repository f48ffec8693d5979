"""Shared steps of the sending methods: target checks, replies, keyboards, media, records."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .models import FakeChat, StoredFile
from .params import Upload
from .records import SentMessage
from .registry import Call

CALLBACK_DATA_MAX = 64
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass
class Target:
    """Where a message goes: the chat, the forum topic, and the message it replies to."""

    chat: FakeChat
    thread_id: int | None
    reply_to: dict[str, Any] | None


def resolve_target(call: Call, *, flood_counted: bool = True) -> Target:
    """Check chat, bot rights, topic and reply; then count the message against flood limits."""
    p = call.params
    chat = call.state.resolve_chat(p.chat_ref())
    call.state.require_bot_can_post(chat)
    thread_id = p.integer("message_thread_id")
    if thread_id is not None and not chat.is_forum:
        raise bad_request("message thread not found")
    reply_to = None
    if p.has("reply_parameters"):
        reply_to = replied_message(call, chat)
    if flood_counted:
        call.gate.admit(chat.id, chat.type)
    return Target(chat, thread_id, reply_to)


def replied_message(call: Call, chat: FakeChat) -> dict[str, Any] | None:
    params = call.params.json("reply_parameters")
    if not isinstance(params, dict) or not isinstance(params.get("message_id"), int):
        raise bad_request("can't parse reply_parameters JSON object")
    in_chat = chat
    if "chat_id" in params:
        in_chat = call.state.resolve_chat(params["chat_id"])
    found = call.state.message(in_chat.id, params["message_id"])
    if found is None:
        if params.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return quoted(found)


def quoted(message: dict[str, Any]) -> dict[str, Any]:
    """A message as embedded in reply_to_message: Telegram does not nest replies further."""
    embedded = copy.deepcopy(message)
    embedded.pop("reply_to_message", None)
    return embedded


def inline_markup(call: Call, name: str = "reply_markup") -> tuple[Any, dict[str, Any] | None]:
    """(decoded reply_markup, the inline keyboard a message carries or None)."""
    markup = call.params.json(name)
    if markup is None:
        return None, None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return markup, None  # reply keyboards / force_reply / remove: not echoed on the message
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard: field inline_keyboard must be an Array")
    for row in rows:
        for button in row:
            _check_button(button)
    return markup, {"inline_keyboard": rows}


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if len(actions) != 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= CALLBACK_DATA_MAX:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def resolve_media(call: Call, value: Upload | str | None, kind: str) -> tuple[str, StoredFile]:
    """(ref to record, the stored file) for a photo/video given as upload, URL or file_id."""
    state = call.state
    if isinstance(value, str) and value.startswith("attach://"):
        attached = call.params.attached(value)
        if attached is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        value = attached
    if isinstance(value, Upload):
        if not value.data:
            raise bad_request("file must be non-empty")
        stored = state.add_file(value.data)
        return f"upload:{stored.file_id}", stored
    if not value:
        raise bad_request(f"there is no {kind} in the request")
    if value.startswith(("http://", "https://")):
        if value in state.unreachable_urls:
            raise bad_request(state.unreachable_urls[value])
        return value, state.add_file(None)
    if value in state.files:
        return value, state.files[value]
    raise bad_request("wrong file identifier/HTTP URL specified")


def media_content(call: Call, kind: str, stored: StoredFile) -> dict[str, Any]:
    """The photo sizes / video object a media message carries."""
    if kind == "photo":
        thumb = call.state.add_file(None)
        return {
            "photo": [
                {
                    "file_id": thumb.file_id,
                    "file_unique_id": thumb.file_unique_id,
                    "width": 90,
                    "height": 90,
                },
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": 1280,
                    "height": 960,
                    "file_size": len(stored.data or b"") or 102400,
                },
            ]
        }
    return {
        "video": {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 1280,
            "height": 720,
            "duration": 10,
            "mime_type": "video/mp4",
            "file_size": len(stored.data or b"") or 1048576,
        }
    }


def bot_message(call: Call, target: Target, content: dict[str, Any]) -> dict[str, Any]:
    """Build and store a message the bot sent. In a channel it is posted as the channel
    (sender_chat, no `from`), elsewhere `from` is the bot."""
    message = call.state.new_message(target.chat, target.thread_id)
    if target.chat.type == "channel":
        message["sender_chat"] = target.chat.to_api()
    else:
        message["from"] = call.state.bot.to_api()
    if target.reply_to is not None:
        message["reply_to_message"] = target.reply_to
    message.update(content)
    return call.state.store(message, own=True)


def record_sent(
    call: Call,
    target: Target,
    messages: list[dict[str, Any]],
    *,
    text: str | None,
    visible: str | None,
    parse_mode: str | None,
    media: tuple[tuple[str, str], ...] = (),
    markup: Any = None,
) -> None:
    call.sent.append(
        SentMessage(
            method=call.method,
            chat_id=target.chat.id,
            message_thread_id=target.thread_id,
            text=text,
            visible_text=visible,
            parse_mode=parse_mode,
            media=media,
            reply_to_message_id=target.reply_to["message_id"] if target.reply_to else None,
            reply_markup=markup,
            message_ids=tuple(m["message_id"] for m in messages),
            params=dict(call.params.values),
            time=call.started,
        )
    )
