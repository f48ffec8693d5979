"""No path prints a secret: a chat platform refusing the token at start-up gives one line
naming the key, and whatever Python prints by itself (uncaught exceptions, in any thread, and
warnings) is scrubbed like a log line."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import SimUser, ThreadsSimulator
from tests.fakes.telegram import FakeTelegram

TOKEN = "987654:REVOKED-bot-token-abcdefghijklmnop"


async def run_bridge(config: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode()


@pytest.mark.parametrize("refusal", ["401 revoked token", "404 wrong api_base"])
async def test_run_with_a_refused_bot_token_prints_one_line_and_no_token(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, refusal: str
) -> None:
    async with FakeTelegram(token=TOKEN if refusal.startswith("404") else "1:OTHER") as tg:
        api_base = f"{tg.url}/no-such-path/bot" if refusal.startswith("404") else tg.base_url
        config = tmp_path / "config.toml"
        config.write_text(
            f'[threads]\naccess_token = "{alice.token}"\napi_base = "{sim.base_url}"\n'
            f'[storage]\npath = "bridge.db"\n'
            f'[telegram]\ntoken = "{TOKEN}"\napi_base = "{api_base}"\n'
        )
        status, output = await run_bridge(config)

    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert status == 2, output
    assert "InvalidToken" not in output  # the library's traceback, which quoted the token
    last = output.strip().splitlines()[-1]
    assert last.startswith("error: telegram.token: Telegram refused the bot token")


def test_uncaught_exceptions_and_warnings_are_scrubbed() -> None:
    program = f"""
import threading, warnings
from bot.runtime.logs import guard_uncaught_output, redact
guard_uncaught_output()
redact({TOKEN!r})
warnings.warn("warned about {TOKEN}")
thread = threading.Thread(target=lambda: 1 / 0 if False else exec("raise KeyError({TOKEN!r})"))
thread.start(); thread.join()
raise RuntimeError("The token `{TOKEN}` was rejected by the server.")
"""
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "RuntimeError: The token `***` was rejected" in result.stderr
    assert "KeyError: '***'" in result.stderr
    assert "UserWarning: warned about ***" in result.stderr
    assert TOKEN not in result.stderr + result.stdout
