"""Ordinary operator mistakes: each gives one line naming the key or path and what to do,
exit status 2, from `run` (refusing to start) and from `check` (before `run` would fail). Run
as real subprocesses; the cases about file ownership run as the unprivileged uid 65534."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from simulator import SimUser, ThreadsSimulator
from storage.database import open_database

NOBODY = 65534
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Case:
    """What to run: the config file, options after the subcommand, and who runs it."""

    config: Path
    line: str  # what `run` prints (stderr, alone)
    check_line: str | None = None  # what `check` prints on stdout; None: the same as `run`
    options: list[str] = field(default_factory=list)
    as_nobody: bool = False


@pytest.fixture
def world() -> Iterator[Path]:
    """A folder uid 65534 can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="tb-ops-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def write_config(folder: Path, sim: ThreadsSimulator, token: str, extra: str = "") -> Path:
    path = folder / "config.toml"
    path.write_text(
        f'[threads]\naccess_token = "{token}"\napi_base = "{sim.base_url}"\n{extra}',
        encoding="utf-8",
    )
    path.chmod(0o644)
    return path


def owned_by_nobody(folder: Path) -> Path:
    folder.mkdir()
    os.chown(folder, NOBODY, NOBODY)
    return folder


def new_database(path: Path) -> Path:
    open_database(path).close()
    return path


