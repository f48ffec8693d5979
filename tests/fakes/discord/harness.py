"""Helpers for driving a real discord.py client against FakeDiscord: a small standard
world, intents without privileged ones, and running a client until it is ready."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord

from .models import MANAGE_GUILD
from .server import FakeDiscord

GUILD = 1_300_000_000_000_000_100
TEXT = 1_300_000_000_000_000_101
NEWS = 1_300_000_000_000_000_102
FORUM = 1_300_000_000_000_000_103
MODS = 1_300_000_000_000_000_301
OWNER = 1_300_000_000_000_000_900
ALICE = 1_300_000_000_000_000_201  # a moderator (MANAGE_GUILD through the mods role)
BOB = 1_300_000_000_000_000_202  # a plain member


def populate(fake: FakeDiscord) -> None:
    """One guild with a text, an announcement and a forum channel; Alice (mod) and Bob."""
    fake.add_guild(GUILD, "Bridge HQ", owner_id=OWNER)
    fake.add_channel(GUILD, TEXT, "general")
    fake.add_channel(GUILD, NEWS, "announcements", type=5)
    fake.add_channel(GUILD, FORUM, "threads-feed", type=15)
    fake.add_role(GUILD, MODS, "mods", permissions=MANAGE_GUILD)
    fake.add_member(GUILD, ALICE, "alice", roles=[MODS])
    fake.add_member(GUILD, BOB, "bob")


def quiet_intents() -> discord.Intents:
    """`Intents.default()` without the privileged members/presences/message_content."""
    intents = discord.Intents.default()
    intents.members = False
    intents.presences = False
    intents.message_content = False
    return intents


@asynccontextmanager
async def running(
    client: discord.Client, token: str, *, within: float = 10.0
) -> AsyncIterator[discord.Client]:
    """Log in (setup_hook runs), connect, wait for `ready`; close on exit. A connect
    failure (e.g. a 4004 close) is raised instead of waiting out `within`."""
    await client.login(token)
    connection = asyncio.create_task(client.connect(), name="fake-discord-client-connect")
    ready = asyncio.create_task(client.wait_until_ready(), name="fake-discord-client-ready")
    try:
        async with asyncio.timeout(within):
            await asyncio.wait({connection, ready}, return_when=asyncio.FIRST_COMPLETED)
        if connection.done():
            connection.result()
            raise AssertionError("the client stopped before it became ready")
        yield client
    finally:
        ready.cancel()
        await client.close()
        if not connection.done():
            await connection
