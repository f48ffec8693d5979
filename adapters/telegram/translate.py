"""Telegram updates -> bridge Commands (pure, apart from the role lookup the caller does)."""

from __future__ import annotations

from dataclasses import replace

from telegram import Message, MessageEntity

from bot.events import ChatUser, Command, Destination, Platform, Role


def command_of(message: Message, bot_username: str | None) -> Command | None:
    """The command in a message, or None when it is not one of ours (another bot's /cmd@x)."""
    entity = next(
        (e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0),
        None,
    )
    text = message.text or ""
    if entity is None:
        return None
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
    )


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