def storage_not_writable(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    folder = w / "state"
    folder.mkdir(mode=0o755)  # root's
    config = write_config(w, sim, token, '[storage]\npath = "state/bridge.db"\n')
    return Case(
        config,
        f"error: storage.path: the folder {folder} is not writable by this user (uid {NOBODY}); "
        "make it writable (chown/chmod) or choose another storage.path",
        as_nobody=True,
    )


def database_of_another_user(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    db = new_database(owned_by_nobody(w / "state") / "bridge.db")  # root's, e.g. `sudo auth`
    config = write_config(w, sim, token, '[storage]\npath = "state/bridge.db"\n')
    return Case(
        config,
        f"error: storage.path: {db} belongs to uid 0, not to this user (uid {NOBODY}); "
        f"`chown {NOBODY} {db}` (and its -wal/-shm files), or run as its owner",
        as_nobody=True,
    )


def read_only_database(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    db = new_database(owned_by_nobody(w / "state") / "bridge.db")
    os.chown(db, NOBODY, NOBODY)
    db.chmod(0o400)
    config = write_config(w, sim, token, '[storage]\npath = "state/bridge.db"\n')
    return Case(
        config,
        f"error: storage.path: {db} is read-only; make it writable: `chmod 600 {db}`",
        as_nobody=True,
    )


def storage_is_a_folder(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    (w / "data").mkdir()
    config = write_config(w, sim, token, '[storage]\npath = "data"\n')
    return Case(
        config,
        f"error: storage.path: {w / 'data'} is a folder; name the database file inside it, "
        f"e.g. {w / 'data' / 'threads-bridge.db'}",
    )


def storage_empty(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    config = write_config(w, sim, token, '[storage]\npath = ""\n')
    return Case(
        config,
        "config error: storage.path: empty; set it to the database file, e.g. threads-bridge.db",
    )


def config_is_a_folder(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    return Case(
        w,
        f"config error: {w}: is a folder; pass the configuration file, e.g. {w / 'config.toml'}",
    )


def config_not_utf8(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    config = w / "config.toml"
    config.write_bytes(b'[threads]\napi_base = "caf\xe9"\n')
    return Case(config, f"config error: {config}: not UTF-8 text (line 2); save the file as UTF-8")


def port_out_of_range(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    config = write_config(w, sim, token, "[server]\nhealth_port = 70000\n")
    return Case(config, "config error: server.health_port: must be at most 65535, got 70000")


def port_option_out_of_range(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    return Case(
        write_config(w, sim, token),
        "threads-bridge run: error: argument --health-port: expected a port (1-65535, 0: any "
        "free one), got '70000' (see threads-bridge run --help)",
        options=["--health-port", "70000"],
    )


def host_does_not_resolve(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    config = write_config(
        w, sim, token, '[server]\nhealth_port = 9108\nhealth_host = "no-such-host.invalid"\n'
    )
    return Case(config, "error: server.health_host: 'no-such-host.invalid' does not resolve (")


def poll_interval(value: str) -> Callable[[Path, ThreadsSimulator, str], Case]:
    def case(w: Path, sim: ThreadsSimulator, token: str) -> Case:
        text = f'access_token = "{token}"\napi_base = "{sim.base_url}"\npoll_interval = {value}'
        config = w / "config.toml"
        config.write_text(f"[threads]\n{text}\n")
        return Case(
            config, f"config error: threads.poll_interval: expected a finite number, got {value}"
        )

    return case


def unknown_log_level(w: Path, sim: ThreadsSimulator, token: str) -> Case:
    return Case(
        write_config(w, sim, token),
        "threads-bridge run: error: argument --log-level: invalid choice: 'VERBOSE' (choose "
        "from 'DEBUG', 'INFO', 'WARNING', 'ERROR') (see threads-bridge run --help)",
        options=["--log-level", "verbose"],
    )


def api_base(value: str) -> Callable[[Path, ThreadsSimulator, str], Case]:
    def case(w: Path, sim: ThreadsSimulator, token: str) -> Case:
        config = w / "config.toml"
        config.write_text(
            f'[threads]\naccess_token = "{token}"\n[telegram]\napi_base = "{value}"\n'
        )
        return Case(
            config,
            "config error: telegram.api_base: expected a URL starting with http:// or https://, "
            f"got {value!r}",
        )

    return case


CASES = {
    "storage folder not writable": storage_not_writable,
    "database owned by another user": database_of_another_user,
    "read-only database": read_only_database,
    "storage path is a folder": storage_is_a_folder,
    "storage path empty": storage_empty,
    "config path is a folder": config_is_a_folder,
    "config not UTF-8": config_not_utf8,
    "health_port 70000": port_out_of_range,
    "--health-port 70000": port_option_out_of_range,
    "health_host does not resolve": host_does_not_resolve,
    "poll_interval nan": poll_interval("nan"),
    "poll_interval inf": poll_interval("inf"),
    "--log-level verbose": unknown_log_level,
    "api_base ftp": api_base("ftp://api.telegram.org/bot"),
    "api_base without scheme": api_base("api.telegram.org/bot"),
}


async def cli(case: Case, command: str) -> tuple[int, list[str], list[str]]:
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    # Another user cannot write the coverage data of this run: measure only our own processes.
    env = {k: v for k, v in os.environ.items() if not (case.as_nobody and k.startswith("COV"))}
    process = await asyncio.create_subprocess_exec(
        *(prefix if case.as_nobody else []),
        *(sys.executable, "-m", "bot", command, "--config", str(case.config), *case.options),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode().splitlines(), err.decode().splitlines()


def matches(line: str, expected: str) -> bool:
    return line.startswith(expected) if expected.endswith("(") else line == expected


@pytest.mark.parametrize("name", list(CASES))
async def test_one_line_from_run_and_from_check(
    name: str, world: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    case = CASES[name](world, sim, alice.token)

    status, out, err = await cli(case, "run")
    assert status == 2, (out, err)
    assert len(err) == 1 and matches(err[0], case.line), err
    assert not (world / "state" / "bridge.db.lock").exists() or case.as_nobody

    status, out, err = await cli(case, "check")
    assert status == 2, (out, err)
    if case.line.startswith("error: "):  # a check line among the others
        expected = "FAIL  " + case.line.removeprefix("error: ")
        assert [line for line in out if matches(line, expected)], out
        assert not err, err
    else:  # the configuration itself (or the command line) is wrong: the same line
        assert len(err) == 1 and matches(err[0], case.line.replace(" run", " check")), err


async def test_health_port_in_use(world: Path, sim: ThreadsSimulator, alice: SimUser) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        config = write_config(world, sim, alice.token, f"[server]\nhealth_port = {port}\n")
        case = Case(config, "")
        line = (
            f"server.health_port: cannot listen on 127.0.0.1 port {port} (Address already in "
            "use); stop what holds it or choose another port"
        )

        status, out, err = await cli(case, "run")
        assert (status, err) == (2, [f"error: {line}"])
        status, out, err = await cli(case, "check")
        assert status == 2 and f"FAIL  {line}" in out, out


async def test_nothing_configured_to_deliver_to_is_said_plainly(
    world: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    notice = (
        "nothing will be delivered: no chat side is configured; set telegram.token (or "
        "TELEGRAM_BOT_TOKEN) or discord.token (or DISCORD_BOT_TOKEN) and add [[feeds]] or "
        "/watch from a chat"
    )
    case = Case(write_config(world, sim, alice.token), "")
    status, out, _ = await cli(case, "check")
    assert status == 0 and f"WARN  chat: {notice}" in out, out

    bridge = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", "run", "--config", str(case.config)),
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    assert bridge.stderr is not None
    try:
        async with asyncio.timeout(60):
            while notice not in (line := (await bridge.stderr.readline()).decode()):
                assert line, "the bridge ended without saying it"
        assert "WARNING" in line
    finally:
        bridge.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bridge.communicate(), 60)
