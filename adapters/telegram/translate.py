"""Telegram updates -> bridge Commands (pure, apart from the role lookup the caller does)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from telegram import Message, MessageEntity

from bot.events import Attachment, ChatMessage, ChatUser, Command, Destination, Platform, Role


def command_of(
    message: Message, bot_username: str | None, album: Sequence[Message] = ()
) -> Command | None:
    """The command in a message (its text, or the caption of a photo or video), or None when
    it is not one of ours (another bot's /cmd@x). `album`: all messages of the media group
    the message belongs to, whose photos and videos go with the command."""
    entities = message.entities or message.caption_entities
    entity = next(
        (e for e in entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0),
        None,
    )
    if entity is None:
        return None
    text = with_spoiler_marks(message.text or message.caption or "", entities)
    token = text[1 : entity.length]
    name, _, addressee = token.partition("@")
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return None
    chat = message.chat
    topic = str(message.message_thread_id) if message.is_topic_message else ""
    sender = message.sender_chat if message.from_user is None else None
    if message.from_user is not None:
        user = ChatUser(str(message.from_user.id), message.from_user.full_name)
    elif sender is not None:
        user = ChatUser(str(sender.id), sender.title or sender.username or str(sender.id))
    else:
        return None
    replied = message.reply_to_message
    if replied is not None and replied.forum_topic_created is not None:
        replied = None  # in a forum topic every message "replies" to the topic's first one
    return Command(
        name=name.lower(),
        args=text[entity.length :].strip(),
        user=user,
        chat=Destination(Platform.TELEGRAM, str(chat.id), topic),
        role=_known_role(message),
        reply_to_message_id=str(replied.message_id) if replied is not None else None,
        attachments=attachments_of(*(album or (message,))),
        answered=message_of(replied) if replied is not None else None,
        message_id=str(message.message_id),
    )


def attachments_of(*messages: Message) -> tuple[Attachment, ...]:
    """The photos and videos of messages (an album's, in order), as the core sees them."""
    found: list[Attachment] = []
    for message in sorted(messages, key=lambda m: m.message_id):
        spoiler = bool(message.has_media_spoiler)
        if message.photo:
            largest = message.photo[-1]  # Telegram lists the sizes smallest first
            found.append(
                Attachment(
                    Platform.TELEGRAM,
                    "IMAGE",
                    largest.file_id,
                    content_type="image/jpeg",  # Telegram re-encodes photos as JPEG
                    size=largest.file_size,
                    spoiler=spoiler,
                )
            )
        elif message.video:
            video = message.video
            found.append(
                Attachment(
                    Platform.TELEGRAM,
                    "VIDEO",
                    video.file_id,
                    content_type=video.mime_type,
                    size=video.file_size,
                    duration=_seconds(video.duration),
                    name=video.file_name,
                    spoiler=spoiler,
                )
            )
        elif message.document:
            document = message.document
            mime = document.mime_type or ""
            kind = (
                "IMAGE"
                if mime.startswith("image/")
                else "VIDEO"
                if mime.startswith("video/")
                else "OTHER"
            )
            found.append(
                Attachment(
                    Platform.TELEGRAM,
                    kind,
                    document.file_id,
                    content_type=mime or None,
                    size=document.file_size,
                    name=document.file_name,
                )
            )
        elif message.sticker or message.animation or message.voice or message.audio:
            found.append(Attachment(Platform.TELEGRAM, "OTHER", "", name=_other_name(message)))
    return tuple(found)


def message_of(message: Message, album: Sequence[Message] = ()) -> ChatMessage:
    """A chat message as /crosspost publishes it: its text (or caption) and media."""
    author = None
    if message.from_user is not None:
        author = ChatUser(str(message.from_user.id), message.from_user.full_name)
    elif message.sender_chat is not None:
        author = ChatUser(str(message.sender_chat.id), message.sender_chat.title or "")
    captioned = next((m for m in album if m.caption), message)
    if message.text:
        text = with_spoiler_marks(message.text, message.entities)
    else:
        text = with_spoiler_marks(captioned.caption or "", captioned.caption_entities)
    return ChatMessage(
        text=text,
        attachments=attachments_of(*(album or (message,))),
        author=author,
        message_id=str(message.message_id),
    )


def _seconds(duration: object) -> float | None:
    if duration is None:
        return None
    total = getattr(duration, "total_seconds", None)  # PTB_TIMEDELTA: a timedelta
    return float(total()) if callable(total) else float(duration)  # type: ignore[arg-type]


def _other_name(message: Message) -> str:
    if message.sticker:
        return "a sticker"
    if message.animation:
        return "a GIF"
    return "a voice message" if message.voice else "an audio file"


def _known_role(message: Message) -> Role:
    """The role when the message alone tells it; MEMBER means "ask Telegram if it matters"."""
    chat = message.chat
    if chat.type == chat.PRIVATE:
        return Role.OWNER
    if chat.type == chat.CHANNEL:
        return Role.ADMIN  # only admins can post in a channel
    if message.sender_chat is not None and message.sender_chat.id == chat.id:
        return Role.ADMIN  # an anonymous group admin posts as the group itself
    return Role.MEMBER


def with_role(command: Command, status: str) -> Command:
    """The command with the role from a getChatMember status."""
    role = Role.ADMIN if status in ("administrator", "creator") else Role.MEMBER
    return replace(command, role=role)


def with_spoiler_marks(text: str, entities: Sequence[MessageEntity]) -> str:
    """The text with each Telegram spoiler written `||like this||`, as the core reads spoilers
    (Telegram's offsets count UTF-16 code units)."""
    spoilers = sorted(
        (e for e in entities if e.type == MessageEntity.SPOILER), key=lambda e: e.offset
    )
    if not spoilers:
        return text
    units = text.encode("utf-16-le")
    pieces, cursor = [], 0
    for entity in spoilers:
        start, end = entity.offset * 2, (entity.offset + entity.length) * 2
        if start < cursor:
            continue  # overlapping entities: the first one wins
        pieces += [units[cursor:start].decode("utf-16-le"), "||"]
        pieces += [units[start:end].decode("utf-16-le"), "||"]
        cursor = end
    pieces.append(units[cursor:].decode("utf-16-le"))
    return "".join(pieces)
