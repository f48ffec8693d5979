"""Point discord.py at a FakeDiscord for the duration of a block, then restore it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import discord
import yarl

if TYPE_CHECKING:
    from .server import FakeDiscord


@asynccontextmanager
async def patched_discord(fake: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    """Set `discord.http.Route.BASE` and `DiscordWebSocket.DEFAULT_GATEWAY` to the fake's
    (REST, webhooks and interaction callbacks all go through Route) and restore both."""
    route_base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        discord.http.Route.BASE = route_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway
