"""The world-setup half of FakeDiscord: guilds with their @everyone role and the bot as a
member, channels (text, announcement, forum, threads), roles, members, DM users,
incoming webhooks, and the ways channels and webhooks stop working."""

from __future__ import annotations

import secrets

from .models import (
    BOT_PERMISSIONS,
    EVERYONE_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    FakeWebhook,
)
from .state import DiscordState


class DiscordWorld:
    """Set-up API over the fake's state. Set the world up before the client connects: the
    READY/GUILD_CREATE snapshot is taken at IDENTIFY (later changes reach REST at once)."""

    state: DiscordState

    def add_user(self, user_id: int, username: str, global_name: str | None = None) -> FakeUser:
        """A Discord account (someone who can DM the bot or be mentioned)."""
        existing = self.state.users.get(user_id)
        if existing is not None:
            return existing
        created = FakeUser(user_id, username, global_name)
        self.state.users[user_id] = created
        return created

    def add_guild(
        self,
        guild_id: int,
        name: str,
        *,
        owner_id: int,
        bot_permissions: int = BOT_PERMISSIONS,
    ) -> FakeGuild:
        """A guild the bot is in: its @everyone role (id = guild id), the bot's managed role
        with `bot_permissions`, the bot and the owner as members."""
        state = self.state
        guild = FakeGuild(guild_id, name, owner_id)
        state.guilds[guild_id] = guild
        state.roles[guild_id] = FakeRole(guild_id, guild_id, "@everyone", EVERYONE_PERMISSIONS, 0)
        bot_role = FakeRole(
            state.ids.next(), guild_id, state.bot.username, bot_permissions, 1, state.bot.id
        )
        state.roles[bot_role.id] = bot_role
        state.members[(guild_id, state.bot.id)] = FakeMember(guild_id, state.bot.id, [bot_role.id])
        self.add_user(owner_id, f"owner{owner_id % 10_000}")
        state.members.setdefault((guild_id, owner_id), FakeMember(guild_id, owner_id, []))
        return guild

    def add_channel(
        self,
        guild_id: int,
        channel_id: int,
        name: str,
        type: int = 0,
        *,
        parent_id: int | None = None,
        topic: str | None = None,
    ) -> FakeChannel:
        """0 text, 5 announcement, 15 forum; 11 public thread (give `parent_id`)."""
        self.state.guild(guild_id)
        if type in (10, 11, 12) and parent_id is None:
            raise ValueError("a thread needs parent_id")
        position = sum(1 for c in self.state.channels.values() if c.guild_id == guild_id)
        channel = FakeChannel(
            channel_id,
            guild_id,
            name,
            type,
            position,
            parent_id=parent_id,
            owner_id=self.state.bot.id if parent_id else None,
            topic=topic,
        )
        self.state.channels[channel_id] = channel
        return channel

    def add_role(self, guild_id: int, role_id: int, name: str, permissions: int = 0) -> FakeRole:
        self.state.guild(guild_id)
        position = 1 + sum(1 for r in self.state.roles.values() if r.guild_id == guild_id)
        role = FakeRole(role_id, guild_id, name, permissions, position)
        self.state.roles[role_id] = role
        return role

    def add_member(
        self,
        guild_id: int,
        user_id: int,
        username: str,
        roles: tuple[int, ...] | list[int] = (),
        permissions: int | None = None,
    ) -> FakeMember:
        """A guild member; `permissions` (an int bitfield, e.g. MANAGE_GUILD = 1 << 5)
        overrides what @everyone and `roles` would give."""
        self.state.guild(guild_id)
        for role_id in roles:
            role = self.state.roles.get(role_id)
            if role is None or role.guild_id != guild_id:
                raise ValueError(f"role {role_id} is not in guild {guild_id}")
        self.add_user(user_id, username)
        member = FakeMember(guild_id, user_id, list(roles), permissions)
        self.state.members[(guild_id, user_id)] = member
        return member

    def permissions_of(self, guild_id: int, user_id: int) -> int:
        """The guild-level permission bits the fake computes for a member."""
        return self.state.permissions(guild_id, user_id)

    def forbid_channel(self, channel_id: int, forbidden: bool = True) -> None:
        """The bot loses access: REST calls on it (and its threads) answer 403 (50001)."""
        if forbidden:
            self.state.forbidden_channels.add(channel_id)
        else:
            self.state.forbidden_channels.discard(channel_id)

    def add_webhook(self, channel_id: int, name: str = "Threads Bridge") -> tuple[int, str, str]:
        """An incoming webhook on a channel: (webhook_id, token, discord.com-style url)."""
        channel = self.state.channels[channel_id]
        if channel.guild_id is None:
            raise ValueError("webhooks live in guild channels")
        webhook = FakeWebhook(
            self.state.ids.next(), secrets.token_urlsafe(51), channel_id, channel.guild_id, name
        )
        self.state.webhooks[webhook.id] = webhook
        return webhook.id, webhook.token, webhook.url

    def delete_webhook(self, webhook_id: int) -> None:
        """Later calls with it answer 404 Unknown Webhook (10015)."""
        self.state.deleted_webhooks.add(webhook_id)
