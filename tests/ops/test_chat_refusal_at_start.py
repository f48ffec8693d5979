"""A chat platform that refuses the bridge at start-up with an error the operator can fix (a
400 to getMe: telegram.api_base is not a Bot API server) gives one `error:` line, exit 2,
never a library traceback (issue 8, items 16/17)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from simulator import SimUser, ThreadsSimulator


@pytest.fixture
async def refusing_server() -> AsyncIterator[str]:
    async def refuse(request: web.Request) -> web.Response:
        body = {"ok": False, "error_code": 400, "description": "Bad Request: not a bot api"}
        return web.json_response(body, status=400)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", refuse)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/bot"
    await runner.cleanup()


async def test_a_400_to_get_me_at_start_is_one_error_line(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, refusing_server: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[threads]\naccess_token = "{alice.token}"\napi_base = "{sim.base_url}"\n'
        f'[storage]\npath = "{tmp_path / "bridge.db"}"\n'
        f'[telegram]\ntoken = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"\n'
        f'api_base = "{refusing_server}"\n'
    )
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", "run", "--config", str(config)),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)

    lines = [line for line in err.decode().splitlines() if " INFO " not in line]
    assert process.returncode == 2, err.decode()
    assert len(lines) == 1 and lines[0].startswith("error: telegram."), lines
    assert "ABCDEFGHIJ" not in err.decode()
