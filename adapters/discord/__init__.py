"""Discord, through discord.py."""

from adapters.discord.adapter import DISCORD_LIMITS, DiscordAdapter

__all__ = ["DISCORD_LIMITS", "DiscordAdapter"]
