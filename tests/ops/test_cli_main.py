"""The command line in this process: the `main` that `python -m bot` runs, called directly,
so that each case costs no new interpreter. (A few real processes stay where the process
itself is the point: kill -9, SIGTERM, the run lock, another user's files.)"""

from __future__ import annotations

import asyncio
import socket
from importlib import metadata
from pathlib import Path

import pytest

from bot.runtime.cli import main
from bot.runtime.runlock import hold_run_lock
from simulator import SimUser, ThreadsSimulator


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def threads_section(sim: ThreadsSimulator | None, token: str = "a-token") -> str:  # noqa: S107
    base = sim.base_url if sim is not None else "http://127.0.0.1:9"
    return f'[threads]\naccess_token = "{token}"\napi_base = "{base}"\n'


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == (
        f"threads-bridge {metadata.version('threads-bridge')}"
    )


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        (
            "poll_interval = nan\n",
            "config error: threads.poll_interval: expected a finite number, got nan",
        ),
        (
            "poll_interval = inf\n",
            "config error: threads.poll_interval: expected a finite number, got inf",
        ),
        (
            '[storage]\npath = ""\n',
            "config error: storage.path: empty; set it to the database file, e.g. "
            "threads-bridge.db",
        ),
    ],
)
@pytest.mark.parametrize("command", ["run", "check"])
def test_a_config_mistake_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, extra: str, line: str
) -> None:
    config = write(tmp_path, threads_section(None) + extra)

    status = main([command, "--config", config])

    assert status == 2
    assert capsys.readouterr().err.splitlines() == [line]


def test_a_missing_config_file_names_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["run", "--config", str(tmp_path / "nowhere.toml")])

    assert status == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("config error: ") and "nowhere.toml" in line


def test_run_refuses_a_storage_path_that_is_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "db").mkdir()
    config = write(tmp_path, threads_section(None) + f'[storage]\npath = "{tmp_path / "db"}"\n')

    status = main(["run", "--config", config])

    assert status == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: storage.path: ") and "folder" in line


def test_run_refuses_while_another_bridge_holds_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bridge.db"
    config = write(tmp_path, threads_section(None) + f'[storage]\npath = "{db}"\n')

    with hold_run_lock(db):
        status = main(["run", "--config", config])

    assert status == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and "bridge.db" in line


async def test_check_reports_each_service_and_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sim: ThreadsSimulator, alice: SimUser
) -> None:
    config = write(
        tmp_path, threads_section(sim, alice.token) + f'[storage]\npath = "{tmp_path / "b.db"}"\n'
    )

    # In a thread: `main` runs its own event loop, and the simulator answers on this one.
    status = await asyncio.to_thread(main, ["check", "--config", config])

    out = capsys.readouterr().out.splitlines()
    assert status == 0, out
    assert "OK    threads: connected as @alice" in out
    assert any(line.startswith("WARN  chat: nothing will be delivered") for line in out), out
    assert not (tmp_path / "b.db").exists()  # check changes nothing on disk


async def test_check_fails_with_status_1_when_threads_refuses_the_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sim: ThreadsSimulator
) -> None:
    config = write(tmp_path, threads_section(sim, "not-a-token"))

    status = await asyncio.to_thread(main, ["check", "--config", config])

    out = capsys.readouterr().out.splitlines()
    assert status == 1, out
    assert any(line.startswith("FAIL  threads: ") for line in out), out


def test_run_refuses_a_health_port_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bridge.db"
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        config = write(
            tmp_path,
            threads_section(None) + f'[storage]\npath = "{db}"\n[server]\nhealth_port = {port}\n',
        )

        status = main(["run", "--config", config])

    assert status == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: server.health_port: cannot listen on 127.0.0.1 port {port} (Address already "
        "in use); stop what holds it or choose another port"
    ]
    with hold_run_lock(db):  # the refused run let go of the database
        pass


def test_a_demo_budget_that_is_not_a_count_is_one_usage_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--discovery-budget", "0"])

    assert exit_.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "--discovery-budget: expected a whole number of at least 1, got '0'" in line
