"""`threads-bridge demo` as a newcomer runs it: posts flow in the terminal, commands answer,
Ctrl-C stops it. No network, no tokens."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import IO

import pytest


async def read_until(stream: asyncio.StreamReader, marker: str, within: float) -> str:
    """Everything printed up to and including the first line containing `marker`."""
    seen: list[str] = []
    async with asyncio.timeout(within):
        while line := (await stream.readline()).decode():
            seen.append(line)
            if marker in line:
                return "".join(seen)
    raise AssertionError(f"the demo ended without printing {marker!r}:\n{''.join(seen)}")


async def start_demo(stdin: int | IO[bytes]) -> asyncio.subprocess.Process:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN", "THREADS_ACCESS_TOKEN")
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "demo",
        stdin=stdin,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**env, "NO_PROXY": "127.0.0.1,localhost"},
    )


async def stop(demo: asyncio.subprocess.Process) -> int:
    """Ctrl-C, and the exit code."""
    demo.send_signal(signal.SIGINT)
    return await asyncio.wait_for(demo.wait(), 15)


@pytest.fixture
async def demo() -> asyncio.subprocess.Process:
    return await start_demo(asyncio.subprocess.PIPE)


async def test_posts_flow_commands_answer_and_ctrl_c_stops(
    demo: asyncio.subprocess.Process,
) -> None:
    assert demo.stdout is not None and demo.stdin is not None
    try:
        # The demo's first post comes a few seconds after start (its script, not a margin).
        first = await read_until(demo.stdout, "https://www.threads.com/@", within=20)
        demo.stdin.write(b"/post Hello from the terminal\n/list\n")
        await demo.stdin.drain()
        published = await read_until(demo.stdout, "Published on Threads:", within=15)
        listed = await read_until(demo.stdout, "• @river_notes", within=15)
    finally:
        code = await stop(demo)

    assert "#1  " in first and ("@nova_photos" in first or "@river_notes" in first)
    assert "https://www.threads.com/@demo/post/" in published
    assert "This chat watches:\n• @nova_photos\n• @river_notes" in listed
    assert code == 0


async def test_without_a_terminal_posts_still_print_and_nothing_fails() -> None:
    """As under nohup or a service manager: stdin is /dev/null, which the event loop cannot
    watch."""
    demo = await start_demo(asyncio.subprocess.DEVNULL)
    assert demo.stdout is not None
    try:
        shown = await read_until(demo.stdout, "https://www.threads.com/@", within=20)
    finally:
        code = await stop(demo)
    rest = (await demo.stdout.read()).decode()

    assert "#1  " in shown
    assert "Traceback" not in shown + rest and "ERROR" not in shown + rest
    assert code == 0


async def test_commands_can_come_from_a_file(tmp_path: Path) -> None:
    commands = tmp_path / "commands.txt"
    commands.write_text("/list\n")
    with commands.open("rb") as stdin:
        demo = await start_demo(stdin)
    assert demo.stdout is not None
    try:
        listed = await read_until(demo.stdout, "• @river_notes", within=20)
    finally:
        code = await stop(demo)

    assert "This chat watches:\n• @nova_photos\n• @river_notes" in listed
    assert code == 0
