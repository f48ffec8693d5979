"""`threads-bridge check`: one line per service, with what to fix, against the loopback
Threads, Telegram and Discord."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.check import Check, run_checks
from bot.config import parse_config
from bot.threads.simulator import SimUser, ThreadsSimulator
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import TEXT, populate
from tests.fakes.telegram import FakeTelegram

GROUP = -1001000000009


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

    assert checks[-1].name == "feeds[0].telegram_chat" and not checks[-1].ok
    assert "add the bot to the group" in checks[-1].detail


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
    assert out.decode().splitlines()[1].startswith("FAIL  threads: the access token was rejected")
