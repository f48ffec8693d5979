"""The Discord side of cross-posting: messages, edits and deletions in [[crosspost]] channels,
handed to the core's `Autopost`.

Reading members' messages needs the guild_messages intent and the privileged message_content
intent; the client asks for both only when a [[crosspost]] names a Discord channel, and the
bot's owner must switch Message Content on in the developer portal (Bot -> Privileged Gateway
Intents), or Discord refuses the connection (4014).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection

import discord

from adapters.discord.destinations import user_destination
from adapters.discord.translate import attachments_of
from bot.crosspost import Autopost
from bot.events import ChatMessage, ChatUser, Destination, Platform

log = logging.getLogger(__name__)

# Messages people write; everything else (joins, pins, boosts, thread starts) is a service
# message.
_WRITTEN = (discord.MessageType.default, discord.MessageType.reply)


class ChannelSource:
    """Reports the [[crosspost]] channels' messages to `Autopost`, never the bridge's own."""

    def __init__(self, autopost: Autopost, own_webhooks: Collection[str]) -> None:
        self._autopost = autopost
        self._channels = set(autopost.chats(Platform.DISCORD))
        self._own_webhooks = {int(w) for w in own_webhooks}

    @property
    def active(self) -> bool:
        return bool(self._channels)

    def intents(self, intents: discord.Intents) -> None:
        """What the client must ask for to read the channels' messages."""
        if self.active:
            intents.guild_messages = True
            intents.message_content = True

    def message(self, message: discord.Message, me: discord.ClientUser | None) -> None:
        if not self._watched(message.channel.id) or self._own(message, me):
            return
        self._autopost.on_message(
            _chat(message.channel.id),
            source_message_of(message),
            forwarded=bool(message.message_snapshots),
            service=message.type not in _WRITTEN,
            unsupported=_unsupported(message),
            link=message.jump_url,
            chat_name=f"#{getattr(message.channel, 'name', '')}".rstrip("#"),
        )

    async def edited(
        self, event: discord.RawMessageUpdateEvent, me: discord.ClientUser | None
    ) -> None:
        message = event.message
        if not self._watched(event.channel_id) or self._own(message, me):
            return
        if not event.data.get("edited_timestamp"):
            return  # Discord added a link preview: nobody edited anything
        await self._autopost.on_edit(
            _chat(event.channel_id),
            source_message_of(message),
            author_chat=user_destination(message.author.id),
            link=message.jump_url,
            chat_name=f"#{getattr(message.channel, 'name', '')}".rstrip("#"),
        )

    async def deleted(self, event: discord.RawMessageDeleteEvent) -> None:
        if self._watched(event.channel_id):
            await self._autopost.on_delete(_chat(event.channel_id), str(event.message_id))

    def _watched(self, channel_id: int) -> bool:
        return str(channel_id) in self._channels

    def _own(self, message: discord.Message, me: discord.ClientUser | None) -> bool:
        """The bridge's own messages (its answers, the posts it delivers by bot or webhook):
        cross-posting them would publish Threads' posts back to Threads."""
        if me is not None and message.author.id == me.id:
            return True
        return message.webhook_id is not None and message.webhook_id in self._own_webhooks


def source_message_of(message: discord.Message) -> ChatMessage:
    """A Discord message as cross-posting publishes it: its text in plain words (mentions as
    @names, masked links as `words (URL)`, markdown emphasis dropped, ||spoilers|| kept), its
    files, and who wrote it."""
    return ChatMessage(
        text=plain_text(message.clean_content),
        attachments=attachments_of(*message.attachments),
        author=ChatUser(str(message.author.id), message.author.display_name),
        message_id=str(message.id),
    )


_MASKED_LINK = re.compile(r"\[([^\]\n]+)\]\(<?(https?://[^)\s>]+)>?\)")
# Emphasis markers around words (not the underscores inside snake_case or a URL).
_EMPHASIS = re.compile(r"(?<!\w)(\*\*\*|\*\*|__|~~|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)", re.DOTALL)
_HEADING = re.compile(r"^#{1,3} +|^-# +", re.MULTILINE)


def plain_text(text: str) -> str:
    """Discord markdown reduced to what Threads shows as typed."""
    text = _MASKED_LINK.sub(
        lambda m: m.group(2) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})",
        text,
    )
    previous = None
    while previous != text:  # nested emphasis: ***bold italic***, **_both_**
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return _HEADING.sub("", text)


def _unsupported(message: discord.Message) -> str | None:
    if message.poll is not None:
        return "a poll"
    if message.stickers:
        return "a sticker"
    return None


def _chat(channel_id: int) -> Destination:
    return Destination(Platform.DISCORD, str(channel_id))
