"""The fake's world model through discord.py and raw HTTP: permissions, mentions, typed
command options and resolved objects, user messages and intents, command sync rules,
files, webhooks into forums and threads, session invalidation."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fakes.discord import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    EVERYONE_PERMISSIONS,
    MANAGE_GUILD,
    FakeDiscord,
    patched_discord,
)
from tests.fakes.discord.harness import (
    ALICE,
    BOB,
    FORUM,
    GUILD,
    MODS,
    OWNER,
    TEXT,
    populate,
    quiet_intents,
    running,
)
from tests.fakes.discord.raw import RawDiscord

CAROL = 1_300_000_000_000_000_203
ADMINS = 1_300_000_000_000_000_302


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server, patched_discord(server):
        populate(server)
        yield server


class OptionsBot(discord.Client):
    """/threads admin set <profile> <channel> <role> <limit> <ratio> <mode> [notify]."""

    def __init__(self) -> None:
        super().__init__(intents=quiet_intents(), guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)
        self.received: list[dict[str, Any]] = []
        self.messages: list[discord.Message] = []
        threads = app_commands.Group(name="threads", description="Threads bridge")
        admin = app_commands.Group(name="admin", description="Admin", parent=threads)

        @admin.command(name="set", description="Configure")
        @app_commands.choices(
            mode=[
                app_commands.Choice(name="All", value="all"),
                app_commands.Choice(name="Top", value="top"),
            ]
        )
        async def configure(
            interaction: discord.Interaction,
            profile: discord.Member,
            channel: discord.TextChannel,
            role: discord.Role,
            limit: int,
            ratio: float,
            mode: app_commands.Choice[str],
            notify: bool = True,
        ) -> None:
            self.received.append(
                {
                    "profile": profile,
                    "channel": channel,
                    "role": role,
                    "limit": limit,
                    "ratio": ratio,
                    "mode": mode.value,
                    "notify": notify,
                    "can_manage": interaction.permissions.manage_guild,
                    "app_can_send": interaction.app_permissions.send_messages,
                }
            )
            await interaction.response.send_message("saved", ephemeral=True)

        self.tree.add_command(threads, guild=discord.Object(GUILD))

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=discord.Object(GUILD))

    async def on_message(self, message: discord.Message) -> None:
        self.messages.append(message)


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[OptionsBot]:
    async with running(OptionsBot(), fake.token) as client:
        assert isinstance(client, OptionsBot)
        yield client


def test_permissions_come_from_roles_owner_and_overrides(fake: FakeDiscord) -> None:
    fake.add_role(GUILD, ADMINS, "admins", permissions=ADMINISTRATOR)
    fake.add_member(GUILD, CAROL, "carol", roles=[ADMINS])
    assert fake.permissions_of(GUILD, OWNER) == ALL_PERMISSIONS
    assert fake.permissions_of(GUILD, ALICE) == EVERYONE_PERMISSIONS | MANAGE_GUILD
    assert fake.permissions_of(GUILD, BOB) == EVERYONE_PERMISSIONS
    assert fake.permissions_of(GUILD, CAROL) == ALL_PERMISSIONS
    fake.add_member(GUILD, BOB, "bob", permissions=MANAGE_GUILD)
    assert fake.permissions_of(GUILD, BOB) == MANAGE_GUILD
    with pytest.raises(ValueError, match="not in guild"):
        fake.add_member(GUILD, CAROL, "carol", roles=[12345])


async def test_typed_options_and_resolved_objects(fake: FakeDiscord, bot: OptionsBot) -> None:
    options = {
        "profile": BOB,
        "channel": TEXT,
        "role": MODS,
        "limit": 5,
        "ratio": 0.5,
        "mode": "top",
    }
    sent = await fake.invoke_slash(
        GUILD, TEXT, ALICE, "threads", subcommand="set", group="admin", options=options
    )
    await fake.wait_for(lambda f: bool(f.responses_to(sent.id)))

    (got,) = bot.received
    assert isinstance(got["profile"], discord.Member) and got["profile"].id == BOB
    assert got["channel"].id == TEXT and got["role"].id == MODS
    assert (got["limit"], got["ratio"], got["mode"], got["notify"]) == (5, 0.5, "top", True)
    assert got["can_manage"] is True and got["app_can_send"] is True
    (group,) = sent.payload["data"]["options"]
    assert (group["name"], group["type"], group["options"][0]["type"]) == ("admin", 2, 1)
    leaf = {o["name"]: (o["type"], o["value"]) for o in group["options"][0]["options"]}
    assert leaf["profile"] == (6, str(BOB)) and leaf["limit"] == (4, 5)
    resolved = sent.payload["data"]["resolved"]
    assert set(resolved) == {"users", "members", "roles", "channels"}
    for key in ("attachment_size_limit", "entitlements", "authorizing_integration_owners"):
        assert key in sent.payload
    assert sent.payload["member"]["joined_at"] and sent.payload["member"]["flags"] == 0
    assert sent.payload["locale"] == "en-US" and sent.payload["app_permissions"].isdigit()


async def test_member_without_permission(fake: FakeDiscord, bot: OptionsBot) -> None:
    options = {
        "profile": ALICE,
        "channel": TEXT,
        "role": MODS,
        "limit": 1,
        "ratio": 1,
        "mode": "all",
    }
    sent = await fake.invoke_slash(GUILD, TEXT, BOB, "threads", "set", options, group="admin")
    await fake.wait_for(lambda f: bool(f.responses_to(sent.id)))
    assert bot.received[0]["can_manage"] is False


async def test_invocations_discord_would_never_send(fake: FakeDiscord, bot: OptionsBot) -> None:
    base = {"profile": BOB, "channel": TEXT, "role": MODS, "limit": 1, "ratio": 1.0}
    with pytest.raises(ValueError, match="required options missing"):
        await fake.invoke_slash(GUILD, TEXT, ALICE, "threads", "set", base, group="admin")
    with pytest.raises(ValueError, match="not one of the choices"):
        await fake.invoke_slash(
            GUILD, TEXT, ALICE, "threads", "set", base | {"mode": "x"}, group="admin"
        )
    with pytest.raises(ValueError, match="no option"):
        await fake.invoke_slash(
            GUILD, TEXT, ALICE, "threads", "set", base | {"mode": "all", "x": 1}, group="admin"
        )
    with pytest.raises(ValueError, match="needs a subcommand"):
        await fake.invoke_slash(GUILD, TEXT, ALICE, "threads")
    with pytest.raises(LookupError, match="was not synced"):
        await fake.invoke_slash(GUILD, TEXT, ALICE, "nope")


async def test_pushing_without_a_client_is_an_error(fake: FakeDiscord) -> None:
    async with RawDiscord(fake) as api:
        command = {"name": "threads", "description": "x", "type": 1}
        await api("PUT", f"/applications/{fake.application_id}/commands", json_body=[command])
    with pytest.raises(RuntimeError, match="no client"):
        await fake.invoke_slash(GUILD, TEXT, ALICE, "threads")


async def test_allowed_mentions_decide_who_is_pinged(fake: FakeDiscord) -> None:
    content = f"@everyone <@{BOB}> <@{ALICE}> <@&{MODS}>"
    bodies = [
        {"content": content},
        {"content": content, "allowed_mentions": {"parse": []}},
        {"content": content, "allowed_mentions": {"parse": ["roles"], "users": [str(BOB)]}},
    ]
    async with RawDiscord(fake) as api:
        answers = [
            (await api("POST", f"/channels/{TEXT}/messages", json_body=body))[1] for body in bodies
        ]
    default, none, some = (m.pings for m in fake.messages_in(TEXT))
    assert default.everyone and default.users == {ALICE, BOB} and default.roles == {MODS}
    assert not none.anyone
    assert not some.everyone and some.users == {BOB} and some.roles == {MODS}
    assert answers[0]["mention_everyone"] is True and answers[1]["mentions"] == []
    assert [u["id"] for u in answers[2]["mentions"]] == [str(BOB)]


async def test_others_messages_respect_the_message_content_intent(
    fake: FakeDiscord, bot: OptionsBot
) -> None:
    hook, token, _ = fake.add_webhook(TEXT)
    mention = f"<@{fake.application_id}> hi"
    async with RawDiscord(fake) as api:
        for content in ("hello there", mention):
            path = f"/webhooks/{hook}/{token}"
            await api("POST", path, json_body={"content": content}, auth=False)
    await fake.wait_for(lambda f: len(f.gateway_events("MESSAGE_CREATE")) == 2)
    assert fake.messages_in(TEXT)[0].content == "hello there"
    assert [f.d["content"] for f in fake.gateway_events("MESSAGE_CREATE")] == ["", mention]


async def test_command_sync_rules_and_stable_ids(fake: FakeDiscord, bot: OptionsBot) -> None:
    path = f"/applications/{fake.application_id}/guilds/{GUILD}/commands"
    first_id = fake.commands(GUILD)[0]["id"]
    bad = [
        {"name": "Bad Name", "description": "x"},
        {"name": "ok", "description": "d" * 101},
        {"name": "dup", "description": "x"},
        {"name": "dup", "description": "x"},
    ]
    async with RawDiscord(fake) as api:
        status, body, _ = await api("PUT", path, json_body=bad)
        await bot.tree.sync(guild=discord.Object(GUILD))
    assert status == 400 and set(body["errors"]) == {"0", "1", "3"}
    assert body["errors"]["0"]["name"]["_errors"][0]["code"] == "APPLICATION_COMMAND_INVALID_NAME"
    assert fake.commands(GUILD)[0]["id"] == first_id


async def test_autocomplete_choice_limits(fake: FakeDiscord) -> None:
    async with running(_AutocompleteBot(), fake.token):
        sent = await fake.autocomplete(GUILD, TEXT, BOB, "pick", None, "item", "")
        await fake.wait_for(lambda f: len(f.calls_to("POST", "/interactions/*")) == 1)
    (call,) = fake.calls_to("POST", "/interactions/*")
    assert call.status == 400 and call.response["errors"]["data"]["choices"]
    assert fake.autocomplete_choices(sent.id) is None


class _AutocompleteBot(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=quiet_intents(), guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)

        @app_commands.command(name="pick", description="Pick")
        async def pick(interaction: discord.Interaction, item: str) -> None:
            await interaction.response.send_message(item)

        @pick.autocomplete("item")
        async def items(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            # Deliberately too many: Discord allows 25.
            return [app_commands.Choice(name=str(n), value=str(n)) for n in range(30)]

        self.tree.add_command(pick, guild=discord.Object(GUILD))

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=discord.Object(GUILD))


async def test_file_upload_is_multipart(fake: FakeDiscord, bot: OptionsBot) -> None:
    channel = bot.get_channel(TEXT)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send(
        "with a picture", file=discord.File(io.BytesIO(b"\x89PNG" + b"0" * 60), "post.png")
    )
    (call,) = fake.calls_to("POST", f"/channels/{TEXT}/messages")
    assert call.files == ("post.png",) and call.json["content"] == "with a picture"
    assert message.attachments[0].filename == "post.png" and message.attachments[0].size == 64
    assert message.attachments[0].content_type == "image/png"
    (sent,) = fake.messages_in(TEXT)
    assert sent.files == ("post.png",) and sent.uploads == (b"\x89PNG" + b"0" * 60,)


async def test_webhooks_into_forums_and_threads(fake: FakeDiscord) -> None:
    forum_hook, forum_token, _ = fake.add_webhook(FORUM)
    thread = fake.add_channel(GUILD, 1_300_000_000_000_000_160, "t", type=11, parent_id=TEXT)
    text_hook, text_token, _ = fake.add_webhook(TEXT)
    async with RawDiscord(fake) as api:
        nameless = await api(
            "POST", f"/webhooks/{forum_hook}/{forum_token}", json_body={"content": "x"}, auth=False
        )
        post = await api(
            "POST",
            f"/webhooks/{forum_hook}/{forum_token}",
            json_body={"content": "x", "thread_name": "@bob: hello"},
            query={"wait": "true"},
            auth=False,
        )
        reply = await api(
            "POST",
            f"/webhooks/{text_hook}/{text_token}",
            json_body={"content": "in thread"},
            query={"wait": "true", "thread_id": str(thread.id)},
            auth=False,
        )
    assert nameless[0] == 400 and nameless[1]["code"] == 220001
    assert post[0] == 200 and fake.state.channels[int(post[1]["channel_id"])].name == "@bob: hello"
    assert reply[1]["channel_id"] == str(thread.id)


async def test_identify_then_resuming_an_unknown_session(fake: FakeDiscord) -> None:
    """Raw WebSocket (discord.py waits 5 s before re-identifying after op 9)."""
    identify = {"token": fake.token, "intents": 0, "properties": {}}
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(fake.gateway_url) as ws:
            assert (await ws.receive_json())["op"] == 10
            await ws.send_json({"op": 2, "d": identify})
            ready = await ws.receive_json()
            assert (ready["t"], ready["s"]) == ("READY", 1)
            assert ready["d"]["resume_gateway_url"] == fake.gateway_url
            assert ready["d"]["application"]["id"] == str(fake.application_id)
            guild = await ws.receive_json()
            assert (guild["t"], guild["d"]["id"]) == ("GUILD_CREATE", str(GUILD))
        async with session.ws_connect(fake.gateway_url) as ws:
            await ws.receive_json()
            resume = {"token": fake.token, "session_id": "not-a-session", "seq": 2}
            await ws.send_json({"op": 6, "d": resume})
            assert await ws.receive_json() == {"op": 9, "d": False}
