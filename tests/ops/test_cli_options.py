"""Command-line options as the README writes them: logging options after the subcommand
too, `--version`, and a usage mistake in one line."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from simulator import SimUser, ThreadsSimulator
from tests.fakes.telegram import FakeTelegram


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, check=False
    )


def test_version() -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"threads-bridge {metadata.version('threads-bridge')}"


def test_an_unknown_log_level_is_one_line_naming_the_option() -> None:
    result = cli("check", "--config", "c.toml", "--log-level", "verbose")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "threads-bridge check: error: argument --log-level: invalid choice: 'VERBOSE' "
        "(choose from 'DEBUG', 'INFO', 'WARNING', 'ERROR') (see threads-bridge check --help)"
    ]


async def test_log_options_after_the_subcommand(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    # A bridge whose Telegram token is refused logs one INFO line and stops: enough to see
    # which format and level its log took.
    async with FakeTelegram() as tg:
        config = tmp_path / "c.toml"
        config.write_text(
            f'[threads]\naccess_token = "{alice.token}"\napi_base = "{sim.base_url}"\n'
            f'[telegram]\ntoken = "5:REFUSED-TOKEN"\napi_base = "{tg.base_url}"\n'
        )

        async def run(*options: str) -> list[str]:
            process = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "bot", "run", "--config", str(config), *options),
                stderr=asyncio.subprocess.PIPE,
            )
            _, err = await asyncio.wait_for(process.communicate(), 60)
            assert process.returncode == 2
            return err.decode().splitlines()

        as_json = await run("--log-json")
        quiet = await run("--log-level", "error")

    entries = [json.loads(line) for line in as_json[:-1]]
    assert {"level": "INFO", "message": "connected to Threads as @alice"}.items() <= next(
        e for e in entries if e["logger"] == "bot.runtime.app"
    ).items()
    assert as_json[-1].startswith("error: telegram.token:")
    assert not [line for line in quiet if "connected to Threads" in line]
