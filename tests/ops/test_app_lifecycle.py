"""Issue 9, one lifecycle idiom: constructing the app does no I/O; `start()` opens the
database (creating its folder) and `stop()` afterwards closes everything cleanly."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.runtime.app import BridgeApp
from bot.threads.client import ThreadsClient
from simulator import SimUser, ThreadsSimulator


async def test_constructing_touches_no_disk_and_start_then_stop_is_clean(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "not-yet"
    config = parse_config(
        {
            "threads": {"access_token": alice.token, "api_base": sim.base_url},
            "storage": {"path": str(folder / "bridge.db")},
        },
        env={},
    )
    app = BridgeApp(config, threads=ThreadsClient(alice.token, api_base=sim.base_url))
    assert not folder.exists()
    await app.start()
    assert (folder / "bridge.db").exists()
    with caplog.at_level(logging.ERROR):
        await app.stop()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
