"""`threads-bridge simulator --port N` serves the API to other processes."""

from __future__ import annotations

import asyncio
import socket
import sys

import httpx

from bot.threads.client import ThreadsClient


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_simulator_command_serves_a_seeded_api() -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "simulator",
        "--port",
        str(port),
        "--seed",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        first_line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert first_line.strip() == f"Threads simulator: http://127.0.0.1:{port}/v1.0"

        async with ThreadsClient("demo-token", api_base=f"http://127.0.0.1:{port}/v1.0") as c:
            assert (await c.me()).username == "demo"
            posts = (await c.profile_posts("nova_photos")).items
        assert posts and all(p.permalink for p in posts)

        async with httpx.AsyncClient() as raw:  # the control API, as another process uses it
            log = (await raw.get(f"http://127.0.0.1:{port}/__sim__/requests")).json()
        assert any("/profile_posts" in entry["path"] for entry in log["data"])
    finally:
        process.terminate()
        await process.wait()
