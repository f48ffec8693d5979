"""Discord's raw JSON for the adapter's pure parts (translate.py, autocomplete): READY,
GUILD_CREATE and APPLICATION_COMMAND interactions as the API documents them, read by a real
discord.py `ConnectionState` that never connects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import discord

APP = "1200000000000000001"
BOT_USER = "1200000000000000002"
GUILD = "1300000000000000001"
TEXT = "1300000000000000101"
THREAD = "1300000000000000102"
EDITORS = "1300000000000000301"
ADA = "1300000000000000201"
DM = "1300000000000000401"

MANAGE_GUILD = 1 << 5
VIEW_SEND_READ = (1 << 10) | (1 << 11) | (1 << 16)  # what an ordinary member has
ALL = (1 << 50) - 1  # Discord resolves an administrator's permissions to every bit

ADA_USER = {
    "id": ADA,
    "username": "ada",
    "discriminator": "0",
    "global_name": "Ada Lovelace",
    "avatar": None,
    "public_flags": 0,
}


def role(role_id: str, name: str, position: int) -> dict[str, Any]:
    return {
        "id": role_id,
        "name": name,
        "color": 0,
        "hoist": False,
        "position": position,
        "permissions": "0",
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def text_channel(channel_id: str = TEXT) -> dict[str, Any]:
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": GUILD,
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "flags": 0,
    }


GUILD_CREATE = {
    "id": GUILD,
    "name": "Fans",
    "icon": None,
    "owner_id": "1300000000000000299",
    "afk_channel_id": None,
    "afk_timeout": 300,
    "verification_level": 0,
    "default_message_notifications": 0,
    "explicit_content_filter": 0,
    "mfa_level": 0,
    "nsfw_level": 0,
    "premium_tier": 0,
    "preferred_locale": "en-US",
    "features": [],
    "system_channel_id": None,
    "system_channel_flags": 0,
    "rules_channel_id": None,
    "public_updates_channel_id": None,
    "application_id": None,
    "vanity_url_code": None,
    "description": None,
    "banner": None,
    "splash": None,
    "discovery_splash": None,
    "joined_at": "2026-01-01T00:00:00.000000+00:00",
    "large": False,
    "unavailable": False,
    "member_count": 2,
    "roles": [role(GUILD, "@everyone", 0), role(EDITORS, "editors", 1)],
    "channels": [text_channel()],
    "threads": [],
    "members": [],
    "emojis": [],
    "stickers": [],
    "voice_states": [],
    "presences": [],
    "stage_instances": [],
    "guild_scheduled_events": [],
}

READY = {
    "v": 10,
    "user": {
        "id": BOT_USER,
        "username": "threads-bridge",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": True,
        "verified": True,
        "mfa_enabled": False,
        "flags": 0,
    },
    "guilds": [{"id": GUILD, "unavailable": True}],
    "session_id": "f00d",
    "resume_gateway_url": "wss://gateway.discord.gg",
    "application": {"id": APP, "flags": 0},
}


def slash_data(subcommand: str, **options: str) -> dict[str, Any]:
    """The `data` of `/threads <subcommand> ...`: a subcommand of the group."""
    return {
        "id": "1200000000000000010",
        "name": "threads",
        "type": 1,
        "options": [
            {
                "name": subcommand,
                "type": 1,
                "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
            }
        ],
    }


def guild_interaction(
    permissions: int,
    roles: list[str],
    *,
    nick: str | None = None,
    channel: dict[str, Any] | None = None,
) -> dict[str, Any]:
    channel = channel or text_channel()
    return {
        "id": "1400000000000000001",
        "application_id": APP,
        "type": 2,  # APPLICATION_COMMAND
        "data": slash_data("watch", username=" bob "),
        "guild_id": GUILD,
        "guild": {"id": GUILD, "locale": "en-US", "features": []},
        "channel_id": channel["id"],
        "channel": channel,
        "member": {
            "user": ADA_USER,
            "roles": roles,
            "nick": nick,
            "avatar": None,
            "joined_at": "2026-01-02T00:00:00.000000+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
            "permissions": str(permissions),
        },
        "token": "aW50ZXJhY3Rpb246MTQwMDAwMDAwMDAwMDAwMDAwMTpzZWNyZXQ",
        "version": 1,
        "app_permissions": str(VIEW_SEND_READ),
        "locale": "en-GB",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD},
        "context": 0,  # GUILD
        "attachment_size_limit": 10485760,
    }


def dm_interaction() -> dict[str, Any]:
    return {
        "id": "1400000000000000002",
        "application_id": APP,
        "type": 2,
        "data": slash_data("list"),
        "channel_id": DM,
        "channel": {
            "id": DM,
            "type": 1,
            "last_message_id": None,
            "flags": 0,
            "recipients": [ADA_USER],
        },
        "user": ADA_USER,
        "token": "aW50ZXJhY3Rpb246MTQwMDAwMDAwMDAwMDAwMDAwMjpzZWNyZXQ",
        "version": 1,
        "app_permissions": str(VIEW_SEND_READ),
        "locale": "en-GB",
        "entitlements": [],
        "authorizing_integration_owners": {"0": "0"},
        "context": 1,  # BOT_DM
        "attachment_size_limit": 10485760,
    }


def thread_channel(thread_id: str = THREAD) -> dict[str, Any]:
    return {
        "id": thread_id,
        "type": 11,  # PUBLIC_THREAD
        "guild_id": GUILD,
        "parent_id": TEXT,
        "owner_id": ADA,
        "name": "launch day",
        "flags": 0,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 3,
        "member_count": 2,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2026-01-03T00:00:00.000000+00:00",
            "locked": False,
        },
    }


async def connected(
    guilds: list[dict[str, Any]], client: discord.Client | None = None
) -> AsyncIterator[Any]:
    """The state of `client` (a plain never logged-in one by default) after the gateway's
    READY and these guilds' GUILD_CREATE, parsed by discord.py itself."""
    client = client or discord.Client(intents=discord.Intents.none())
    state: Any = client._connection  # what discord.py's gateway hands every event to
    state.parse_ready(READY)
    for guild in guilds:
        state.parse_guild_create(guild)
    yield state
    state._ready_task.cancel()  # the "ready" wait for the remaining guilds
    await client.close()


def interaction(data: dict[str, Any], state: Any) -> discord.Interaction:
    return discord.Interaction(data=data, state=state)  # type: ignore[arg-type]
