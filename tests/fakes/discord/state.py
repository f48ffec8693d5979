"""Everything the fake Discord knows: the world (guilds, channels, roles, members, webhooks),
live messages, synced commands, and lookups that fail with Discord's error shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import payloads
from .errors import (
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    DiscordError,
    missing_access,
    unknown,
)
from .models import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    DM,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    FakeWebhook,
    Snowflakes,
)


@dataclass
class StoredMessage:
    """A message as it is now (edits applied); `payload` is what REST answers for it."""

    payload: dict[str, Any]
    channel_id: int
    author_id: int
    webhook_id: int | None = None
    interaction_id: int | None = None
    deleted: bool = False


@dataclass
class DiscordState:
    bot: FakeUser
    application_id: int
    owner: FakeUser
    ids: Snowflakes = field(default_factory=Snowflakes)
    users: dict[int, FakeUser] = field(default_factory=dict)
    guilds: dict[int, FakeGuild] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    roles: dict[int, FakeRole] = field(default_factory=dict)
    members: dict[tuple[int, int], FakeMember] = field(default_factory=dict)
    webhooks: dict[int, FakeWebhook] = field(default_factory=dict)
    removed_channels: set[int] = field(default_factory=set)
    forbidden_channels: set[int] = field(default_factory=set)
    deleted_webhooks: set[int] = field(default_factory=set)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    # Synced application commands: None for global, else the guild id.
    commands: dict[int | None, list[dict[str, Any]]] = field(default_factory=dict)
    command_version: int = 0

    def __post_init__(self) -> None:
        self.users[self.bot.id] = self.bot
        self.users[self.owner.id] = self.owner

    # --- lookups -------------------------------------------------------------------------

    def guild(self, guild_id: int) -> FakeGuild:
        found = self.guilds.get(guild_id)
        if found is None:
            raise unknown("Guild", UNKNOWN_GUILD)
        return found

    def channel(self, channel_id: int) -> FakeChannel:
        """A channel the bot can reach: 404 Unknown Channel, or 403 Missing Access."""
        found = self.channels.get(channel_id)
        if found is None or channel_id in self.removed_channels:
            raise unknown("Channel", UNKNOWN_CHANNEL)
        if channel_id in self.forbidden_channels or (
            found.parent_id is not None and found.parent_id in self.forbidden_channels
        ):
            raise missing_access()
        return found

    def member(self, guild_id: int, user_id: int) -> FakeMember:
        self.guild(guild_id)
        found = self.members.get((guild_id, user_id))
        if found is None:
            raise unknown("Member", UNKNOWN_MEMBER)
        return found

    def message(self, channel_id: int, message_id: int) -> StoredMessage:
        found = self.messages.get(message_id)
        if found is None or found.deleted or found.channel_id != channel_id:
            raise unknown("Message", UNKNOWN_MESSAGE)
        return found

    def webhook(self, webhook_id: int, token: str) -> FakeWebhook:
        found = self.webhooks.get(webhook_id)
        if found is None or webhook_id in self.deleted_webhooks:
            raise unknown("Webhook", UNKNOWN_WEBHOOK)
        if token != found.token:
            raise DiscordError(401, "Invalid Webhook Token", 50027)
        return found

    def user(self, user_id: int) -> FakeUser:
        found = self.users.get(user_id)
        if found is None:
            raise KeyError(f"fake Discord: no user {user_id}; add_member() first")
        return found

    def dm_channel(self, user_id: int, channel_id: int | None = None) -> FakeChannel:
        """The bot's DM channel with `user_id` (created on first use)."""
        for existing in self.channels.values():
            mine = existing.guild_id is None and existing.recipient_id == user_id
            if mine and (channel_id is None or existing.id == channel_id):
                return existing
        created = FakeChannel(channel_id or self.ids.next(), None, "", DM, recipient_id=user_id)
        self.channels[created.id] = created
        return created

    def channel_payload(self, channel: FakeChannel) -> dict[str, Any]:
        recipient = self.users.get(channel.recipient_id or 0)
        return payloads.channel(channel, recipient)

    # --- permissions ---------------------------------------------------------------------

    def permissions(self, guild_id: int, user_id: int) -> int:
        """Guild-level permissions: owner and ADMINISTRATOR get everything."""
        guild = self.guild(guild_id)
        member = self.members.get((guild_id, user_id))
        if member is None:
            return 0
        if member.permissions is not None:
            return member.permissions
        if user_id == guild.owner_id:
            return ALL_PERMISSIONS
        everyone = self.roles.get(guild_id)
        bits = everyone.permissions if everyone else 0
        for role_id in member.roles:
            role = self.roles.get(role_id)
            if role is not None:
                bits |= role.permissions
        return ALL_PERMISSIONS if bits & ADMINISTRATOR else bits

    # --- shapes --------------------------------------------------------------------------

    def guild_roles(self, guild_id: int) -> list[FakeRole]:
        return [r for r in self.roles.values() if r.guild_id == guild_id]

    def guild_channels(self, guild_id: int, *, threads: bool) -> list[FakeChannel]:
        return [
            c
            for c in self.channels.values()
            if c.guild_id == guild_id
            and c.is_thread == threads
            and c.id not in self.removed_channels
        ]

    def member_payload(
        self, guild_id: int, user_id: int, *, with_permissions: bool = False
    ) -> dict[str, Any]:
        member = self.member(guild_id, user_id)
        permissions = self.permissions(guild_id, user_id) if with_permissions else None
        return payloads.member(member, self.user(user_id), permissions)

    def guild_create(self, guild_id: int) -> dict[str, Any]:
        guild = self.guild(guild_id)
        members = [
            payloads.member(m, self.user(m.user_id))
            for (gid, _), m in self.members.items()
            if gid == guild_id
        ]
        return payloads.guild_create(
            guild,
            [payloads.role(r) for r in self.guild_roles(guild_id)],
            [payloads.channel(c) for c in self.guild_channels(guild_id, threads=False)],
            [payloads.thread(c) for c in self.guild_channels(guild_id, threads=True)],
            members,
        )
