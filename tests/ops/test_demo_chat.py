"""The demo terminal as a chat: commands from a file are echoed before their answers, /help
shows this chat's `/reply #N` form, log lines stay out of the chat (in the file the banner
names), and a database kept with `--db` does not announce the seeded posts again (nor lets
`/reply #N` reach the last launch's post N)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import IO

from bot.runtime.demo import _TEXTS

SEEDED = ("Morning fog over the water", "Golden hour on the old bridge", "Counting herons")


async def read_until(stream: asyncio.StreamReader, marker: str, within: float) -> str:
    seen: list[str] = []
    async with asyncio.timeout(within):
        while line := (await stream.readline()).decode():
            seen.append(line)
            if marker in line:
                return "".join(seen)
    raise AssertionError(f"the demo ended without printing {marker!r}:\n{''.join(seen)}")


async def start_demo(stdin: int | IO[bytes], *args: str) -> asyncio.subprocess.Process:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN", "THREADS_ACCESS_TOKEN")
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", *args,
        stdin=stdin, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**env, "NO_PROXY": "127.0.0.1,localhost"},
    )  # fmt: skip


async def stop(demo: asyncio.subprocess.Process) -> str:
    """Ctrl-C; what was printed after the last read."""
    demo.send_signal(signal.SIGINT)
    assert demo.stdout is not None
    rest = await asyncio.wait_for(demo.stdout.read(), 15)
    assert await asyncio.wait_for(demo.wait(), 15) == 0
    return rest.decode()


async def test_commands_from_a_file_are_echoed_and_help_shows_reply_by_number(
    tmp_path: Path,
) -> None:
    commands = tmp_path / "commands.txt"
    commands.write_text("/help\n/list\n")
    with commands.open("rb") as stdin:
        demo = await start_demo(stdin)
    assert demo.stdout is not None
    try:
        shown = await read_until(demo.stdout, "• @river_notes", within=20)
    finally:
        await stop(demo)

    help_at, list_at = shown.index("> /help\n"), shown.index("> /list\n")
    assert help_at < shown.index("/reply #N TEXT answers delivery N") < list_at
    assert list_at < shown.index("This chat watches:")


async def test_log_lines_go_to_the_file_the_banner_names(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    demo = await start_demo(asyncio.subprocess.PIPE, "--db", str(db))
    assert demo.stdout is not None and demo.stdin is not None
    try:
        banner = await read_until(demo.stdout, "Log lines go to", within=20)
        # An unknown profile: the bridge logs a warning and answers the chat.
        demo.stdin.write(b"/profile nobody_by_that_name\n")
        await demo.stdin.drain()
        answer = await read_until(demo.stdout, "can be found", within=15)
    finally:
        rest = await stop(demo)

    log_file = tmp_path / "demo.log"
    assert f"Log lines go to {log_file}." in banner
    assert "WARNING" not in banner + answer + rest
    assert "/profile failed" in log_file.read_text()


async def test_a_reused_db_does_not_announce_the_seeded_posts_again(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    first_run = await start_demo(asyncio.subprocess.DEVNULL, "--db", db)
    assert first_run.stdout is not None
    try:
        await read_until(first_run.stdout, "https://www.threads.com/@", within=20)
    finally:
        await stop(first_run)

    # Read at once, before this launch delivered anything: #1 is not the last launch's #1.
    commands = tmp_path / "commands.txt"
    commands.write_text("/reply #1 Nice\n")
    with commands.open("rb") as stdin:
        second_run = await start_demo(stdin, "--db", db)
    assert second_run.stdout is not None
    try:
        first_delivery = await read_until(second_run.stdout, "https://www.threads.com/@", 20)
    finally:
        await stop(second_run)

    delivered = first_delivery[first_delivery.index("#1  ") :]
    assert any(text in delivered for text in _TEXTS), delivered
    assert not any(text in first_delivery for text in SEEDED)
    assert "> /reply #1 Nice\nThat message is not a bridged Threads post." in first_delivery
