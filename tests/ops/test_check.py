"""`threads-bridge check`: one line per service, with what to fix, against the loopback
Threads, Telegram and Discord."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from bot.config import parse_config
from bot.events import Destination, SourceKind
from bot.runtime.check import Check, run_checks
from bot.runtime.web_server import WebServer
from simulator import SimUser, ThreadsSimulator
from storage.store import Store
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import TEXT, populate
from tests.fakes.telegram import FakeTelegram

GROUP = -1001000000009
# The last line while [media] public_url is unset (tests/ops/test_check_media.py has the rest).
MEDIA_OFF = "OK    media: off (set [media] public_url to publish photos and videos from chat)"


def config(tmp_path: Path, sim: ThreadsSimulator, token: str, **sections: Any) -> Any:
    raw: dict[str, Any] = {
        "threads": {"access_token": token, "api_base": sim.base_url},
        "storage": {"path": str(tmp_path / "bridge.db")},
        **sections,
    }
    return parse_config(raw, env={})


async def lines(cfg: Any) -> list[str]:
    return [check.line() async for check in run_checks(cfg, "config.toml")]


async def test_everything_fine(tmp_path: Path, sim: ThreadsSimulator, alice: SimUser) -> None:
    async with FakeTelegram() as tg, FakeDiscord() as dc:
        tg.add_chat(GROUP, "supergroup", title="Fans")
        populate(dc)
        cfg = config(
            tmp_path,
            sim,
            alice.token,
            telegram={"token": tg.token, "api_base": tg.base_url},
            discord={"token": dc.token, "api_base": dc.api_base},
            feeds=[{"profile": "bob", "telegram_chat": GROUP, "discord_channel": TEXT}],
        )
        output = await lines(cfg)

    assert output == [
        "OK    config: config.toml is valid",
        "OK    threads: connected as @alice",
        "OK    telegram: bot @threads_bridge_test_bot",
        "OK    feeds[0].telegram_chat: supergroup Fans",
        "OK    discord: bot Threads Bridge",
        "OK    feeds[0].discord_channel: #general",
        MEDIA_OFF,
    ]


async def test_each_failure_says_what_to_fix(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    sim.expire_token(alice.token)
    async with FakeTelegram() as tg, FakeDiscord() as dc:
        populate(dc)
        cfg = config(
            tmp_path,
            sim,
            alice.token,
            telegram={"token": "999:WRONG", "api_base": tg.base_url},
            discord={"token": "wrong-token", "api_base": dc.api_base},
        )
        output = await lines(cfg)

    assert output[1].startswith("FAIL  threads: the access token was rejected")
    assert output[1].endswith("sign in again with `threads-bridge auth url`")
    assert output[2].startswith("FAIL  telegram: the bot token was refused; copy it again")
    assert output[3].startswith("FAIL  discord: the bot token was refused; reset it")


async def test_a_chat_the_bot_is_not_in(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    async with FakeTelegram() as tg:
        cfg = config(
            tmp_path,
            sim,
            alice.token,
            telegram={"token": tg.token, "api_base": tg.base_url},
            feeds=[{"profile": "bob", "telegram_chat": -100555}],
        )
        checks: list[Check] = [c async for c in run_checks(cfg, "config.toml")]

    (chat,) = [c for c in checks if c.name == "feeds[0].telegram_chat"]
    assert not chat.ok
    assert "add the bot to the group" in chat.detail


async def test_the_command_exits_non_zero_on_failure(
    tmp_path: Path, sim: ThreadsSimulator
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[threads]\naccess_token = "nope-nope"\napi_base = "{sim.base_url}"\n')
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "check",
        "--config",
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert out.decode().splitlines()[1:] == [
        "WARN  chat: nothing will be delivered: no chat side is configured; set telegram.token "
        "(or TELEGRAM_BOT_TOKEN) or discord.token (or DISCORD_BOT_TOKEN) and add [[feeds]] or "
        "/watch from a chat",
        "FAIL  threads: the access token was rejected (The Threads access token was rejected: "
        "Invalid OAuth access token - Cannot parse access token); sign in again with "
        "`threads-bridge auth url`",
        MEDIA_OFF,
    ]


class BrokenGateway(WebServer):
    """A reverse proxy in front of the fake Telegram that answers getChat with its own HTML
    502 page, as nginx does when the upstream is down."""

    name = "broken gateway"

    def __init__(self, upstream: str) -> None:
        super().__init__()
        self.upstream = upstream

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self.forward)
        return app

    async def forward(self, request: web.Request) -> web.Response:
        if request.path.lower().endswith("/getchat"):
            return web.Response(
                status=502, text="<html><h1>502 Bad Gateway</h1></html>", content_type="text/html"
            )
        async with httpx.AsyncClient() as http:
            answer = await http.request(
                request.method,
                f"{self.upstream}{request.path}",
                content=await request.read(),
                headers={"content-type": request.headers.get("content-type", "")},
            )
        return web.Response(
            status=answer.status_code, body=answer.content, content_type="application/json"
        )


async def test_an_html_error_page_from_telegram_is_one_line(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    async with FakeTelegram() as tg, BrokenGateway(tg.url) as gateway:
        tg.add_chat(GROUP, "supergroup", title="Fans")
        cfg = config(
            tmp_path,
            sim,
            alice.token,
            telegram={"token": tg.token, "api_base": f"{gateway.url}/bot"},
            feeds=[{"profile": "bob", "telegram_chat": GROUP}],
        )
        output = await lines(cfg)

    assert output[-3:] == [
        "OK    telegram: bot @threads_bridge_test_bot",
        "FAIL  feeds[0].telegram_chat: Telegram answered 502 with something that is not its "
        "API's JSON (a proxy or an outage?); try again later, or check telegram.api_base",
        MEDIA_OFF,
    ]


async def test_discord_webhooks_are_probed(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    async with FakeDiscord() as dc:
        populate(dc)
        _, _, kept = dc.add_webhook(TEXT, name="Kept")
        gone_id, _, gone = dc.add_webhook(TEXT)
        dc.delete_webhook(gone_id)
        cfg = config(
            tmp_path,
            sim,
            alice.token,
            discord={"token": dc.token, "api_base": dc.api_base},
            feeds=[
                {"profile": "bob", "discord_webhook": kept},
                {"profile": "carol", "discord_webhook": gone},
            ],
        )
        output = await lines(cfg)

    assert output[-3:] == [
        f"OK    feeds[0].discord_webhook: webhook Kept into channel {TEXT}",
        f"FAIL  feeds[1].discord_webhook: Discord does not know webhook {gone_id} (deleted, or "
        "its token was reset); create one in the channel's settings (Integrations -> "
        "Webhooks) and put its URL here",
        MEDIA_OFF,
    ]
    assert not [line for line in output if gone.rsplit("/", 1)[1] in line]


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file of the folder (and the folder itself): mode, mtime and bytes."""
    state = {".": (folder.stat().st_mode, folder.stat().st_mtime_ns, b"")}
    for path in folder.iterdir():
        info = path.stat()
        state[path.name] = (info.st_mode, info.st_mtime_ns, path.read_bytes())
    return state


