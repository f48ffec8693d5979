"""Sending and message-changing methods: sendMessage, sendPhoto, sendVideo, sendMediaGroup,
editMessageText, editMessageCaption, deleteMessage."""

from __future__ import annotations

import time
import uuid
from typing import Any

from .errors import bad_request
from .formatting import caption_text, message_text
from .models import ADMIN_STATUSES
from .registry import SEND_OPTIONS, Call, api_method
from .sending import (
    Target,
    bot_message,
    inline_markup,
    media_content,
    record_sent,
    resolve_media,
    resolve_target,
)

TEXT_OPTIONS = frozenset({"text", "parse_mode", "entities", "link_preview_options"})
CAPTION_OPTIONS = frozenset(
    {"caption", "parse_mode", "caption_entities", "show_caption_above_media", "has_spoiler"}
)
VIDEO_OPTIONS = frozenset(
    {"duration", "width", "height", "thumbnail", "cover", "start_timestamp", "supports_streaming"}
)
ALBUM_KINDS = {"photo": "visual", "video": "visual"}


@api_method(
    "sendMessage",
    SEND_OPTIONS | TEXT_OPTIONS | {"reply_markup"},
    {"chat_id", "text"},
    sending=True,
)
async def send_message(call: Call) -> dict[str, Any]:
    p = call.params
    text, parse_mode = p.string("text"), p.string("parse_mode")
    visible, entities = message_text(text, parse_mode, p.json("entities"))
    markup, keyboard = inline_markup(call)
    target = resolve_target(call)
    content: dict[str, Any] = {"text": visible}
    if entities:
        content["entities"] = entities
    if keyboard:
        content["reply_markup"] = keyboard
    message = bot_message(call, target, content)
    record_sent(
        call, target, [message], text=text, visible=visible, parse_mode=parse_mode, markup=markup
    )
    return message


@api_method(
    "sendPhoto",
    SEND_OPTIONS | CAPTION_OPTIONS | {"photo", "reply_markup"},
    {"chat_id", "photo"},
    sending=True,
)
async def send_photo(call: Call) -> dict[str, Any]:
    return await _send_single_media(call, "photo")


@api_method(
    "sendVideo",
    SEND_OPTIONS | CAPTION_OPTIONS | VIDEO_OPTIONS | {"video", "reply_markup"},
    {"chat_id", "video"},
    sending=True,
)
async def send_video(call: Call) -> dict[str, Any]:
    return await _send_single_media(call, "video")


async def _send_single_media(call: Call, kind: str) -> dict[str, Any]:
    p = call.params
    caption, parse_mode = p.string("caption"), p.string("parse_mode")
    visible, entities = caption_text(caption, parse_mode, p.json("caption_entities"))
    markup, keyboard = inline_markup(call)
    target = resolve_target(call, flood_counted=False)
    ref, stored = resolve_media(call, p.file(kind), kind)
    call.gate.admit(target.chat.id, target.chat.type)  # only once the media is known good
    content = media_content(call, kind, stored)
    if kind == "video":
        video = content["video"]
        for dim in ("width", "height", "duration"):
            video[dim] = p.integer(dim) or video[dim]
    if visible:
        content["caption"] = visible
    if entities:
        content["caption_entities"] = entities
    if p.boolean("has_spoiler"):
        content["has_media_spoiler"] = True
    if p.boolean("show_caption_above_media"):
        content["show_caption_above_media"] = True
    if keyboard:
        content["reply_markup"] = keyboard
    message = bot_message(call, target, content)
    record_sent(
        call,
        target,
        [message],
        text=caption,
        visible=visible if caption else None,
        parse_mode=parse_mode,
        media=((kind, ref),),
        markup=markup,
    )
    return message


@api_method("sendMediaGroup", SEND_OPTIONS | {"media"}, {"chat_id", "media"}, sending=True)
async def send_media_group(call: Call) -> list[dict[str, Any]]:
    items = call.params.json("media")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise bad_request("can't parse media JSON object")
    if not 2 <= len(items) <= 10:
        raise bad_request("media group must contain 2-10 items")
    kinds = [item.get("type") for item in items]
    for kind in kinds:
        if kind not in ("photo", "video", "audio", "document"):
            raise bad_request(f"unsupported media type {kind!r} in a media group")
    groups = {ALBUM_KINDS.get(str(kind), str(kind)) for kind in kinds}
    if len(groups) > 1:
        raise bad_request(
            f"{'document' if 'document' in kinds else 'audio'} can't be mixed "
            "with other media types"
        )
    if groups - {"visual"}:
        raise bad_request("the fake models photo and video albums only")
    captions = [
        caption_text(item.get("caption"), item.get("parse_mode"), item.get("caption_entities"))
        for item in items
    ]
    target = resolve_target(call, flood_counted=False)
    resolved = [resolve_media(call, item.get("media"), str(item["type"])) for item in items]
    call.gate.admit(target.chat.id, target.chat.type)  # the whole album counts once
    group_id = str(uuid.uuid4().int % 10**18)
    messages = []
    for item, (_, stored), (visible, entities) in zip(items, resolved, captions, strict=True):
        content = media_content(call, item["type"], stored)
        content["media_group_id"] = group_id
        if visible:
            content["caption"] = visible
        if entities:
            content["caption_entities"] = entities
        if item.get("has_spoiler"):
            content["has_media_spoiler"] = True
        messages.append(bot_message(call, target, content))
    captioned = next((i for i, item in enumerate(items) if item.get("caption")), None)
    record_sent(
        call,
        target,
        messages,
        text=items[captioned]["caption"] if captioned is not None else None,
        visible=captions[captioned][0] if captioned is not None else None,
        parse_mode=items[captioned].get("parse_mode") if captioned is not None else None,
        media=tuple((item["type"], ref) for item, (ref, _) in zip(items, resolved, strict=True)),
    )
    return messages


