"""Errors and limits as discord.py must see them: Discord's status codes and JSON codes,
429 handling (with and without `Via`), rate-limit headers, content rules, interaction
rules, bad tokens on REST and on the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fakes.discord import FakeDiscord, RateLimits, patched_discord
from tests.fakes.discord.harness import ALICE, FORUM, GUILD, TEXT, populate, quiet_intents, running
from tests.fakes.discord.raw import RawDiscord

VIA = {"Via": "1.1 google"}
RATE_LIMITED = {"message": "You are being rate limited.", "retry_after": 0.05, "global": False}


class Clock:
    """A hand-driven monotonic clock for deadlines and limits (no waiting)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SilentBot(discord.Client):
    """Syncs /threads watch but never answers: tests answer with raw HTTP."""

    def __init__(self) -> None:
        super().__init__(intents=quiet_intents(), guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)
        self.seen: list[discord.Interaction] = []

        @app_commands.command(name="threads", description="Threads bridge")
        async def threads(interaction: discord.Interaction) -> None:
            self.seen.append(interaction)

        self.tree.add_command(threads, guild=discord.Object(GUILD))

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=discord.Object(GUILD))


async def start(**options: object) -> FakeDiscord:
    server = FakeDiscord(**options)  # type: ignore[arg-type]
    await server.start()
    populate(server)
    return server


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await start()
    async with patched_discord(server):
        yield server
    await server.stop()