async def test_check_changes_nothing_on_disk(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    db = folder / "bridge.db"
    store = Store.open(db)
    store.tokens.adopt_configured(alice.token)
    store.close()
    db.chmod(0o640)  # not what `run` would leave, so that a chmod shows
    before = snapshot(folder)

    cfg = parse_config(
        {
            "threads": {"access_token": alice.token, "api_base": sim.base_url},
            "storage": {"path": str(db)},
        },
        env={},
    )
    output = await lines(cfg)

    assert "OK    threads: connected as @alice" in output
    assert snapshot(folder) == before


async def test_a_discovery_budget_too_small_for_the_watched_profiles_is_a_warning(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    store = Store.open(tmp_path / "bridge.db")  # 30 profiles watched from chats
    for n in range(30):
        source = store.sources.ensure(SourceKind.PROFILE, f"p{n}")
        chat = Destination("telegram", str(GROUP))
        store.subscriptions.add(source, chat, origin="chat", created_by=None)
    store.discovery.record(time.time() - 60, "profile_posts")
    store.close()
    threads = {"access_token": alice.token, "api_base": sim.base_url}

    small = await lines(
        config(tmp_path, sim, alice.token, threads={**threads, "discovery_budget": 300})
    )
    enough = await lines(config(tmp_path, sim, alice.token, threads=threads))

    (warning,) = [line for line in small if "discovery_budget" in line]
    assert warning.startswith(
        "WARN  threads.discovery_budget: 30 public profiles cannot all be checked every 3600 s "
        "within 300 lookups a day (1 used in the last 24 h)"
    )
    assert not [line for line in enough if "discovery_budget" in line]
