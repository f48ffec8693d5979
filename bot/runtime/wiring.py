"""What the configuration asks for, turned into objects: chat adapters, admin destinations,
and the list of secrets to keep out of the logs."""

from __future__ import annotations

from collections.abc import Iterator

from adapters.base import ChatAdapter
from bot.bridge import Bridge
from bot.clock import Clock
from bot.config import Config
from bot.events import Destination, Platform
from bot.links import parse_webhook_url


def build_adapters(
    config: Config, bridge: Bridge, *, discord_ready_timeout: float, clock: Clock
) -> list[ChatAdapter]:
    adapters: list[ChatAdapter] = []
    telegram = config.telegram
    if telegram.token is not None:
        from adapters.telegram import TelegramAdapter

        adapters.append(
            TelegramAdapter(
                telegram.token.reveal(),
                bridge,
                api_base=telegram.api_base,
                file_api_base=telegram.file_api_base,
                clock=clock,
            )
        )
    discord = config.discord
    if discord.token is not None:
        from adapters.discord import DiscordAdapter

        adapters.append(
            DiscordAdapter(
                discord.token.reveal(),
                bridge,
                api_base=discord.api_base,
                gateway_url=discord.gateway_url,
                guild_ids=discord.guild_ids,
                guild_ready_timeout=discord_ready_timeout,
                webhooks=dict(_webhooks(config)),
            )
        )
    return adapters


def admin_destinations(config: Config) -> list[Destination]:
    """Where alerts go: each admin's private chat (Telegram) or direct messages (Discord)."""
    admins = [Destination(Platform.TELEGRAM, str(uid)) for uid in config.telegram.admins]
    if config.discord.admins:
        from adapters.discord.destinations import user_destination

        admins += [user_destination(uid) for uid in config.discord.admins]
    return admins


def review_chats(config: Config) -> dict[str, Destination]:
    """Where posts waiting for approval are shown: each platform's review_chat."""
    chats: dict[str, Destination] = {}
    if config.telegram.review_chat is not None:
        chats["telegram"] = Destination(Platform.TELEGRAM, str(config.telegram.review_chat))
    if config.discord.review_chat is not None:
        chats["discord"] = Destination(Platform.DISCORD, str(config.discord.review_chat))
    return chats


def configured_secrets(config: Config) -> list[str]:
    values = [
        config.threads.access_token,
        config.threads.app_secret,
        config.telegram.token,
        config.discord.token,
        config.webhooks.verify_token,
    ]
    secrets = [value.reveal() for value in values if value is not None]
    secrets += [token for _, token in _webhooks(config)]
    return secrets


def _webhooks(config: Config) -> Iterator[tuple[str, str]]:
    for feed in config.feeds:
        if feed.discord_webhook is not None:
            parsed = parse_webhook_url(feed.discord_webhook.reveal())
            if parsed is not None:
                yield parsed
