"""The fake's mutable world: who exists, who is in which chat, stored messages and files."""

from __future__ import annotations

import itertools
import time
from typing import Any

from .errors import ApiError, bad_request, forbidden
from .models import (
    ACTIVE_STATUSES,
    ADMIN_STATUSES,
    CHAT_TYPES,
    MEMBER_STATUSES,
    FakeChat,
    FakeUser,
    StoredFile,
    member_to_api,
)


class TelegramState:
    """Users, chats, memberships (the bot's own included), messages, files."""

    def __init__(self, bot: FakeUser, *, privacy_mode: bool = True) -> None:
        self.bot = bot
        # Privacy mode (BotFather's default): in groups a non-admin bot sees only commands,
        # replies to its own messages and mentions of it.
        self.privacy_mode = privacy_mode
        self.users: dict[int, FakeUser] = {bot.id: bot}
        self.chats: dict[int, FakeChat] = {}
        self.members: dict[tuple[int, int], str] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.own_messages: set[tuple[int, int]] = set()
        self.files: dict[str, StoredFile] = {}
        self.file_paths: dict[str, str] = {}
        self.unreachable_urls: dict[str, str] = {}
        self.callback_queries: dict[str, bool] = {}  # query id -> answered
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_seq = itertools.count(1)
        self._callback_seq = itertools.count(1)

    # --- world setup ---------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user = FakeUser(user_id, first_name, username, last_name)
        self.users[user_id] = user
        return user

    def add_chat(
        self,
        chat_id: int,
        type: str = "private",
        title: str | None = None,
        is_forum: bool = False,
        username: str | None = None,
    ) -> FakeChat:
        if type not in CHAT_TYPES:
            raise ValueError(f"chat type must be one of {CHAT_TYPES}, not {type!r}")
        if (type == "private") != (chat_id > 0):
            raise ValueError("private chats have positive ids (the user's id); others negative")
        if is_forum and type != "supergroup":
            raise ValueError("only supergroups can be forums")
        chat = FakeChat(chat_id, type, title, username, is_forum)
        if type == "private":
            user = self.users.get(chat_id) or self.add_user(chat_id, title or f"User {chat_id}")
            chat.first_name, chat.last_name = user.first_name, user.last_name
            chat.username = chat.username or user.username
            self.members[(chat_id, chat_id)] = "member"
        self.chats[chat_id] = chat
        # A bot must be an administrator to post in a channel.
        self.members[(chat_id, self.bot.id)] = "administrator" if type == "channel" else "member"
        return chat

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {MEMBER_STATUSES}, not {status!r}")
        self.require_chat_setup(chat_id)
        if user_id not in self.users:
            raise KeyError(f"unknown user {user_id}: call add_user first")
        self.members[(chat_id, user_id)] = status

    def migrate_chat(self, chat_id: int, new_chat_id: int) -> FakeChat:
        """A group upgraded to a supergroup: the old id answers 400 with migrate_to_chat_id."""
        old = self.require_chat_setup(chat_id)
        if old.type != "group":
            raise ValueError("only basic groups migrate to supergroups")
        new = self.add_chat(new_chat_id, "supergroup", title=old.title)
        for (cid, uid), status in list(self.members.items()):
            if cid == chat_id:
                self.members[(new_chat_id, uid)] = status
        old.migrated_to = new.id
        return new

    def require_chat_setup(self, chat_id: int) -> FakeChat:
        try:
            return self.chats[chat_id]
        except KeyError:
            raise KeyError(f"unknown chat {chat_id}: call add_chat first") from None

    def status(self, chat_id: int, user_id: int) -> str:
        return self.members.get((chat_id, user_id), "left")

    def member_to_api(self, chat_id: int, user: FakeUser) -> dict[str, Any]:
        return member_to_api(user, self.status(chat_id, user.id))

    # --- checks the API applies ----------------------------------------------------------

    def resolve_chat(self, ref: int | str | None) -> FakeChat:
        """The chat a call names (id or @username); 400 chat not found otherwise."""
        if isinstance(ref, str):
            wanted = ref.removeprefix("@").lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == wanted:
                    return chat
        elif ref is not None and ref in self.chats:
            chat = self.chats[ref]
            if chat.migrated_to is not None:
                raise ApiError(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": chat.migrated_to},
                )
            return chat
        raise bad_request("chat not found")

    def require_bot_access(self, chat: FakeChat) -> None:
        """403 when the bot was removed from (or blocked in) the chat."""
        status = self.status(chat.id, self.bot.id)
        if status in ACTIVE_STATUSES:
            return
        if chat.type == "private":
            raise forbidden("bot was blocked by the user")
        if status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.kind_label}")
        raise forbidden(f"bot is not a member of the {chat.kind_label}")

    def require_bot_can_post(self, chat: FakeChat) -> None:
        self.require_bot_access(chat)
        if chat.type == "channel" and not self.bot_is_admin(chat.id):
            raise bad_request("need administrator rights in the channel chat")

    def bot_is_admin(self, chat_id: int) -> bool:
        return self.status(chat_id, self.bot.id) in ADMIN_STATUSES

    # --- messages ------------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def new_message(self, chat: FakeChat, thread_id: int | None) -> dict[str, Any]:
        """The common head of a message; the caller adds sender and content, then stores it."""
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat.id),
            "date": int(time.time()),
            "chat": chat.to_api(),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        return message

    def store(self, message: dict[str, Any], *, own: bool = False) -> dict[str, Any]:
        key = (message["chat"]["id"], message["message_id"])
        self.messages[key] = message
        if own:
            self.own_messages.add(key)
        return message

    def forget(self, chat_id: int, message_id: int) -> None:
        self.messages.pop((chat_id, message_id), None)
        self.own_messages.discard((chat_id, message_id))

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self.messages.get((chat_id, message_id))

    def is_own(self, chat_id: int, message_id: int) -> bool:
        """Sent by the bot (in a channel: posted by the bot as the channel)."""
        return (chat_id, message_id) in self.own_messages

    # --- files ---------------------------------------------------------------------------

    def add_file(self, data: bytes | None, kind: str = "documents") -> StoredFile:
        """A file Telegram now holds (uploaded bytes, or None for one fetched by URL)."""
        seq = next(self._file_seq)
        extension = {"photos": "jpg", "videos": "mp4"}.get(kind, "bin")
        stored = StoredFile(
            file_id=f"AgACAgIAAxkBAAI{seq:08d}fake",
            file_unique_id=f"AQAD{seq:08d}",
            data=data,
            file_path=f"{kind}/file_{seq}.{extension}",
        )
        self.files[stored.file_id] = stored
        self.file_paths[stored.file_path] = stored.file_id
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        file_id = self.file_paths.get(path)
        return self.files.get(file_id) if file_id else None

    def new_callback_id(self) -> str:
        return f"{self.bot.id}{next(self._callback_seq):012d}"
