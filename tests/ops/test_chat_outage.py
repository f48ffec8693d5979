"""A chat platform that is down at start, or goes down later: the bridge runs and delivers
elsewhere, /healthz names the adapter that is not connected, the log has one line per failed
attempt (no library traceback), and the platform is used again once it is back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram.error import InvalidToken

from adapters.console_adapter import TERMINAL
from bot.events import SourceKind
from bot.runtime.app import BridgeApp
from simulator import SimUser, ThreadsSimulator
from tests.fakes.discord import FakeDiscord, patched_discord
from tests.fakes.discord.harness import GUILD, TEXT, populate
from tests.fakes.telegram import FakeTelegram
from tests.harness import poll_now
from tests.logwait import LogWatch, watching_logs
from tests.ops.bridges import Terminal, console_app

CHAT = 1001


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.add_user(CHAT, "Pat", username="pat")
    fake.add_chat(CHAT, "private")
    yield fake
    await fake.stop()


def bridge_with_telegram(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, base_url: str, terminal: Terminal
) -> BridgeApp:
    sim.add_profile("bob", followers=5000)
    app = console_app(
        tmp_path,
        sim,
        alice,
        terminal=terminal,
        health_port=0,
        telegram={"token": "123456:TEST-TOKEN", "api_base": base_url},
        feeds=[{"profile": "bob", "telegram_chat": CHAT}],
    )
    source = app.store.sources.ensure(SourceKind.PROFILE, "bob")
    app.store.subscriptions.add(source, TERMINAL, origin="chat", created_by=None)
    return app


async def health(app: BridgeApp) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(f"http://127.0.0.1:{app.health.port}/healthz")


def tracebacks(logs: LogWatch) -> list[str]:
    return [r.getMessage() for r in logs.records if r.exc_info or r.stack_info]


async def test_telegram_down_at_start_then_back(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, tg: FakeTelegram
) -> None:
    await tg.start()
    port = tg.port
    base_url = tg.base_url
    await tg.stop()  # Telegram is down when the bridge starts
    terminal = Terminal()
    app = bridge_with_telegram(tmp_path, sim, alice, base_url, terminal)
    try:
        with watching_logs() as logs:
            await app.start()
            await logs.wait_for("telegram is not connected")
            down = await health(app)
            await poll_now(app, "bob")  # the baseline
            sim.add_post("bob", text="while Telegram is down")
            await poll_now(app, "bob")
            await terminal.wait_for("while Telegram is down")  # delivered elsewhere

            await tg.start("127.0.0.1", port)  # Telegram is back
            await logs.wait_for("Telegram bot @threads_bridge_test_bot is up", within=70)
            await tg.wait_for(lambda fake: bool(fake.sent_to(CHAT)), timeout=30)
            up = await health(app)
    finally:
        await app.stop()

    assert down.status_code == 503
    assert down.json()["adapters"] == {"telegram": False, "console": True}
    assert "while Telegram is down" in tg.sent_to(CHAT)[0].visible_text
    assert up.status_code == 200
    assert up.json()["adapters"] == {"telegram": True, "console": True}
    assert not tracebacks(logs), logs.text()


async def test_telegram_going_down_later_is_reported_and_ridden_out(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, tg: FakeTelegram
) -> None:
    await tg.start()
    port = tg.port
    terminal = Terminal()
    app = bridge_with_telegram(tmp_path, sim, alice, tg.base_url, terminal)
    await app.start()
    try:
        await poll_now(app, "bob")  # the baseline
        with watching_logs() as logs:
            await tg.stop()  # the Telegram server dies under the running bridge
            await logs.wait_for("Telegram is not reachable")
            down = await health(app)
            sim.add_post("bob", text="while Telegram is away")
            await poll_now(app, "bob")
            await terminal.wait_for("while Telegram is away")

            await tg.start("127.0.0.1", port)
            # Someone writes meanwhile: the poll held by the server answers at once, rather
            # than at its 10 s timeout.
            tg.send_text(CHAT, CHAT, "anyone there?")
            await logs.wait_for("Telegram is reachable again", within=40)
            await tg.wait_for(lambda fake: bool(fake.sent_to(CHAT)), timeout=30)
            up = await health(app)
    finally:
        await app.stop()

    assert down.status_code == 503
    assert down.json()["adapters"] == {"telegram": False, "console": True}
    assert up.json()["adapters"] == {"telegram": True, "console": True}
    assert "while Telegram is away" in tg.sent_to(CHAT)[0].visible_text
    assert not tracebacks(logs), logs.text()


def bridge_with_discord(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, fake: FakeDiscord, terminal: Terminal
) -> BridgeApp:
    sim.add_profile("bob", followers=5000)
    app = console_app(
        tmp_path,
        sim,
        alice,
        terminal=terminal,
        health_port=0,
        discord_ready_timeout=0.1,
        discord={
            "token": fake.token,
            "api_base": fake.api_base,
            "gateway_url": fake.gateway_url,
            "guild_ids": [GUILD],
        },
        feeds=[{"profile": "bob", "discord_channel": TEXT}],
    )
    source = app.store.sources.ensure(SourceKind.PROFILE, "bob")
    app.store.subscriptions.add(source, TERMINAL, origin="chat", created_by=None)
    return app


def feed_texts(fake: FakeDiscord) -> list[str]:
    return [m.embeds[0]["description"] for m in fake.messages_in(TEXT) if m.embeds]


async def test_discord_down_at_start_then_back(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    fake = FakeDiscord()
    populate(fake)
    await fake.start()
    port = fake.port
    async with patched_discord(fake):  # restores discord.py's class-level endpoints after
        terminal = Terminal()
        app = bridge_with_discord(tmp_path, sim, alice, fake, terminal)
        await fake.stop()  # Discord is down when the bridge starts
        try:
            with watching_logs() as logs:
                await app.start()
                await logs.wait_for("discord is not connected")
                down = await health(app)
                await poll_now(app, "bob")  # the baseline
                sim.add_post("bob", text="while Discord is down")
                await poll_now(app, "bob")
                await terminal.wait_for("while Discord is down")

                await fake.start("127.0.0.1", port)  # Discord is back
                await logs.wait_for("Discord bot", within=70)
                await fake.wait_for(lambda f: bool(feed_texts(f)), timeout=30)
                up = await health(app)
        finally:
            await app.stop()
            await fake.stop()

    assert down.status_code == 503
    assert down.json()["adapters"] == {"discord": False, "console": True}
    assert feed_texts(fake) == ["while Discord is down"]
    assert up.json()["adapters"] == {"discord": True, "console": True}
    assert not tracebacks(logs), logs.text()


async def test_discord_going_down_later_is_reported_and_ridden_out(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    fake = FakeDiscord()
    populate(fake)
    await fake.start()
    port = fake.port
    async with patched_discord(fake):
        terminal = Terminal()
        app = bridge_with_discord(tmp_path, sim, alice, fake, terminal)
        await app.start()
        try:
            await poll_now(app, "bob")  # the baseline
            with watching_logs() as logs:
                await fake.stop()  # the Discord server dies under the running bridge
                await logs.wait_for("discord is not connected")
                down = await health(app)
                sim.add_post("bob", text="while Discord is away")
                await poll_now(app, "bob")
                await terminal.wait_for("while Discord is away")

                await fake.start("127.0.0.1", port)
                await logs.wait_for("Discord bot", within=70)
                await fake.wait_for(lambda f: bool(feed_texts(f)), timeout=30)
                up = await health(app)
        finally:
            await app.stop()
            await fake.stop()

    assert down.json()["adapters"] == {"discord": False, "console": True}
    assert feed_texts(fake) == ["while Discord is away"]
    assert up.json()["adapters"] == {"discord": True, "console": True}
    assert not tracebacks(logs), logs.text()


async def test_a_stop_while_telegram_is_away_logs_no_traceback(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, tg: FakeTelegram
) -> None:
    await tg.start()
    app = bridge_with_telegram(tmp_path, sim, alice, tg.base_url, Terminal())
    await app.start()
    with watching_logs() as logs:
        await tg.stop()
        await logs.wait_for("Telegram is not reachable")
        await app.stop()

    assert not tracebacks(logs), logs.text()


async def test_a_rejected_telegram_token_is_not_retried(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, tg: FakeTelegram
) -> None:
    await tg.start()
    sim.add_profile("bob", followers=5000)
    app = console_app(
        tmp_path,
        sim,
        alice,
        telegram={"token": "999999:WRONG-TOKEN", "api_base": tg.base_url},
    )
    try:
        with pytest.raises(InvalidToken):
            await app.start()  # `run` reports it and exits: retrying cannot help
    finally:
        await app.stop()
