"""A BridgeApp for operations tests: the real app against the simulator, with the console
adapter (printing into a buffer) as its chat unless a test adds Telegram or Discord."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

from adapters.console_adapter import ConsoleAdapter
from bot.bridge import Bridge
from bot.config import parse_config
from bot.runtime.app import BridgeApp
from bot.threads.client import ThreadsClient
from simulator import SimUser, ThreadsSimulator
from tests.conftest import FAST_RETRY


class Terminal(io.StringIO):
    """What the console chat printed; `wait_for` returns once some text has been."""

    def __init__(self) -> None:
        super().__init__()
        self._changed = asyncio.Event()

    def write(self, text: str) -> int:
        self._changed.set()
        return super().write(text)

    async def wait_for(self, text: str, within: float = 15.0) -> None:
        try:
            async with asyncio.timeout(within):
                while text not in self.getvalue():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(
                f"the terminal did not show {text!r} within {within}s:\n{self.getvalue()}"
            ) from None


def console_app(
    tmp_path: Path,
    sim: ThreadsSimulator,
    account: SimUser,
    *,
    terminal: Terminal | None = None,
    threads: ThreadsClient | None = None,
    health_port: int | None = None,
    discord_ready_timeout: float = 2.0,
    **raw: Any,
) -> BridgeApp:
    """`raw` adds config sections (telegram, discord, feeds...)."""
    config = parse_config(
        {
            "threads": {
                "access_token": account.token,
                "api_base": sim.base_url,
                "poll_interval": 3600,
            },
            "storage": {"path": str(tmp_path / "bridge.db")},
            **raw,
        },
        env={},
    )
    out = terminal if terminal is not None else Terminal()

    def console(bridge: Bridge) -> ConsoleAdapter:
        return ConsoleAdapter(bridge, out=out, read_commands=False)

    app = BridgeApp(
        config,
        threads=threads or ThreadsClient(account.token, api_base=sim.base_url, retry=FAST_RETRY),
        extra_adapters=[console],
        health_port=health_port,
        discord_ready_timeout=discord_ready_timeout,
    )
    app.open()  # the tests seed subscriptions in the database before they start the app
    return app
