"""The Telegram side of cross-posting: the channel posts and group messages of [[crosspost]]
chats (an album gathered into one message) and their edits, handed to the core's `Autopost`.

Telegram tells bots of no deletions, so a deleted Telegram message cannot be followed: its
queued post still goes, and a published one stays.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Message, MessageEntity, Update
from telegram.ext import BaseHandler, ContextTypes, MessageHandler, filters

from adapters.telegram.albums import ALBUM_QUIET, Albums
from adapters.telegram.translate import attachments_of
from bot.crosspost import Autopost
from bot.events import ChatMessage, ChatUser, Destination, Platform

log = logging.getLogger(__name__)

GROUP = 1  # a PTB handler group of its own: the command and media handlers still run


class ChatSource:
    """Listens to the [[crosspost]] chats of Telegram and reports to `Autopost`."""

    def __init__(self, autopost: Autopost, *, album_quiet: float = ALBUM_QUIET) -> None:
        self._autopost = autopost
        self._chat_ids = [int(chat_id) for chat_id in autopost.chats(Platform.TELEGRAM)]
        self._albums = Albums(self._on_album, quiet=album_quiet)

    @property
    def active(self) -> bool:
        return bool(self._chat_ids)

    def handlers(self) -> list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]]:
        chats = filters.Chat(self._chat_ids)
        new = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
        edits = filters.UpdateType.EDITED_MESSAGE | filters.UpdateType.EDITED_CHANNEL_POST
        return [
            MessageHandler(chats & new, self._on_message),
            MessageHandler(chats & edits, self._on_edit),
        ]

    async def close(self) -> None:
        await self._albums.close()

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or _is_command(message):
            return  # /autopost and the other commands are answered, not cross-posted
        if message.media_group_id is not None:
            self._albums.add(message)
            return
        self._report(message, [message], service=_is_service(update))

    async def _on_album(self, messages: list[Message]) -> None:
        self._report(messages[0], messages, service=False)

    def _report(self, first: Message, items: Sequence[Message], *, service: bool) -> None:
        self._autopost.on_message(
            _chat(first),
            source_message_of(first, items),
            forwarded=first.forward_origin is not None,
            service=service,
            unsupported="a poll" if first.poll is not None else None,
            link=first.link,
            chat_name=first.chat.title or first.chat.username or "",
        )

    async def _on_edit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        items = [message]
        if message.media_group_id is not None:
            # The row is the album's, under its first item; what the bridge remembers of
            # the album keeps the other items (and after a restart, only the row's media
            # is kept: an edit changes the caption).
            self._albums.replace(message)
            items = self._albums.album_of(message)
        sender = message.from_user
        author_chat = Destination(Platform.TELEGRAM, str(sender.id)) if sender else None
        await self._autopost.on_edit(
            _chat(message),
            source_message_of(items[0], items),
            author_chat=author_chat,
            link=items[0].link,
            chat_name=message.chat.title or message.chat.username or "",
            keep_media=message.media_group_id is not None,
        )


def source_message_of(message: Message, album: Sequence[Message] = ()) -> ChatMessage:
    """A message (or an album, under its first item) as cross-posting publishes it: the text
    or caption in plain text, links kept, spoilers marked; its media; who sent it."""
    captioned = next((m for m in album if m.caption), message)
    if message.text:
        text = plain_text(message.text, message.entities)
    else:
        text = plain_text(captioned.caption or "", captioned.caption_entities)
    author = None
    if message.from_user is not None:
        author = ChatUser(str(message.from_user.id), message.from_user.full_name)
    elif message.sender_chat is not None:
        chat = message.sender_chat
        author = ChatUser(str(chat.id), chat.title or chat.username or str(chat.id))
    return ChatMessage(
        text=text,
        attachments=attachments_of(*(album or (message,))),
        author=author,
        message_id=str(message.message_id),
    )


def plain_text(text: str, entities: Sequence[MessageEntity]) -> str:
    """Telegram's formatting reduced to plain text: a link under words becomes `words (URL)`,
    a spoiler `||like this||` (as the core reads spoilers), bold and the rest drop away.
    Entity offsets count UTF-16 code units."""
    inserts: list[tuple[int, int, str]] = []  # (position, order at that position, text)
    for entity in entities:
        end = entity.offset + entity.length
        if entity.type == MessageEntity.TEXT_LINK and entity.url:
            shown = _units(text)[entity.offset * 2 : end * 2].decode("utf-16-le")
            if shown.strip() != entity.url:
                inserts.append((end, 0, f" ({entity.url})"))
        elif entity.type == MessageEntity.SPOILER:
            inserts += [(entity.offset, 2, "||"), (end, 1, "||")]
    if not inserts:
        return text
    units, pieces, cursor = _units(text), [], 0
    for position, _, insert in sorted(inserts):
        pieces += [units[cursor * 2 : position * 2].decode("utf-16-le"), insert]
        cursor = position
    pieces.append(units[cursor * 2 :].decode("utf-16-le"))
    return "".join(pieces)


def _units(text: str) -> bytes:
    return text.encode("utf-16-le")


def _chat(message: Message) -> Destination:
    return Destination(Platform.TELEGRAM, str(message.chat.id))


def _is_command(message: Message) -> bool:
    entities = message.entities or message.caption_entities
    return any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in entities)


def _is_service(update: Update) -> bool:
    return bool(filters.StatusUpdate.ALL.check_update(update))
