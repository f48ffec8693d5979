"""JSON shapes of the world's objects as Discord sends them (REST and gateway alike), with
the fields the OpenAPI response schemas mark required and discord.py reads."""

from __future__ import annotations

from typing import Any

from .models import (
    DM,
    GUILD_FORUM,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    FakeWebhook,
)


def user(u: FakeUser) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(u.id),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "collectibles": None,
        "primary_guild": None,
        "public_flags": 0,
        "flags": 0,
    }
    if u.bot:
        data["bot"] = True
    return data


def current_user(u: FakeUser) -> dict[str, Any]:
    """GET /users/@me: the bot's own account."""
    return user(u) | {
        "mfa_enabled": True,
        "locale": "en-US",
        "verified": True,
        "email": None,
        "premium_type": 0,
    }


def role(r: FakeRole) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "name": r.name,
        "description": None,
        "permissions": str(r.permissions),
        "position": 0 if r.id == r.guild_id else r.position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": r.managed_by is not None,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
        "tags": {} if r.managed_by is None else {"bot_id": str(r.managed_by)},
    }


def channel(c: FakeChannel, recipient: FakeUser | None = None) -> dict[str, Any]:
    """A guild channel (GuildChannelResponse), a thread (ThreadResponse) or a DM."""
    if c.is_thread:
        return thread(c)
    if c.guild_id is None:
        return {
            "id": str(c.id),
            "type": DM,
            "flags": 0,
            "last_message_id": _opt_id(c.last_message_id),
            "recipients": [user(recipient)] if recipient else [],
        }
    data: dict[str, Any] = {
        "id": str(c.id),
        "type": c.type,
        "guild_id": str(c.guild_id),
        "name": c.name,
        "position": c.position,
        "flags": 0,
        "parent_id": None,
        "topic": c.topic,
        "nsfw": False,
        "last_message_id": _opt_id(c.last_message_id),
        "rate_limit_per_user": 0,
        "permission_overwrites": [],
        "default_auto_archive_duration": 1440,
    }
    if c.type == GUILD_FORUM:
        data |= {
            "available_tags": [],
            "default_reaction_emoji": None,
            "default_sort_order": None,
            "default_forum_layout": 0,
            "default_thread_rate_limit_per_user": 0,
        }
    return data


def thread(c: FakeChannel) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "type": c.type,
        "guild_id": str(c.guild_id),
        "parent_id": _opt_id(c.parent_id),
        "owner_id": _opt_id(c.owner_id),
        "name": c.name,
        "flags": 0,
        "last_message_id": _opt_id(c.last_message_id),
        "rate_limit_per_user": 0,
        "message_count": c.message_count,
        "member_count": 1,
        "total_message_sent": c.message_count,
        "applied_tags": [],
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": c.created_at,
            "locked": False,
            "create_timestamp": c.created_at,
        },
    }


def member(m: FakeMember, u: FakeUser, permissions: int | None = None) -> dict[str, Any]:
    """A guild member; with `permissions` (as interactions carry them, a string)."""
    data: dict[str, Any] = {
        "user": user(u),
        "roles": [str(r) for r in m.roles],
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "joined_at": m.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def webhook(w: FakeWebhook) -> dict[str, Any]:
    """An incoming webhook as GET /webhooks/{id}/{token} answers it."""
    return {
        "id": str(w.id),
        "type": 1,
        "name": w.name,
        "avatar": None,
        "channel_id": str(w.channel_id),
        "guild_id": str(w.guild_id),
        "application_id": None,
        "token": w.token,
    }


def guild_create(
    g: FakeGuild,
    roles: list[dict[str, Any]],
    channels: list[dict[str, Any]],
    threads: list[dict[str, Any]],
    members: list[dict[str, Any]],
) -> dict[str, Any]:
    """The GUILD_CREATE `d` for an available guild."""
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "features": [],
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "application_id": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "vanity_url_code": None,
        "joined_at": g.joined_at,
        "large": False,
        "unavailable": False,
        "member_count": len(members),
        "roles": roles,
        "channels": channels,
        "threads": threads,
        "members": members,
        "emojis": [],
        "stickers": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def _opt_id(value: int | None) -> str | None:
    return None if value is None else str(value)