@pytest.fixture
async def client(fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    async with running(
        discord.Client(intents=quiet_intents(), guild_ready_timeout=0.1), fake.token
    ) as c:
        yield c


def text_channel(client: discord.Client) -> discord.TextChannel:
    channel = client.get_channel(TEXT)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_unknown_channel_is_not_found(fake: FakeDiscord, client: discord.Client) -> None:
    with pytest.raises(discord.NotFound) as caught:
        await client.get_partial_messageable(1_300_000_000_000_000_999).send("hello")
    assert (caught.value.status, caught.value.code, caught.value.text) == (
        404,
        10003,
        "Unknown Channel",
    )


async def test_forbidden_channel(fake: FakeDiscord, client: discord.Client) -> None:
    fake.forbid_channel(TEXT)
    with pytest.raises(discord.Forbidden) as caught:
        await text_channel(client).send("hello")
    assert (caught.value.code, caught.value.text) == (50001, "Missing Access")


async def test_429_with_via_is_retried(fake: FakeDiscord, client: discord.Client) -> None:
    fake.fail_next("POST", "/channels/*/messages", 429, RATE_LIMITED, headers=VIA)
    message = await text_channel(client).send("hello")
    assert fake.rate_limited == 1
    assert [c.status for c in fake.calls_to("POST", "/channels/*/messages")] == [429, 200]
    assert fake.messages_in(TEXT)[0].id == message.id


async def test_429_without_via_is_raised_at_once(
    fake: FakeDiscord, client: discord.Client
) -> None:
    fake.fail_next("POST", "/channels/*/messages", 429, RATE_LIMITED)
    with pytest.raises(discord.HTTPException) as caught:
        await text_channel(client).send("hello")
    assert caught.value.status == 429
    assert len(fake.calls_to("POST", "/channels/*/messages")) == 1
    assert fake.messages == []


async def test_injected_server_error(fake: FakeDiscord) -> None:
    fake.fail_next("*", "/users/@me", 500, times=2)
    async with RawDiscord(fake) as api:
        first, second, third = [await api("GET", "/users/@me") for _ in range(3)]
    assert [first[0], second[0], third[0]] == [500, 500, 200]
    assert first[1] == {"message": "500: injected failure", "code": 0}


async def test_channel_bucket_overflow_is_retried_by_discord_py() -> None:
    fake = await start(rate_limits=RateLimits(channel_messages=(2, 0.3)))
    try:
        async with RawDiscord(fake) as api:
            for text in ("one", "two"):
                status, _, headers = await api(
                    "POST", f"/channels/{TEXT}/messages", json_body={"content": text}
                )
                assert status == 200
            status, body, headers = await api(
                "POST", f"/channels/{TEXT}/messages", json_body={"content": "three"}
            )
            assert status == 429 and body["global"] is False and 0 < body["retry_after"] <= 0.3
            assert headers["Via"] == "1.1 google" and headers["X-RateLimit-Scope"] == "user"
            assert headers["Retry-After"] == "1" and headers["X-RateLimit-Remaining"] == "0"
        async with (
            patched_discord(fake),
            running(
                discord.Client(intents=quiet_intents(), guild_ready_timeout=0.1), fake.token
            ) as client,
        ):
            await text_channel(client).send("four")
        assert fake.rate_limited == 2
        assert [m.content for m in fake.messages_in(TEXT)] == ["one", "two", "four"]
    finally:
        await fake.stop()


async def test_success_carries_rate_limit_headers(fake: FakeDiscord) -> None:
    async with RawDiscord(fake) as api:
        _, _, first = await api("POST", f"/channels/{TEXT}/messages", json_body={"content": "a"})
        _, _, other = await api("POST", f"/channels/{FORUM}/threads", json_body={})
    assert first["Content-Type"] == "application/json"
    assert first["X-RateLimit-Limit"] == "5" and first["X-RateLimit-Remaining"] == "4"
    assert 4.9 < float(first["X-RateLimit-Reset-After"]) <= 5.0
    assert float(first["X-RateLimit-Reset"]) > 1_700_000_000
    assert len(first["X-RateLimit-Bucket"]) == 32
    # A refused request (400: no name) still counts against its bucket.
    assert other["X-RateLimit-Limit"] == "50" and other["X-RateLimit-Remaining"] == "49"


async def test_webhook_and_global_limits_with_a_hand_clock() -> None:
    clock = Clock()
    fake = await start(clock=clock)
    webhook_id, token, _ = fake.add_webhook(TEXT)
    try:
        async with RawDiscord(fake) as api:
            path = f"/webhooks/{webhook_id}/{token}"
            statuses = [
                (await api("POST", path, json_body={"content": str(n)}, auth=False))[0]
                for n in range(6)
            ]
            assert statuses == [204] * 5 + [429]
            clock.now += 2.0
            assert (await api("POST", path, json_body={"content": "again"}, auth=False))[0] == 204
            # Global: 50 bot-token requests per second, any route.
            codes = [(await api("GET", "/users/@me"))[0] for _ in range(51)]
            assert codes[:50] == [200] * 50
            status, body, headers = await api("GET", "/users/@me")
            assert status == 429 and body["global"] is True
            assert headers["X-RateLimit-Global"] == "true"
            assert headers["X-RateLimit-Scope"] == "global"
            clock.now += 1.0
            assert (await api("GET", "/users/@me"))[0] == 200
    finally:
        await fake.stop()


async def test_limits_can_be_switched_off(fake: FakeDiscord) -> None:
    fake.limits_enabled = False
    async with RawDiscord(fake) as api:
        for n in range(7):
            status, _, headers = await api(
                "POST", f"/channels/{TEXT}/messages", json_body={"content": str(n)}
            )
            assert status == 200 and "X-RateLimit-Limit" not in headers
    assert fake.rate_limited == 0


async def test_message_content_rules(fake: FakeDiscord, client: discord.Client) -> None:
    channel = text_channel(client)
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send("x" * 2001)
    assert caught.value.code == 50035 and "2000 or fewer" in caught.value.text
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send(embed=discord.Embed(title="t" * 257))
    assert "In embeds.0.title" in caught.value.text
    too_many_fields = discord.Embed(title="fields")
    for n in range(26):
        too_many_fields.add_field(name=str(n), value="v")
    with pytest.raises(discord.HTTPException):
        await channel.send(embed=too_many_fields)
    big = [discord.Embed(description="d" * 4000) for _ in range(2)]
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send(embeds=big)
    assert "6000" in caught.value.text
    assert fake.messages == []


async def test_raw_bodies_discord_py_would_not_build(fake: FakeDiscord) -> None:
    fake.limits_enabled = False  # eight refusals in one channel would hit its bucket
    path = f"/channels/{TEXT}/messages"
    link_with_id = {"type": 2, "style": 5, "url": "https://x.y", "custom_id": "a", "label": "L"}
    no_custom_id = {"type": 2, "style": 1, "label": "L"}
    six = [{"type": 2, "style": 1, "label": str(n), "custom_id": str(n)} for n in range(6)]
    async with RawDiscord(fake) as api:
        cases = {
            "empty": {"content": ""},
            "eleven embeds": {"embeds": [{"title": "t"}] * 11},
            "link button with custom_id": {
                "components": [{"type": 1, "components": [link_with_id]}]
            },
            "button without custom_id": {
                "components": [{"type": 1, "components": [no_custom_id]}]
            },
            "six buttons": {"components": [{"type": 1, "components": six}]},
            "bare button": {"components": [link_with_id]},
            "mentions": {"content": "x", "allowed_mentions": {"parse": ["users"], "users": [1]}},
            "bad parse": {"content": "x", "allowed_mentions": {"parse": ["all"]}},
        }
        answers = {name: await api("POST", path, json_body=body) for name, body in cases.items()}
    assert answers["empty"][:2] == (
        400,
        {"message": "Cannot send an empty message", "code": 50006},
    )
    for name, (status, body, _) in answers.items():
        if name != "empty":
            assert (status, body.get("code")) == (400, 50035), (name, body)
    errors = answers["link button with custom_id"][1]["errors"]
    assert "custom_id" in errors["components"]["0"]["components"]["0"]
    assert (
        answers["six buttons"][1]["errors"]["components"]["0"]["components"]["_errors"][0]["code"]
        == "COMPONENT_LAYOUT_WIDTH_EXCEEDED"
    )


async def test_thread_name_rules(fake: FakeDiscord, client: discord.Client) -> None:
    forum = client.get_channel(FORUM)
    assert isinstance(forum, discord.ForumChannel)
    with pytest.raises(discord.HTTPException) as caught:
        await forum.create_thread(name="n" * 101, content="x")
    assert caught.value.code == 50035 and "In name" in caught.value.text


async def test_sending_into_a_forum_channel_is_refused(fake: FakeDiscord) -> None:
    async with RawDiscord(fake) as api:
        status, body, _ = await api(
            "POST", f"/channels/{FORUM}/messages", json_body={"content": "x"}
        )
    assert (status, body["code"]) == (400, 50008)


async def test_bad_token_fails_login(fake: FakeDiscord) -> None:
    client = discord.Client(intents=quiet_intents())
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()
    assert fake.calls[0].status == 401
    assert fake.calls[0].response == {"message": "401: Unauthorized", "code": 0}


async def test_gateway_refuses_a_bad_token(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] > 0
        await ws.send_json({"op": 1, "d": None})
        assert (await ws.receive_json())["op"] == 11
        await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 0, "properties": {}}})
        closing = await ws.receive()
    assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4004


