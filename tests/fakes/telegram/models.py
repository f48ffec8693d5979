"""The fake's world: users, chats and stored files, plus the Bot API JSON shapes of users,
chats and members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CHAT_TYPES = ("private", "group", "supergroup", "channel")
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
ACTIVE_STATUSES = ("creator", "administrator", "member", "restricted")
ADMIN_STATUSES = ("creator", "administrator")


@dataclass
class FakeUser:
    """A Telegram account (a person, or the bot itself)."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if not self.is_bot:
            data["language_code"] = "en"
        return data


@dataclass
class FakeChat:
    """A chat the bot may know about; `migrated_to` is set once a group became a supergroup."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    is_forum: bool = False
    first_name: str | None = None
    last_name: str | None = None
    migrated_to: int | None = None

    def to_api(self) -> dict[str, Any]:
        """The short Chat object embedded in messages."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private":
            data["first_name"] = self.first_name or str(self.id)
            if self.last_name:
                data["last_name"] = self.last_name
        else:
            data["title"] = self.title or f"Chat {self.id}"
        if self.username:
            data["username"] = self.username
        if self.is_forum:
            data["is_forum"] = True
        return data

    def full_info(self) -> dict[str, Any]:
        """ChatFullInfo, as getChat answers it (with every field the spec requires)."""
        data = self.to_api()
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return data

    @property
    def kind_label(self) -> str:
        """How Telegram names the chat in errors: 'group chat', 'supergroup chat', ..."""
        return f"{self.type} chat"


@dataclass
class StoredFile:
    """A file Telegram holds: uploaded bytes, one fetched by URL (no bytes), or one a person
    sent (a test registers its bytes); getFile and the /file route serve those."""

    file_id: str
    file_unique_id: str
    data: bytes | None = None
    file_path: str = ""

    def to_api(self) -> dict[str, Any]:
        """The File object getFile answers."""
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_path": self.file_path,
        }
        if self.data is not None:
            data["file_size"] = len(self.data)
        return data


def member_to_api(user: FakeUser, status: str) -> dict[str, Any]:
    """A ChatMember object of the subtype that `status` selects, with its required fields."""
    data: dict[str, Any] = {"status": status, "user": user.to_api()}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update({right: True for right in _ADMIN_RIGHTS})
        data.update(can_be_edited=False, is_anonymous=False)
    elif status == "restricted":
        data.update({right: False for right in _RESTRICTED_RIGHTS})
        data.update(is_member=True, until_date=0)
    elif status == "kicked":
        data["until_date"] = 0
    return data


_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_post_messages",
    "can_edit_messages",
    "can_pin_messages",
    "can_manage_topics",
)
_RESTRICTED_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
