"""The Discord fake driven through the real discord.py: login, command sync, READY and
GUILD_CREATE, slash commands with deferral and followups, autocomplete, buttons, modals,
channel sends, forum posts, webhooks and gateway resume."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands

from tests.fakes.discord import FakeDiscord, patched_discord
from tests.fakes.discord.harness import (
    ALICE,
    BOB,
    FORUM,
    GUILD,
    MODS,
    NEWS,
    TEXT,
    populate,
    quiet_intents,
    running,
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server, patched_discord(server):
        populate(server)
        yield server


class Reason(discord.ui.Modal, title="Stop watching"):
    reason: discord.ui.TextInput[Reason] = discord.ui.TextInput(
        label="Why?", custom_id="reason", max_length=200
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"stopped: {self.reason.value}", ephemeral=True)


class Controls(discord.ui.View):
    """A persistent view: fixed custom_ids and no timeout."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Stop", style=discord.ButtonStyle.danger, custom_id="watch:stop")
    async def stop_watching(
        self, interaction: discord.Interaction, button: discord.ui.Button[Controls]
    ) -> None:
        await interaction.response.send_modal(Reason(custom_id="watch:reason"))


class BridgeBot(discord.Client):
    """A bot with a guild-scoped /threads group (watch, list), synced in setup_hook."""

    def __init__(self) -> None:
        super().__init__(intents=quiet_intents(), guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(self._threads_group(), guild=discord.Object(GUILD))

    def _threads_group(self) -> app_commands.Group:
        group = app_commands.Group(name="threads", description="Watch Threads profiles")

        @group.command(name="watch", description="Watch a Threads profile")
        @app_commands.describe(username="Threads username", replies="Include replies")
        async def watch(
            interaction: discord.Interaction, username: str, replies: bool = False
        ) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(
                f"watching {username} (replies={replies})",
                view=Controls(),
                allowed_mentions=discord.AllowedMentions.none(),
            )

        @watch.autocomplete("username")
        async def complete_username(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            known = ["bob", "bobby", "carol"]
            return [app_commands.Choice(name=n, value=n) for n in known if n.startswith(current)]

        @group.command(name="list", description="List watched profiles")
        async def list_watched(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("nothing watched yet", ephemeral=True)
            await interaction.followup.send("still nothing", ephemeral=True)

        return group

    async def setup_hook(self) -> None:
        self.add_view(Controls())
        await self.tree.sync(guild=discord.Object(GUILD))


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[BridgeBot]:
    async with running(BridgeBot(), fake.token) as client:
        assert isinstance(client, BridgeBot)
        yield client


async def test_login_sync_and_ready(fake: FakeDiscord, bot: BridgeBot) -> None:
    assert [(c.method, c.route) for c in fake.calls[:3]] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands"),
    ]
    assert all(c.authorization == f"Bot {fake.token}" for c in fake.calls[:3])
    assert bot.user is not None and bot.user.id == fake.application_id
    assert bot.application_id == fake.application_id
    guild = bot.get_guild(GUILD)
    assert guild is not None and guild.name == "Bridge HQ"
    assert {c.id for c in guild.channels} == {TEXT, NEWS, FORUM}
    assert isinstance(guild.get_channel(FORUM), discord.ForumChannel)
    assert guild.get_role(MODS) is not None
    (synced,) = fake.commands(GUILD)
    assert synced["name"] == "threads" and synced["guild_id"] == str(GUILD)
    assert [o["name"] for o in synced["options"]] == ["watch", "list"]
    assert fake.commands() == []
    assert fake.identifies == 1
    assert [f.t for f in fake.gateway_frames if f.direction == "out" and f.op == 0] == [
        "READY",
        "GUILD_CREATE",
    ]


async def test_slash_command_defers_then_follows_up(fake: FakeDiscord, bot: BridgeBot) -> None:
    sent = await fake.invoke_slash(
        GUILD, TEXT, ALICE, "threads", subcommand="watch", options={"username": "bob"}
    )
    await fake.wait_for(
        lambda f: [r.kind for r in f.responses_to(sent.id)] == ["callback", "followup"]
    )

    callback, followup = fake.responses_to(sent.id)
    assert callback.type == 5
    (message,) = fake.messages_in(TEXT)
    assert message.content == "watching bob (replies=False)"
    assert message.via == "followup" and message.interaction_id == sent.id
    # The first followup after a deferral replaces the "thinking..." message.
    assert message.id == callback.message_id == followup.message_id
    assert message.allowed_mentions == {"parse": []}
    assert not message.pings.anyone
    assert message.components[0]["components"][0]["custom_id"] == "watch:stop"
    options = sent.payload["data"]["options"]
    assert options == [
        {"name": "watch", "type": 1, "options": [{"name": "username", "type": 3, "value": "bob"}]}
    ]
    assert sent.payload["data"]["guild_id"] == str(GUILD)
    assert sent.payload["member"]["permissions"] == str(fake.permissions_of(GUILD, ALICE))


async def test_send_message_then_a_followup(fake: FakeDiscord, bot: BridgeBot) -> None:
    sent = await fake.invoke_slash(GUILD, TEXT, BOB, "threads", subcommand="list")
    await fake.wait_for(lambda f: len(f.responses_to(sent.id)) == 2)

    callback, followup = fake.responses_to(sent.id)
    assert (callback.kind, callback.type, followup.kind) == ("callback", 4, "followup")
    first, second = fake.messages_in(TEXT)
    assert first.ephemeral and first.via == "interaction"
    assert second.ephemeral and second.via == "followup" and second.content == "still nothing"
    assert followup.message_id == second.id != first.id
    assert fake.calls_to("POST", "/webhooks/*")


async def test_autocomplete_answers_choices(fake: FakeDiscord, bot: BridgeBot) -> None:
    sent = await fake.autocomplete(GUILD, TEXT, ALICE, "threads", "watch", "username", "bo")
    await fake.wait_for(lambda f: f.autocomplete_choices(sent.id) is not None)

    assert fake.autocomplete_choices(sent.id) == [
        {"name": "bob", "value": "bob"},
        {"name": "bobby", "value": "bobby"},
    ]
    focused = sent.payload["data"]["options"][0]["options"][0]
    assert focused == {"name": "username", "type": 3, "value": "bo", "focused": True}


async def test_button_opens_modal_and_submit_reaches_the_bot(
    fake: FakeDiscord, bot: BridgeBot
) -> None:
    channel = bot.get_channel(TEXT)
    assert isinstance(channel, discord.TextChannel)
    posted = await channel.send("bob posted", view=Controls())

    click = await fake.click_button(GUILD, TEXT, BOB, posted.id, "watch:stop")
    await fake.wait_for(lambda f: f.modal_opened(click.id) is not None)
    modal = fake.modal_opened(click.id)
    assert modal is not None and modal["custom_id"] == "watch:reason"
    assert modal["components"][0]["components"][0]["custom_id"] == "reason"
    assert click.payload["data"] == {"custom_id": "watch:stop", "component_type": 2, "id": 2}
    assert click.payload["message"]["id"] == str(posted.id)

    submit = await fake.submit_modal(GUILD, TEXT, BOB, "watch:reason", {"reason": "spam"})
    await fake.wait_for(lambda f: bool(f.responses_to(submit.id)))
    (reply,) = fake.responses_to(submit.id)
    assert reply.type == 4 and reply.data["content"] == "stopped: spam"
    assert fake.messages[-1].ephemeral


async def test_modal_with_labels_round_trips(fake: FakeDiscord) -> None:
    """discord.py 2.6+ Label layouts come back as type-18 components."""
    submitted: list[str] = []

    class Feedback(discord.ui.Modal, title="Feedback"):
        text: discord.ui.Label[Feedback] = discord.ui.Label(
            text="Your text", component=discord.ui.TextInput(custom_id="txt")
        )

        async def on_submit(self, interaction: discord.Interaction) -> None:
            assert isinstance(self.text.component, discord.ui.TextInput)
            submitted.append(self.text.component.value)
            await interaction.response.defer(thinking=True)

    class Bot(BridgeBot):
        async def on_interaction(self, interaction: discord.Interaction) -> None:
            if interaction.type is discord.InteractionType.component:
                await interaction.response.send_modal(Feedback(custom_id="feedback"))

    async with running(Bot(), fake.token) as client:
        channel = client.get_channel(TEXT)
        assert isinstance(channel, discord.TextChannel)
        button = discord.ui.Button[discord.ui.View](label="Go", custom_id="go")
        view = discord.ui.View(timeout=None)
        view.add_item(button)
        posted = await channel.send("feedback?", view=view)
        click = await fake.click_button(GUILD, TEXT, BOB, posted.id, "go")
        await fake.wait_for(lambda f: f.modal_opened(click.id) is not None)
        submit = await fake.submit_modal(GUILD, TEXT, BOB, "feedback", {"txt": "great"})
        await fake.wait_for(lambda f: bool(f.responses_to(submit.id)))

    assert submitted == ["great"]
    (row,) = submit.payload["data"]["components"]
    assert row["type"] == 18 and row["component"]["value"] == "great"


async def test_slash_command_in_a_dm(fake: FakeDiscord, bot: BridgeBot) -> None:
    bot.tree.add_command(_ping_command())
    synced = await bot.tree.sync()
    assert [c.name for c in synced] == ["ping"]

    sent = await fake.invoke_slash(None, None, BOB, "ping")
    await fake.wait_for(lambda f: bool(f.responses_to(sent.id)))

    assert "member" not in sent.payload and sent.payload["user"]["id"] == str(BOB)
    assert sent.payload["context"] == 1 and "guild_id" not in sent.payload["data"]
    (message,) = fake.messages
    assert message.guild_id is None and message.content == "pong"
    assert fake.calls_to("PUT", "/applications/*/commands")


def _ping_command() -> app_commands.Command[app_commands.Group, ..., None]:
    @app_commands.command(name="ping", description="Ping")
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    return ping


async def test_channel_send_with_embed_view_and_no_mentions(
    fake: FakeDiscord, bot: BridgeBot
) -> None:
    channel = bot.get_channel(NEWS)
    assert isinstance(channel, discord.TextChannel)
    embed = discord.Embed(title="@bob on Threads", description="hello @everyone <@1>")
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Open", url="https://www.threads.net/@bob/post/1"))

    message = await channel.send(
        embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none()
    )

    (call,) = fake.calls_to("POST", f"/channels/{NEWS}/messages")
    assert call.json["allowed_mentions"] == {"parse": []}
    assert call.headers["content-type"] == "application/json"  # case-insensitive
    (sent,) = fake.messages_in(NEWS)
    assert sent.id == message.id and sent.via == "channel"
    assert sent.embeds[0]["title"] == "@bob on Threads"
    assert sent.components[0]["components"][0]["url"].startswith("https://")
    assert message.embeds[0].title == "@bob on Threads"
    assert message.components and isinstance(message.components[0], discord.ActionRow)


async def test_the_bot_deletes_its_own_message(fake: FakeDiscord, bot: BridgeBot) -> None:
    channel = bot.get_channel(NEWS)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("soon gone")
    await channel.get_partial_message(message.id).delete()
    assert fake.is_deleted(message.id)
    assert fake.calls_to("DELETE", f"/channels/{NEWS}/messages/{message.id}")[0].status == 204
    with pytest.raises(discord.NotFound):  # 10008 Unknown Message: it is gone
        await channel.get_partial_message(message.id).delete()


async def test_deleting_a_forum_post_takes_its_thread_and_messages(
    fake: FakeDiscord, bot: BridgeBot
) -> None:
    forum = bot.get_channel(FORUM)
    assert isinstance(forum, discord.ForumChannel)
    created = await forum.create_thread(name="post", content="first")
    more = await created.thread.send("second")
    await created.thread.delete()
    assert fake.is_deleted(created.message.id) and fake.is_deleted(more.id)
    with pytest.raises(discord.NotFound):
        await bot.fetch_channel(created.thread.id)
    with pytest.raises(discord.Forbidden):  # not a thread the bot opened
        await forum.delete()


async def test_default_allowed_mentions_ping_everyone(fake: FakeDiscord, bot: BridgeBot) -> None:
    channel = bot.get_channel(TEXT)
    assert isinstance(channel, discord.TextChannel)
    await channel.send(f"@everyone look <@{BOB}>")
    (sent,) = fake.messages_in(TEXT)
    assert sent.pings.everyone and sent.pings.users == {BOB}


async def test_forum_post_creates_a_thread(fake: FakeDiscord, bot: BridgeBot) -> None:
    forum = bot.get_channel(FORUM)
    assert isinstance(forum, discord.ForumChannel)

    created = await forum.create_thread(
        name="@bob: new post", embed=discord.Embed(title="hello"), content="from Threads"
    )

    assert created.thread.name == "@bob: new post" and created.thread.parent_id == FORUM
    assert created.message.id == created.thread.id
    (sent,) = fake.messages_in(created.thread.id)
    assert sent.via == "forum" and sent.content == "from Threads"
    assert sent.embeds[0]["title"] == "hello"
    await fake.wait_for(lambda f: bool(f.gateway_events("THREAD_CREATE")))
    follow = await created.thread.send("a reply in the post")
    assert [m.id for m in fake.messages_in(created.thread.id)] == [created.thread.id, follow.id]


async def test_incoming_webhook_send(fake: FakeDiscord) -> None:
    webhook_id, token, url = fake.add_webhook(TEXT)
    async with aiohttp.ClientSession() as session:
        assert discord.Webhook.from_url(url, session=session).id == webhook_id
        webhook = discord.Webhook.partial(webhook_id, token, session=session)
        message = await webhook.send(
            "new post",
            username="bob (Threads)",
            avatar_url="https://cdn.example/bob.jpg",
            embed=discord.Embed(title="post"),
            allowed_mentions=discord.AllowedMentions.none(),
            wait=True,
        )
        await webhook.send("fire and forget")  # wait=False: Discord answers 204
        fetched = await discord.Webhook.partial(webhook_id, token, session=session).fetch()
        await webhook.delete_message(message.id)
        with pytest.raises(discord.NotFound):
            await webhook.delete_message(message.id)

    assert message.webhook_id == webhook_id and message.author.name == "bob (Threads)"
    first, second = fake.messages_in(TEXT)
    assert (first.username, first.avatar_url, first.webhook_id) == (
        "bob (Threads)",
        "https://cdn.example/bob.jpg",
        webhook_id,
    )
    assert first.allowed_mentions == {"parse": []} and second.content == "fire and forget"
    assert fake.is_deleted(message.id)
    assert [c.status for c in fake.calls_to("POST", "/webhooks/*")] == [200, 204]
    assert [c.query["wait"] for c in fake.calls_to("POST", "/webhooks/*")] == ["1", "0"]
    assert all(c.authorization is None for c in fake.calls_to("*", "/webhooks/*"))
    assert fetched.channel_id == TEXT


async def test_reconnect_resumes_and_replays(fake: FakeDiscord, bot: BridgeBot) -> None:
    seen: list[int] = []

    @bot.event
    async def on_interaction(interaction: discord.Interaction) -> None:
        seen.append(interaction.id)

    await fake.reconnect()
    # Pushed while the client is away: kept in the session and replayed on RESUME.
    first = await fake.invoke_slash(GUILD, TEXT, ALICE, "threads", subcommand="list")
    await fake.wait_for(lambda f: f.resumes == 1)
    second = await fake.invoke_slash(GUILD, TEXT, ALICE, "threads", subcommand="list")
    await fake.wait_for(lambda f: all(len(f.responses_to(i.id)) == 2 for i in (first, second)))

    assert seen == [first.id, second.id]
    assert fake.identifies == 1
    (resume,) = [f for f in fake.gateway_frames if f.direction == "in" and f.op == 6]
    assert resume.d["session_id"] == fake.gateway_events("READY")[0].d["session_id"]
    assert resume.d["seq"] >= 2


async def test_patching_restores_and_self_configured_clients_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The project's adapter sets Route.BASE and DEFAULT_GATEWAY from its own config."""

    def current() -> tuple[str, yarl.URL]:
        return discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY

    original = current()
    async with FakeDiscord() as server:
        async with patched_discord(server):
            assert current() == (server.api_base, yarl.URL(server.gateway_url))
        assert current() == original
        populate(server)
        monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url)
        )
        async with running(BridgeBot(), server.token) as client:
            assert client.get_guild(GUILD) is not None
        assert server.api_base.startswith("http://127.0.0.1:")
        assert server.api_base.endswith("/api/v10")
        assert server.gateway_url == server.api_base.replace("http", "ws", 1).replace(
            "/api/v10", "/gateway"
        )


async def test_webhook_through_the_clients_session(fake: FakeDiscord, bot: BridgeBot) -> None:
    webhook_id, token, _ = fake.add_webhook(FORUM)
    webhook = discord.Webhook.partial(webhook_id, token, client=bot)
    message = await webhook.send("new post", thread_name="@bob: hello", wait=True)
    (sent,) = fake.messages
    assert sent.via == "webhook" and sent.id == message.id
    assert fake.state.channels[sent.channel_id].parent_id == FORUM
    await fake.wait_for(lambda f: bool(f.gateway_events("THREAD_CREATE")))
