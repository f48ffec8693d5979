"""The world-control half of FakeTelegram: who exists, who is where, and what people do
(messages, commands, channel posts, button presses) that reaches the bot as updates."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from .inbound import (
    bot_membership_change,
    callback_query,
    channel_post,
    command_entities,
    edited,
    media_fields,
    user_message,
)
from .models import ACTIVE_STATUSES, ADMIN_STATUSES, FakeChat, FakeUser
from .state import TelegramState
from .updates import UpdateQueue

_MEDIA_GROUPS = itertools.count(13_000_000_000_000_000)
ANONYMOUS_ADMIN = FakeUser(1087968824, "Group", "GroupAnonymousBot", is_bot=True)


class TelegramWorld:
    """Set-up and inbound-update API over the fake's state and update queue."""

    state: TelegramState
    updates: UpdateQueue
    bot_user: FakeUser

    # --- the world -----------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        return self.state.add_user(user_id, first_name, username, last_name)

    def add_chat(
        self,
        chat_id: int,
        type: str = "private",
        title: str | None = None,
        is_forum: bool = False,
        username: str | None = None,
    ) -> FakeChat:
        """A chat with the bot in it (a member; an administrator in channels)."""
        return self.state.add_chat(chat_id, type, title, is_forum, username)

    def set_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """creator / administrator / member / restricted / left / kicked (the bot included)."""
        self.state.set_member(chat_id, user_id, status)

    def member_status(self, chat_id: int, user_id: int) -> str:
        return self.state.status(chat_id, user_id)

    def remove_bot(
        self, chat_id: int, *, by_user_id: int | None = None, notify: bool = True
    ) -> None:
        """Kick the bot from a group/channel (or, in a private chat, the user blocks it). Later
        sends answer 403; with `notify` the bot gets the my_chat_member update."""
        chat = self.state.require_chat_setup(chat_id)
        old = self.state.status(chat_id, self.bot_user.id)
        self.state.members[(chat_id, self.bot_user.id)] = "kicked"
        if notify and old in ACTIVE_STATUSES:
            by = self._remover(chat, by_user_id)
            change = bot_membership_change(self.state, chat, by, old, "kicked")
            self.updates.push({"my_chat_member": change})

    def _remover(self, chat: FakeChat, by_user_id: int | None) -> FakeUser:
        if by_user_id is not None:
            return self.state.users[by_user_id]
        if chat.type == "private":
            return self.state.users[chat.id]
        for (cid, uid), status in self.state.members.items():
            if cid == chat.id and status in ADMIN_STATUSES and uid != self.bot_user.id:
                return self.state.users[uid]
        return ANONYMOUS_ADMIN

    def migrate_chat(self, chat_id: int, new_chat_id: int) -> FakeChat:
        """Upgrade a group to a supergroup: the old id then answers 400 + migrate_to_chat_id."""
        return self.state.migrate_chat(chat_id, new_chat_id)

    def reject_url(self, url: str, description: str = "failed to get HTTP URL content") -> None:
        """Make media sent by this URL fail as when Telegram cannot fetch it (400)."""
        self.state.unreachable_urls[url] = description

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """A stored (not deleted) message as the API would show it now."""
        return self.state.message(chat_id, message_id)

    # --- inbound updates -----------------------------------------------------------------

    def send_command(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A person sends a command ("/watch bob"); returns the Message dict."""
        entities = command_entities(text)
        if not entities:
            raise ValueError(f"{text!r} does not start with a /command")
        return self._user_message(
            chat_id, user_id, text, reply_to_message_id, message_thread_id, entities
        )

    def send_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A person sends plain text. In groups with privacy mode the bot only gets it when it
        replies to the bot or mentions it (or the bot is an admin)."""
        return self._user_message(
            chat_id, user_id, text, reply_to_message_id, message_thread_id, []
        )

    def send_media(
        self,
        chat_id: int,
        user_id: int,
        files: Sequence[tuple[str, bytes]],
        caption: str = "",
        *,
        reply_to_message_id: int | None = None,
        spoiler: bool = False,
        duration: int = 10,
    ) -> list[dict[str, Any]]:
        """A person sends photos or videos (`("photo", bytes)`, `("video", bytes)`): one
        message, or an album (one message per file sharing a media_group_id, the caption on
        the first, as Telegram apps send it). Returns the Message dicts."""
        group = f"{next(_MEDIA_GROUPS)}" if len(files) > 1 else None
        messages = []
        for index, (kind, data) in enumerate(files):
            media = media_fields(self.state, kind, data, spoiler=spoiler, duration=duration)
            if group is not None:
                media["media_group_id"] = group
            text = caption if index == 0 else ""
            messages.append(
                self._user_message(
                    chat_id,
                    user_id,
                    text,
                    reply_to_message_id if index == 0 else None,
                    None,
                    command_entities(text),
                    media,
                )
            )
        return messages

    def _user_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        reply_to: int | None,
        thread: int | None,
        entities: list[dict[str, Any]],
        media: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        message, delivered = user_message(
            self.state,
            chat_id,
            user_id,
            text,
            reply_to_message_id=reply_to,
            message_thread_id=thread,
            entities=entities,
            media=media,
        )
        if delivered:
            self.updates.push({"message": message})
        return message

    def send_channel_post(self, chat_id: int, text: str) -> dict[str, Any]:
        """A post in a channel; the bot gets a channel_post update if it is in the channel."""
        message, delivered = channel_post(self.state, chat_id, text)
        if delivered:
            self.updates.push({"channel_post": message})
        return message

    def send_channel_media(
        self,
        chat_id: int,
        files: Sequence[tuple[str, bytes]],
        caption: str = "",
        *,
        duration: int = 10,
    ) -> list[dict[str, Any]]:
        """A channel post of photos or videos: one message, or an album (one channel_post per
        file sharing a media_group_id, the caption on the first). Returns the Message dicts."""
        group = f"{next(_MEDIA_GROUPS)}" if len(files) > 1 else None
        messages = []
        for index, (kind, data) in enumerate(files):
            media = media_fields(self.state, kind, data, spoiler=False, duration=duration)
            if group is not None:
                media["media_group_id"] = group
            message, delivered = channel_post(
                self.state, chat_id, caption if index == 0 else "", media=media
            )
            if delivered:
                self.updates.push({"channel_post": message})
            messages.append(message)
        return messages

    def send_channel_post_with(
        self, chat_id: int, text: str, entities: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """A channel post with formatting entities (bold, text_link, spoiler...)."""
        message, delivered = channel_post(self.state, chat_id, text, entities=entities)
        if delivered:
            self.updates.push({"channel_post": message})
        return message

    def edit_message(self, chat_id: int, message_id: int, text: str) -> dict[str, Any]:
        """Someone edits a message's text (or caption): an edited_channel_post update in a
        channel, edited_message elsewhere."""
        message, delivered = edited(self.state, chat_id, message_id, text)
        kind = "edited_channel_post" if message["chat"]["type"] == "channel" else "edited_message"
        if delivered:
            self.updates.push({kind: message})
        return message

    def send_callback_query(
        self, chat_id: int, user_id: int, message_id: int, data: str
    ) -> dict[str, Any]:
        """A press on an inline button of a bot message; returns the CallbackQuery dict."""
        query = callback_query(self.state, chat_id, user_id, message_id, data)
        self.updates.push({"callback_query": query})
        return query

    def callback_answered(self, query_id: str) -> bool:
        """Whether the bot answered the query (answerCallbackQuery)."""
        return self.state.callback_queries.get(query_id, False)

    @property
    def held_polls(self) -> int:
        """getUpdates requests being held open right now (long polling)."""
        return self.updates.held

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet."""
        return self.updates.pending
