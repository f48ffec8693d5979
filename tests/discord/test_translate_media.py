"""Files on Discord interactions -> the Commands the core publishes, from raw JSON as Discord
sends it (https://discord.com/developers/docs/interactions/receiving-and-responding,
"Resolved Data Structure"): `/threads post` with attachment options and the "Cross-post to
Threads" message menu.

Each INTERACTION_CREATE goes through a real discord.py `ConnectionState` into a real
`CommandTree` holding the adapter's `/threads` group and menu (as at the gateway, with no
network): discord.py resolves the attachments and the message, the adapter's callbacks turn
them into a Command, which is what is checked."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import discord
import pytest
from discord import app_commands

from adapters.discord.commands import CROSSPOST_MENU, build_crosspost_menu, build_threads_group
from adapters.discord.translate import command_of
from bot.events import Attachment, ChatMessage, ChatUser, Command, Platform
from tests.discord.raw_interactions import (
    ADA,
    GUILD_CREATE,
    TEXT,
    VIEW_SEND_READ,
    connected,
    guild_interaction,
)

CDN = "https://cdn.discordapp.com"
SIGNED = (
    "?ex=6751c3a2&is=67507222&hm=5b1c0a6f9e0d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b3a&"
)
MESSAGE = "1300000000000000601"
BOB = "1300000000000000202"
WRITER = {
    "id": BOB,
    "username": "bob",
    "discriminator": "0",
    "global_name": "Bob",
    "avatar": None,
    "public_flags": 0,
}


def attachment(attachment_id: str, filename: str, size: int, **extra: Any) -> dict[str, Any]:
    """An attachment object as Discord sends it (a slash command's: ephemeral)."""
    path = f"/ephemeral-attachments/{TEXT}/{attachment_id}/{filename}"
    return {
        "id": attachment_id,
        "filename": filename,
        "size": size,
        "url": CDN + path + SIGNED,
        "proxy_url": "https://media.discordapp.net" + path + SIGNED,
        "ephemeral": True,
        "flags": 0,
        **extra,
    }


def post_interaction(options: list[dict[str, Any]], files: list[dict[str, Any]]) -> dict[str, Any]:
    data = guild_interaction(VIEW_SEND_READ, [])
    data["data"] = {
        "id": "1200000000000000010",
        "name": "threads",
        "type": 1,
        "options": [{"name": "post", "type": 1, "options": options}],
        "resolved": {"attachments": {f["id"]: f for f in files}},
    }
    return data


def menu_interaction(message: dict[str, Any]) -> dict[str, Any]:
    data = guild_interaction(VIEW_SEND_READ, [])
    data["data"] = {
        "id": "1200000000000000011",
        "name": CROSSPOST_MENU,
        "type": 3,  # MESSAGE
        "target_id": message["id"],
        "resolved": {"messages": {message["id"]: message}},
    }
    return data


def written(content: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    """A message Bob wrote in #general, as resolved.messages carries it."""
    return {
        "id": MESSAGE,
        "channel_id": TEXT,
        "type": 0,
        "content": content,
        "author": WRITER,
        "attachments": files,
        "embeds": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": "2026-12-04T19:00:00.000000+00:00",
        "edited_timestamp": None,
        "flags": 0,
        "components": [],
    }


class Captured:
    """What the tree's callbacks handed the adapter, translated with command_of."""

    def __init__(self) -> None:
        self.commands: asyncio.Queue[Command] = asyncio.Queue()

    async def run(
        self,
        interaction: discord.Interaction,
        name: str,
        args: str,
        *,
        attachments: Sequence[discord.Attachment] = (),
    ) -> None:
        await self.commands.put(command_of(interaction, name, args, attachments=attachments))

    async def crosspost(self, interaction: discord.Interaction, message: discord.Message) -> None:
        await self.commands.put(command_of(interaction, "crosspost", "", answered=message))

    @staticmethod
    def suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return []


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[Any, Captured]]:
    """A client whose tree holds the adapter's commands, connected to one server."""
    captured = Captured()
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)
    tree.add_command(build_threads_group(captured.run, captured.suggest))
    tree.add_command(build_crosspost_menu(captured.crosspost))
    async with client:  # the client's loop, which the tree runs commands on
        async for state in connected([GUILD_CREATE], client):
            yield state, captured