async def test_privileged_intents_must_be_allowed() -> None:
    fake = await start(allowed_intents=0)
    intents = quiet_intents()
    intents.message_content = True
    try:
        async with patched_discord(fake):
            with pytest.raises(discord.PrivilegedIntentsRequired):
                async with running(discord.Client(intents=intents), fake.token):
                    pass
    finally:
        await fake.stop()


async def test_deleted_and_wrong_webhooks(fake: FakeDiscord) -> None:
    webhook_id, token, _ = fake.add_webhook(TEXT)
    async with aiohttp.ClientSession() as session:
        wrong = discord.Webhook.partial(webhook_id, "x" * 68, session=session)
        with pytest.raises(discord.HTTPException) as caught:
            await wrong.send("hi")
        assert (caught.value.status, caught.value.code) == (401, 50027)
        webhook = discord.Webhook.partial(webhook_id, token, session=session)
        with pytest.raises(discord.HTTPException) as caught:
            await webhook.send("hi", username="Discord fan")
        assert caught.value.code == 50035 and "discord" in caught.value.text
        fake.delete_webhook(webhook_id)
        with pytest.raises(discord.NotFound) as missing:
            await webhook.send("hi")
    assert missing.value.code == 10015
    assert fake.messages == []


async def test_interaction_rules() -> None:
    clock = Clock()
    fake = await start(clock=clock)
    try:
        async with (
            patched_discord(fake),
            running(SilentBot(), fake.token),
            RawDiscord(fake) as api,
        ):
            first = await fake.invoke_slash(GUILD, TEXT, ALICE, "threads")
            await fake.wait_for(lambda f: bool(f.gateway_events("INTERACTION_CREATE")))
            callback = f"/interactions/{first.id}/{first.token}/callback"
            followup = f"/webhooks/{fake.application_id}/{first.token}"
            status, body, _ = await api(
                "POST", followup, json_body={"content": "early"}, auth=False
            )
            assert (status, body["code"]) == (404, 10015)
            status, body, _ = await api(
                "POST", callback, json_body={"type": 8, "data": {"choices": []}}, auth=False
            )
            assert (status, body["code"]) == (400, 50035)
            update = {"type": 7, "data": {"content": "changed"}}
            status, body, _ = await api("POST", callback, json_body=update, auth=False)
            assert (status, body["code"]) == (400, 50035)  # not a slash command callback
            reply = {"type": 4, "data": {"content": "ok"}}
            status, body, _ = await api(
                "POST", callback, json_body=reply, auth=False, query={"with_response": "true"}
            )
            assert status == 200 and body["resource"]["message"]["content"] == "ok"
            assert body["interaction"]["response_message_id"] == body["resource"]["message"]["id"]
            assert (await api("POST", callback, json_body=reply, auth=False))[1]["code"] == 40060

            # A click may be answered by updating the message it is on (type 7).
            button = {"type": 2, "style": 1, "label": "Go", "custom_id": "go"}
            row = {"type": 1, "components": [button]}
            _, posted, _ = await api(
                "POST",
                f"/channels/{TEXT}/messages",
                json_body={"content": "x", "components": [row]},
            )
            click = await fake.click_button(GUILD, TEXT, ALICE, int(posted["id"]), "go")
            on_click = f"/interactions/{click.id}/{click.token}/callback"
            status, body, _ = await api("POST", on_click, json_body=update, auth=False)
            assert status == 204
            assert fake.message(int(posted["id"]))["content"] == "changed"
            assert [e.message_id for e in fake.edits] == [int(posted["id"])]

            late = await fake.invoke_slash(GUILD, TEXT, ALICE, "threads")
            clock.now += 3.5
            late_callback = f"/interactions/{late.id}/{late.token}/callback"
            status, body, _ = await api("POST", late_callback, json_body=reply, auth=False)
            assert (status, body["code"]) == (404, 10062)
            status, _, _ = await api(
                "POST", late_callback.replace(late.token, "nope"), json_body=reply, auth=False
            )
            assert status == 404
    finally:
        await fake.stop()


async def test_wait_for_timeout_lists_what_happened(fake: FakeDiscord) -> None:
    async with RawDiscord(fake) as api:
        await api("GET", "/users/@me")
    with pytest.raises(AssertionError, match=r"GET /users/@me -> 200"):
        await fake.wait_for(lambda f: False, timeout=0.05)


async def test_only_the_bots_own_messages_are_edited_and_deleted_ones_are_gone(
    fake: FakeDiscord, client: discord.Client
) -> None:
    channel = text_channel(client)
    own = await channel.send("mine")
    theirs = await fake.post_message(TEXT, ALICE, "theirs")
    with pytest.raises(discord.Forbidden) as refused:
        await channel.get_partial_message(theirs).edit(content="x")
    await own.edit(content="mine, edited")
    await own.delete()
    with pytest.raises(discord.NotFound) as gone:
        await own.edit(content="again")

    assert refused.value.code == 50005
    assert gone.value.code == 10008
    assert fake.is_deleted(own.id)
    assert [e.message_id for e in fake.edits] == [own.id]
