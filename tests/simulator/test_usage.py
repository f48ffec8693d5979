"""`threads-bridge simulator --help`: every flag explained, and a sign-in recipe that works as
written against a running simulator."""

from __future__ import annotations

import asyncio
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import httpx

from bot.config import parse_config
from bot.runtime import credentials
from bot.threads.client import ThreadsClient
from simulator import ThreadsSimulator, seed_demo
from simulator.usage import sign_in_help
from storage.store import Store


async def simulator_help() -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "simulator", "--help",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0
    return out.decode()


async def test_help_documents_every_flag_and_how_to_sign_in() -> None:
    text = await simulator_help()

    flat = " ".join(text.split())  # argparse's column widths depend on the longest flag
    assert "--host HOST address to listen on (default 127.0.0.1" in flat
    assert "--port PORT port to listen on (default 8765" in flat
    assert "--seed start with demo data: account @demo (token demo-token)" in flat
    assert "app id 'sim-app' and app secret 'sim-secret'" in text
    for step in ("auth url --config", "auth exchange --config", "auth refresh --config"):
        assert f"threads-bridge {step} sim.toml" in text
    assert "http://127.0.0.1:8765/oauth/authorize" in text


async def test_the_recipe_signs_in_as_written(tmp_path: Path) -> None:
    async with ThreadsSimulator() as sim:
        seed_demo(sim)
        where = urlparse(sim.root_url)
        recipe = sign_in_help(where.hostname or "", where.port or 0)
        # Step 1's config, as a user would paste it.
        pasted = recipe[recipe.index("[threads]") : recipe.index("  2.")]
        raw = tomllib.loads("\n".join(line.strip() for line in pasted.splitlines()))
        raw["storage"]["path"] = str(tmp_path / raw["storage"]["path"])
        config = parse_config(raw, env={})

        address = credentials.authorize_url(config)  # step 2
        async with httpx.AsyncClient(trust_env=False) as browser:
            landed = (await browser.get(address + "&allow=demo")).headers["Location"]
        store = Store.open(config.storage.path)
        stored = await credentials.exchange_code(config, store, landed)  # step 3

        async with ThreadsClient(stored.token, api_base=config.threads.api_base) as client:
            assert (await client.me()).username == "demo"
        store.close()