async def received(gateway: tuple[Any, Captured], data: dict[str, Any]) -> Command:
    state, captured = gateway
    state.parse_interaction_create(data)
    async with asyncio.timeout(5):
        return await captured.commands.get()


async def test_attachment_options_become_the_post_s_media_in_option_order(
    gateway: tuple[Any, Captured],
) -> None:
    lake = attachment("1300000000000000501", "lake.jpg", 412, content_type="image/jpeg")
    clip = attachment("1300000000000000502", "clip.mp4", 90210, content_type="video/mp4")
    # The user filled media2 before media1: the options arrive in that order.
    options = [
        {"name": "text", "type": 3, "value": "Sunrise"},
        {"name": "media2", "type": 11, "value": clip["id"]},
        {"name": "media1", "type": 11, "value": lake["id"]},
    ]

    command = await received(gateway, post_interaction(options, [lake, clip]))

    assert (command.name, command.args) == ("post", "Sunrise")
    assert command.attachments == (
        Attachment(
            Platform.DISCORD,
            "IMAGE",
            lake["url"],
            content_type="image/jpeg",
            size=412,
            name="lake.jpg",
            public_url=lake["url"],  # signed, no credential: Meta fetches it itself
        ),
        Attachment(
            Platform.DISCORD,
            "VIDEO",
            clip["url"],
            content_type="video/mp4",
            size=90210,
            name="clip.mp4",
            public_url=clip["url"],
        ),
    )


async def test_media_without_text_and_what_is_not_a_photo_or_video(
    gateway: tuple[Any, Captured],
) -> None:
    files = [
        attachment("1300000000000000503", "SPOILER_finale.png", 70, content_type="image/png"),
        attachment(
            "1300000000000000504", "notes.txt", 5, content_type="text/plain; charset=utf-8"
        ),
        attachment("1300000000000000505", "dance.gif", 64, content_type="image/gif"),
        attachment("1300000000000000506", "raw.mov", 800),  # Discord could not tell the type
    ]
    options = [{"name": f"media{n}", "type": 11, "value": f["id"]} for n, f in enumerate(files, 1)]

    command = await received(gateway, post_interaction(options, files))

    assert command.args == ""
    described = [(a.kind, a.content_type, a.name, a.spoiler) for a in command.attachments]
    assert described == [
        ("IMAGE", "image/png", "finale.png", True),
        ("OTHER", "text/plain", "notes.txt", False),
        ("IMAGE", "image/gif", "dance.gif", False),  # the core refuses it in words
        ("VIDEO", None, "raw.mov", False),
    ]


async def test_the_menu_carries_the_message_its_text_files_and_writer(
    gateway: tuple[Any, Captured],
) -> None:
    mural = attachment("1300000000000000507", "mural.png", 70, content_type="image/png")
    mural = mural | {"ephemeral": False, "url": mural["url"].replace("ephemeral-", "")}

    command = await received(gateway, menu_interaction(written("Our new mural", [mural])))

    assert (command.name, command.args, command.attachments) == ("crosspost", "", ())
    assert command.user == ChatUser(ADA, "Ada Lovelace")  # who clicked publishes
    assert command.answered == ChatMessage(
        "Our new mural",
        (
            Attachment(
                Platform.DISCORD,
                "IMAGE",
                mural["url"],
                content_type="image/png",
                size=70,
                name="mural.png",
                public_url=mural["url"],
            ),
        ),
        author=ChatUser(BOB, "Bob"),
        message_id=MESSAGE,
    )


async def test_the_post_options_lead_the_text_the_core_reads(
    gateway: tuple[Any, Captured],
) -> None:
    options = [
        {"name": "long_text", "type": 3, "value": "attachment"},
        {"name": "text", "type": 3, "value": "A long story"},
        {"name": "replies", "type": 3, "value": "mentioned"},
    ]

    command = await received(gateway, post_interaction(options, []))

    assert command.args == "replies:mentioned long:attachment A long story"