@api_method(
    "editMessageText",
    {
        "chat_id",
        "message_id",
        "text",
        "parse_mode",
        "entities",
        "link_preview_options",
        "reply_markup",
    },
    sending=True,
)
async def edit_message_text(call: Call) -> dict[str, Any]:
    p = call.params
    chat = call.state.resolve_chat(p.chat_ref())
    call.state.require_bot_access(chat)
    message_id = p.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    text, parse_mode = p.string("text"), p.string("parse_mode")
    visible, entities = message_text(text, parse_mode, p.json("entities"))
    markup, keyboard = inline_markup(call)
    message = call.state.message(chat.id, message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if not call.state.is_own(chat.id, message_id):
        raise bad_request("message can't be edited")
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    unchanged = (
        message["text"] == visible
        and message.get("entities", []) == entities
        and message.get("reply_markup") == keyboard
    )
    if unchanged:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    call.gate.admit(chat.id, chat.type)
    message["text"] = visible
    message["edit_date"] = int(time.time())
    for key, value in (("entities", entities), ("reply_markup", keyboard)):
        if value:
            message[key] = value
        else:
            message.pop(key, None)
    target = Target(chat, message.get("message_thread_id"), None)
    record_sent(
        call, target, [message], text=text, visible=visible, parse_mode=parse_mode, markup=markup
    )
    return message


@api_method(
    "editMessageCaption",
    {
        "chat_id",
        "message_id",
        "caption",
        "parse_mode",
        "caption_entities",
        "show_caption_above_media",
        "reply_markup",
    },
    sending=True,
)
async def edit_message_caption(call: Call) -> dict[str, Any]:
    """The caption (and keyboard) of a photo or video the bot sent. The spec marks chat_id and
    message_id optional (an inline message is named by inline_message_id instead, which the
    fake does not model): without them the bot has no message to name."""
    p = call.params
    chat = call.state.resolve_chat(p.chat_ref())
    call.state.require_bot_access(chat)
    message_id = p.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    caption, parse_mode = p.string("caption"), p.string("parse_mode")
    visible, entities = caption_text(caption, parse_mode, p.json("caption_entities"))
    markup, keyboard = inline_markup(call)
    message = call.state.message(chat.id, message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if not call.state.is_own(chat.id, message_id):
        raise bad_request("message can't be edited")
    if "photo" not in message and "video" not in message:
        raise bad_request("there is no caption in the message to edit")
    unchanged = (
        message.get("caption", "") == visible
        and message.get("caption_entities", []) == entities
        and message.get("reply_markup") == keyboard
    )
    if unchanged:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    call.gate.admit(chat.id, chat.type)
    message["edit_date"] = int(time.time())
    for key, value in (
        ("caption", visible),
        ("caption_entities", entities),
        ("reply_markup", keyboard),
    ):
        if value:
            message[key] = value
        else:
            message.pop(key, None)
    target = Target(chat, message.get("message_thread_id"), None)
    record_sent(
        call,
        target,
        [message],
        text=caption,
        visible=visible or None,
        parse_mode=parse_mode,
        markup=markup,
    )
    return message


@api_method("deleteMessage", {"chat_id", "message_id"}, {"chat_id", "message_id"})
async def delete_message(call: Call) -> bool:
    p = call.params
    chat = call.state.resolve_chat(p.chat_ref())
    call.state.require_bot_access(chat)
    message_id = p.integer("message_id") or 0
    if call.state.message(chat.id, message_id) is None:
        raise bad_request("message to delete not found")
    own = call.state.is_own(chat.id, message_id)
    admin = call.state.status(chat.id, call.state.bot.id) in ADMIN_STATUSES
    if not (own or admin or chat.type == "private"):
        raise bad_request("message can't be deleted")
    call.state.forget(chat.id, message_id)
    return True
