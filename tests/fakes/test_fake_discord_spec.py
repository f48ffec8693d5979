"""Drift checks between the Discord fake and Discord's OpenAPI description (vendored in
tests/specs; a missing file fails these tests, it never skips them)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fakes.discord import FakeDiscord, load_spec, patched_discord, spec_path
from tests.fakes.discord.harness import (
    ALICE,
    FORUM,
    GUILD,
    TEXT,
    populate,
    quiet_intents,
    running,
)
from tests.fakes.discord.raw import RawDiscord
from tests.fakes.discord.routes import ROUTES
from tests.fakes.discord.spec import SPEC_ENV, SpecMissing
from tests.fakes.discord.validation import SPEC_GAPS_BODY, SPEC_GAPS_QUERY

SPEC = load_spec()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server, patched_discord(server):
        populate(server)
        yield server


def test_every_served_route_is_in_the_spec() -> None:
    missing = [(r.method, r.path) for r in ROUTES if not SPEC.has_route(r.method, r.path)]
    assert missing == []
    assert len(ROUTES) >= 10


def test_token_requirements_match_the_spec() -> None:
    for r in ROUTES:
        assert r.bot_auth == SPEC.bot_token_required(r.method, r.path), (r.method, r.path)


def test_spec_gaps_are_still_gaps() -> None:
    """Each allowance for something discord.py sends that the spec lacks must still be
    needed; once the spec lists it, delete the allowance."""
    for (method, template), keys in SPEC_GAPS_BODY.items():
        known = SPEC.body_keys(method, template) or frozenset()
        assert not keys & known, (method, template, keys & known)
    for (method, template), names in SPEC_GAPS_QUERY.items():
        assert not names & SPEC.query_params(method, template), (method, template)


async def test_unknown_body_keys_and_query_parameters_are_refused(fake: FakeDiscord) -> None:
    commands = f"/applications/{fake.application_id}/guilds/{GUILD}/commands"
    command = {"name": "x", "description": "x", "type": 1, "colour": 3}
    async with RawDiscord(fake) as api:
        plain = await api(
            "POST", f"/channels/{TEXT}/messages", json_body={"content": "x", "colour": 3}
        )
        upload = await api(
            "POST",
            f"/channels/{TEXT}/messages",
            json_body={"content": "x", "colour": 3},
            files={"files[0]": ("a.txt", b"hello")},
        )
        array = await api("PUT", commands, json_body=[command])
        query = await api("GET", "/users/@me", query={"with_everything": "1"})
    for status, body, _ in (plain, upload):
        assert (status, body["code"], body["message"]) == (400, 50035, "Invalid Form Body")
        assert body["errors"]["colour"]["_errors"][0]["code"] == "UNKNOWN_FIELD"
    assert array[1]["errors"] == {
        "0": {"colour": {"_errors": [array[1]["errors"]["0"]["colour"]["_errors"][0]]}}
    }
    assert query[1]["errors"]["with_everything"]["_errors"][0]["code"] == "UNKNOWN_QUERY_PARAMETER"
    assert fake.messages == [] and fake.commands(GUILD) == []


async def test_routes_the_fake_does_not_serve(fake: FakeDiscord) -> None:
    async with RawDiscord(fake) as api:
        not_modelled = await api("GET", f"/channels/{TEXT}/pins")
        unknown = await api("GET", "/no/such/route")
        wrong_method = await api("PUT", f"/channels/{TEXT}/threads")
    assert not_modelled[0] == 501 and "not implemented" in not_modelled[1]["message"]
    assert unknown[:2] == (404, {"message": "404: Not Found", "code": 0})
    assert wrong_method[0] == 405
    assert unknown[2]["Content-Type"] == "application/json"


class PickView(discord.ui.View):
    """A button whose click is acknowledged (callback 6) and its message then edited
    through @original."""

    @discord.ui.button(label="Pick", custom_id="pick")
    async def pick(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="picked", view=None)


class FullBot(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=quiet_intents(), guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)

        @app_commands.command(name="threads", description="Threads bridge")
        async def threads(interaction: discord.Interaction, username: str) -> None:
            await interaction.response.defer(ephemeral=True)
            await interaction.followup.send(f"ok {username}", ephemeral=True)
            await interaction.followup.send("second")

        self.tree.add_command(threads, guild=discord.Object(GUILD))

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=discord.Object(GUILD))
        await self.tree.sync()


async def test_responses_carry_what_the_spec_requires(fake: FakeDiscord) -> None:
    """A session through discord.py touching every served route; then every 2xx JSON
    answer is checked against the required fields of its documented response schema."""
    webhook_id, token, _ = fake.add_webhook(TEXT)
    async with running(FullBot(), fake.token) as bot, aiohttp.ClientSession() as session:
        sent = await fake.invoke_slash(GUILD, TEXT, ALICE, "threads", options={"username": "bob"})
        await fake.wait_for(lambda f: len(f.responses_to(sent.id)) == 3)
        channel = bot.get_channel(TEXT)
        forum = bot.get_channel(FORUM)
        guild = bot.get_guild(GUILD)
        assert isinstance(channel, discord.TextChannel) and isinstance(forum, discord.ForumChannel)
        assert guild is not None
        menu = await channel.send("hello", view=PickView())
        click = await fake.click_button(GUILD, TEXT, ALICE, menu.id, "pick")
        await fake.wait_for(lambda f: len(f.responses_to(click.id)) == 2)
        assert fake.message(menu.id)["content"] == "picked"
        opened = await forum.create_thread(name="post", content="first")
        await opened.thread.delete()
        await (await channel.send("soon gone")).delete()
        await bot.fetch_channel(TEXT)
        webhook = discord.Webhook.partial(webhook_id, token, session=session)
        hooked = await webhook.send("via webhook", wait=True)
        await webhook.edit_message(hooked.id, content="via webhook, edited")
        await webhook.delete_message(hooked.id)
        await webhook.fetch()
        await menu.edit(content="picked, then edited")
        await menu.delete()
    served = {(c.method, c.route) for c in fake.calls if c.ok}
    assert served == {(r.method, r.path) for r in ROUTES}
    for call in fake.calls:
        assert call.ok, (call.method, call.path, call.response)
        assert call.route is not None
        missing = SPEC.missing_response_fields(call.method, call.route, call.status, call.response)
        assert missing == [], (call.method, call.route, missing)


def test_the_spec_is_read_from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_ENV, raising=False)
    assert spec_path() == Path(__file__).resolve().parents[1] / "specs" / "discord-openapi.json"
    assert SPEC.version == "10" and len(SPEC.operations()) > 200


def test_a_missing_spec_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absent = tmp_path / "nope.json"
    monkeypatch.setenv(SPEC_ENV, str(absent))
    assert spec_path() == absent
    with pytest.raises(SpecMissing, match=re.escape(f"spec not found at {absent}")):
        load_spec()
    with pytest.raises(SpecMissing):
        FakeDiscord()


async def test_without_a_spec_the_route_table_still_serves() -> None:
    async with FakeDiscord(spec=False) as server:
        populate(server)
        async with RawDiscord(server) as api:
            sent = await api(
                "POST", f"/channels/{TEXT}/messages", json_body={"content": "x", "colour": 1}
            )
            unknown = await api("GET", f"/channels/{TEXT}/pins")
        assert sent[0] == 200
        assert unknown[:2] == (404, {"message": "404: Not Found", "code": 0})


async def test_guild_create_objects_have_the_rest_shapes(fake: FakeDiscord) -> None:
    """GUILD_CREATE carries the same role, member and channel objects REST documents."""
    fake.add_channel(GUILD, 1_300_000_000_000_000_150, "a-thread", type=11, parent_id=TEXT)
    guild = fake.state.guild_create(GUILD)
    for role in guild["roles"]:
        assert SPEC.missing_schema_fields("GuildRoleResponse", role) == []
    for member in guild["members"]:
        assert SPEC.missing_schema_fields("GuildMemberResponse", member) == []
    for channel in guild["channels"]:
        assert SPEC.missing_schema_fields("GuildChannelResponse", channel) == []
    (thread,) = guild["threads"]
    assert SPEC.missing_schema_fields("ThreadResponse", thread) == []
    assert SPEC.missing_schema_fields("UserPIIResponse", guild["members"][0]["user"]) != []
