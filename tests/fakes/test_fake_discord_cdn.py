"""The Discord fake's files: attachment options on slash commands (data.resolved.attachments),
message context-menu commands (resolved.messages), and the CDN that serves the attachments
under signed URLs, checked against Discord's OpenAPI shapes and through the real discord.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import httpx
import pytest
from discord import app_commands

from tests.fakes.discord import FakeDiscord, load_spec, patched_discord
from tests.fakes.discord.cdn import GONE, SPOILER_FLAG, Upload
from tests.fakes.discord.harness import ALICE, BOB, GUILD, TEXT, populate, quiet_intents, running
from tests.media_samples import JPEG, PNG

SPEC = load_spec()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server, patched_discord(server):
        populate(server)
        yield server


class FilesBot(discord.Client):
    """/share with two attachment options, and a "Quote this" message menu; each hands
    what discord.py resolved to `files` or `messages`."""

    def __init__(self) -> None:
        super().__init__(intents=quiet_intents(), guild_ready_timeout=0.1)
        self.files: asyncio.Queue[list[discord.Attachment | None]] = asyncio.Queue()
        self.messages: asyncio.Queue[discord.Message] = asyncio.Queue()
        self.tree = app_commands.CommandTree(self)
        guild = discord.Object(GUILD)

        @self.tree.command(name="share", description="Share files", guild=guild)
        async def share(
            interaction: discord.Interaction,
            first: discord.Attachment,
            second: discord.Attachment | None = None,
        ) -> None:
            await interaction.response.send_message("got them", ephemeral=True)
            await self.files.put([first, second])

        @self.tree.context_menu(name="Quote this", guild=guild)
        async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message("quoted", ephemeral=True)
            await self.messages.put(message)

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=discord.Object(GUILD))


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[FilesBot]:
    async with running(FilesBot(), fake.token) as client:
        assert isinstance(client, FilesBot)
        yield client


async def test_attachment_options_arrive_resolved_and_their_urls_serve_the_bytes(
    fake: FakeDiscord, bot: FilesBot
) -> None:
    options = {
        "first": Upload("photo.jpg", JPEG, "image/jpeg"),
        "second": Upload("secret.png", PNG, "image/png", spoiler=True),
    }
    sent = await fake.invoke_slash(GUILD, TEXT, ALICE, "share", options=options)
    async with asyncio.timeout(5):
        first, second = await bot.files.get()

    data = sent.payload["data"]
    assert [(o["name"], o["type"]) for o in data["options"]] == [("first", 11), ("second", 11)]
    resolved = data["resolved"]["attachments"]
    assert [o["value"] for o in data["options"]] == list(resolved)
    for item in resolved.values():
        assert SPEC.missing_schema_fields("AttachmentResponse", item) == []
        assert item["ephemeral"] is True
        assert f"/ephemeral-attachments/{TEXT}/{item['id']}/" in item["url"]
    assert isinstance(first, discord.Attachment) and isinstance(second, discord.Attachment)
    assert (first.filename, first.content_type, first.size) == (
        "photo.jpg",
        "image/jpeg",
        len(JPEG),
    )
    assert not first.is_spoiler()
    assert second.filename == "SPOILER_secret.png" and second.is_spoiler()
    assert second.flags.value == SPOILER_FLAG
    async with httpx.AsyncClient() as http:  # no Authorization: the URL alone is enough
        photo = await http.get(first.url)
        proxied = await http.get(second.proxy_url)
    assert (photo.status_code, photo.content) == (200, JPEG)
    assert photo.headers["Content-Type"] == "image/jpeg"
    assert (proxied.status_code, proxied.content) == (200, PNG)


async def test_a_tampered_or_expired_url_is_no_longer_available(fake: FakeDiscord) -> None:
    item = fake.cdn.attachment(TEXT, Upload("photo.jpg", JPEG, "image/jpeg"))
    url = item["url"]
    path = url.removeprefix(fake.url).partition("?")[0]
    signature = url.rpartition("&hm=")[2]
    tampered = url.replace(signature, signature[::-1])
    renamed = url.replace("photo.jpg", "other.jpg")
    expired = fake.cdn.url(path, issued=0)  # issued in 1970: long expired

    async with httpx.AsyncClient() as http:
        answers = [await http.get(u) for u in (url, tampered, renamed, expired, url.split("?")[0])]

    assert [a.status_code for a in answers] == [200, 404, 404, 404, 404]
    assert answers[1].text == GONE
    assert fake.cdn.downloads == [path]


async def test_a_message_menu_carries_the_message_with_its_content_and_files(
    fake: FakeDiscord, bot: FilesBot
) -> None:
    message_id = fake.write_message(TEXT, BOB, "look at this", [Upload("a.png", PNG, "image/png")])

    sent = await fake.invoke_message_command(GUILD, TEXT, ALICE, "Quote this", message_id)
    async with asyncio.timeout(5):
        message = await bot.messages.get()

    data = sent.payload["data"]
    assert (data["type"], data["target_id"], data["guild_id"]) == (3, str(message_id), str(GUILD))
    payload = data["resolved"]["messages"][str(message_id)]
    assert SPEC.missing_schema_fields("MessageResponse", payload) == []
    # The bot has no message content intent, and still gets the content: Discord sends it
    # for the target of a message command.
    assert (message.id, message.content, message.author.id) == (message_id, "look at this", BOB)
    (attached,) = message.attachments
    assert "ephemeral" not in payload["attachments"][0]
    assert f"/attachments/{TEXT}/{attached.id}/a.png?ex=" in attached.url
    async with httpx.AsyncClient() as http:
        assert (await http.get(attached.url)).content == PNG
    assert fake.messages == [m for m in fake.messages if m.author_id == fake.bot_user.id]


async def test_menu_names_may_have_capitals_and_spaces_but_slash_names_may_not(
    fake: FakeDiscord,
) -> None:
    base = f"{fake.api_base}/applications/{fake.application_id}/guilds/{GUILD}/commands"
    headers = {"Authorization": f"Bot {fake.token}"}
    async with httpx.AsyncClient(headers=headers) as http:
        menu = await http.put(base, json=[{"name": "Cross-post to Threads", "type": 3}])
        slash = await http.put(
            base, json=[{"name": "Cross post", "type": 1, "description": "no spaces"}]
        )
        padded = await http.put(base, json=[{"name": " padded", "type": 3}])

    assert menu.status_code == 200 and menu.json()[0]["name"] == "Cross-post to Threads"
    assert (slash.status_code, slash.json()["code"]) == (400, 50035)
    assert padded.status_code == 400
