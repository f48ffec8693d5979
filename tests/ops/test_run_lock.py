"""One bridge per database: a second `run` on the same database refuses to start, in one
line, for as long as the first one runs."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from simulator import SimUser, ThreadsSimulator


async def start_run(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", "run", "--config", str(config)),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def wait_for_line(process: asyncio.subprocess.Process, text: str) -> None:
    assert process.stderr is not None
    async with asyncio.timeout(60):
        while text not in (line := (await process.stderr.readline()).decode()):
            assert line, f"the bridge ended before logging {text!r}"


async def test_a_second_run_on_the_same_database_refuses_to_start(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[threads]\naccess_token = "{alice.token}"\napi_base = "{sim.base_url}"\n'
        '[storage]\npath = "state/bridge.db"\n'
    )
    first = await start_run(config)
    try:
        await wait_for_line(first, "bridge running")

        second = await start_run(config)
        _, err = await asyncio.wait_for(second.communicate(), 60)

        assert second.returncode == 2
        assert err.decode().splitlines() == [
            f"error: {tmp_path / 'state/bridge.db'}: another threads-bridge is already running "
            f"on this database (pid {first.pid}); stop it first, or give this one its own "
            "storage.path"
        ]
        assert first.returncode is None  # the first one is untouched
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.communicate(), 60)
    assert first.returncode == 0

    # The lock lives as long as its process: once the first has stopped, a new one starts.
    third = await start_run(config)
    try:
        await wait_for_line(third, "bridge running")
    finally:
        third.send_signal(signal.SIGTERM)
        await asyncio.wait_for(third.communicate(), 60)


async def test_a_second_run_through_a_symlink_to_the_database_refuses_to_start(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "alias.db").symlink_to(tmp_path / "state" / "bridge.db")
    configs = []
    for name, db in (("first.toml", "state/bridge.db"), ("second.toml", "alias.db")):
        config = tmp_path / name
        config.write_text(
            f'[threads]\naccess_token = "{alice.token}"\napi_base = "{sim.base_url}"\n'
            f'[storage]\npath = "{db}"\n'
        )
        configs.append(config)
    first = await start_run(configs[0])
    try:
        await wait_for_line(first, "bridge running")

        second = await start_run(configs[1])
        _, err = await asyncio.wait_for(second.communicate(), 60)

        assert second.returncode == 2
        assert err.decode().splitlines() == [
            f"error: {tmp_path / 'alias.db'}: another threads-bridge is already running "
            f"on this database (pid {first.pid}); stop it first, or give this one its own "
            "storage.path"
        ]
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.communicate(), 60)
