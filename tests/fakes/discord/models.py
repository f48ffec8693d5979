"""The fake's world: users, guilds, channels, roles, members and webhooks, plus permission
bits and snowflake ids that carry their creation time, as Discord's do."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
MANAGE_WEBHOOKS = 1 << 29
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1

EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_WEBHOOKS | MANAGE_MESSAGES

# Channel types the fake models.
GUILD_TEXT = 0
DM = 1
GUILD_ANNOUNCEMENT = 5
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
GUILD_FORUM = 15
THREAD_TYPES = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})
MESSAGEABLE_TYPES = frozenset({GUILD_TEXT, DM, GUILD_ANNOUNCEMENT}) | THREAD_TYPES


def iso(moment: datetime | None = None) -> str:
    """Discord's timestamp spelling."""
    return (moment or datetime.now(UTC)).isoformat()


class Snowflakes:
    """Ids that increase and encode the current time (discord.py derives `created_at`)."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (next(self._counter) & 0x3FFFFF)


@dataclass
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    joined_at: str = field(default_factory=iso)


@dataclass
class FakeChannel:
    """A guild channel, a thread (`parent_id` set) or a DM (`guild_id` None, type 1)."""

    id: int
    guild_id: int | None
    name: str
    type: int = GUILD_TEXT
    position: int = 0
    parent_id: int | None = None
    owner_id: int | None = None
    topic: str | None = None
    last_message_id: int | None = None
    message_count: int = 0
    created_at: str = field(default_factory=iso)
    recipient_id: int | None = None  # DMs only

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES


@dataclass
class FakeRole:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 1
    managed_by: int | None = None  # the bot id for a bot's own managed role


@dataclass
class FakeMember:
    guild_id: int
    user_id: int
    roles: list[int]
    permissions: int | None = None  # None: computed from @everyone and the roles
    joined_at: str = field(default_factory=iso)
    nick: str | None = None


@dataclass
class FakeWebhook:
    """An incoming webhook on a channel."""

    id: int
    token: str
    channel_id: int
    guild_id: int
    name: str = "Threads Bridge"

    @property
    def url(self) -> str:
        """The discord.com-style URL (`Webhook.from_url` only parses those)."""
        return f"https://discord.com/api/webhooks/{self.id}/{self.token}"
